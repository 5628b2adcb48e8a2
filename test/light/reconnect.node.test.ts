// Libp2pTransport with keepConnected, against real node processes (a dev
// network: solo orderer, Org1 peer0 and peer1, WebSockets): it connects to
// every full node without being asked anything, reports a node that stops
// as gone and, when the node comes back on its address, redials it in the
// background and reports it back. Against a listener that hangs up on every
// dial, the redials back off, do not give up, and stop with close().
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
// Node 20's WebSocket, as the node and wallet-cli install it (late dial errors dropped, as a browser does).
import '../../packages/node/src/net/polyfill.js';
import { Libp2pTransport } from '@weft/light';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { type DevNode, prepareDevNetwork } from '../../packages/node/src/up/dev-network.js';
import {
  type NodeProcess,
  startNodeProcess,
  stopNodeProcess,
  waitHealthy,
} from '../../packages/node/src/up/supervisor.js';
import { freeBasePort } from '../../packages/node/test/e2e/ports.js';

const CHANNEL = 'weft';
const LONG = 60_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const idOf = (address: string) => address.slice(address.lastIndexOf('/p2p/') + 5);

/**
 * Resolves with the connected nodes the first time the transport reports a
 * change to a set that satisfies `want` (subscribe before causing it).
 */
function reported(
  t: Libp2pTransport,
  want: (connected: string[]) => boolean,
  what: string,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}; connected: ${t.connectedNodes()}`));
    }, LONG);
    const stop = t.onConnectionChange((connected) => {
      if (!want(connected)) return;
      clearTimeout(timer);
      stop();
      resolve(connected);
    });
  });
}

describe('light transport: full nodes that drop are redialled (real node processes)', () => {
  let dir: string;
  let nodes: Record<string, DevNode>;
  const procs = new Map<string, NodeProcess>();
  let transport: Libp2pTransport | undefined;

  const start = async (name: string) => {
    const node = nodes[name]!;
    const proc = await startNodeProcess({
      name,
      configFile: node.configFile,
      logDir: path.join(dir, 'logs'),
    });
    procs.set(name, proc);
    await waitHealthy(node.opsUrl, proc, LONG);
  };

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'weft-reconnect-'));
    const basePort = await freeBasePort({ nodes: 3, min: 33_000, max: 35_000 });
    const prepared = await prepareDevNetwork({
      dir,
      orgs: 1,
      peersPerOrg: 2,
      basePort,
      channel: CHANNEL,
    });
    nodes = Object.fromEntries(prepared.nodes.map((n) => [n.name, n]));
    for (const name of ['orderer0', 'org1-peer0', 'org1-peer1']) await start(name);
  });

  after(async () => {
    await transport?.close();
    await Promise.all([...procs.values()].map((p) => stopNodeProcess(p)));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('connects to both peers unasked, sees one stop, and is back on it after its restart without a request', async () => {
    const [p0, p1] = [nodes['org1-peer0']!.ws, nodes['org1-peer1']!.ws].map(idOf) as [
      string,
      string,
    ];
    transport = await Libp2pTransport.create({
      channel: CHANNEL,
      nodes: [nodes['org1-peer0']!.ws, nodes['org1-peer1']!.ws],
      keepConnected: { minDelayMs: 200, maxDelayMs: 2_000 },
    });
    const t = transport;
    const both = (c: string[]) => c.includes(p0) && c.includes(p1);
    // Nothing has been asked: the keeper dialled both.
    if (!both(t.connectedNodes())) await reported(t, both, 'both peers connected');

    // peer0, the node asked first, stops; peer1 stays.
    const gone = reported(t, (c) => !c.includes(p0), 'peer0 reported gone');
    await stopNodeProcess(procs.get('org1-peer0')!);
    assert.deepEqual(await gone, [p1], 'peer1 stays, peer0 is gone');

    const back = reported(t, both, 'peer0 reported back');
    await start('org1-peer0');
    assert.sameMembers(await back, [p0, p1]);

    // No call failed on peer0 meanwhile, so it is still asked first, and answers.
    const info = await t.info();
    assert.equal(info.node, p0);
    assert.equal(info.value.channel, CHANNEL);
  });
});

describe('light transport: redials back off, never give up, and stop at close()', () => {
  it('waits at least twice as long after each failed dial up to the cap, and dials no more once closed', async () => {
    const dials: number[] = [];
    // A real listener that hangs up on every connection: each dial fails after reaching it.
    const server = net.createServer((socket) => {
      dials.push(performance.now());
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const min = 100;
    const max = 800;
    const t = await Libp2pTransport.create({
      channel: CHANNEL,
      nodes: [
        `/ip4/127.0.0.1/tcp/${port}/ws/p2p/12D3KooWMuRhbpzSE7tKWv5iPmrwX9aAxoZ1bndseg75cq9YKgN4`,
      ],
      keepConnected: { minDelayMs: min, maxDelayMs: max },
    });
    try {
      // Ten dials: with the cap, about 6 s of waiting; doubling without a cap
      // would take over 50 s, and libp2p's own reconnect queue stops after 5.
      const deadline = performance.now() + 30_000;
      while (dials.length < 10 && performance.now() < deadline) await sleep(50);
      assert.isAtLeast(dials.length, 10, `dials seen: ${dials.length}`);
      // After failed dial k the wait is in [ceiling/2, ceiling], ceiling = min(max, min * 2^k):
      // timers fire late under load, never early, so the lower bounds must hold.
      for (let k = 1; k < 10; k++) {
        const floor = Math.max(min, Math.min(max, min * 2 ** k) / 2);
        const gap = dials[k]! - dials[k - 1]!;
        assert.isAtLeast(gap, floor - 5, `wait after failed dial ${k}`);
      }
    } finally {
      await t.close();
    }
    // A dial already on the wire at close() may still land; none may start afterwards.
    await sleep(200);
    const atClose = dials.length;
    await sleep(3 * max);
    assert.equal(dials.length, atClose, 'no dial after close()');
    await new Promise((r) => server.close(r));
  });
});
