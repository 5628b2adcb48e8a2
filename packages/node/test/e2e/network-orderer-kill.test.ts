// Issue 7: kill an orderer node under load. A `weft up --orderer jetstream`
// network (3 orderer processes on a 3-server NATS cluster, 2 orgs x 2 peers)
// takes concurrent mints through all four gateways; the orderer every
// gateway and peer prefers (the first listed) is SIGKILLed mid-load while
// its batch holds appended, unacknowledged envelopes. Gateways fail over to
// the next orderer (whose duplicate refusal of a retried envelope means
// "already ordered"), leaders' deliver resumes at another orderer, and the
// chain holds every acknowledged transaction exactly once. Restarted, the
// killed orderer catches up from the log.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sleep, toHex, txCodeName } from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { GatewayClient } from '../../src/client/gateway-client.js';
import { mintProposal } from '../../src/client/proposals.js';
import type { LoadedMember } from '../../src/material/member.js';
import { startNodeProcess, waitHealthy } from '../../src/up/supervisor.js';
import {
  CHANNEL,
  type ChainTx,
  channelHealth,
  readPeerChain,
  startUpNetwork,
  type UpNetwork,
} from './network-fixture.js';
import { until } from './test-network.js';

const TOTAL = 200;
const CONCURRENCY = 40;
/** Acknowledged submits before the kill: the rest are in flight or still to come. */
const KILL_AFTER = 60;

interface Outcome {
  i: number;
  txid: string;
  /** 'VALID' etc. when the gateway said committed; else its status or error code. */
  result: string;
  block?: number;
  index?: number;
  afterKill: boolean;
}

describe('e2e (jetstream): kill the preferred orderer under load', () => {
  let n: UpNetwork;
  let clients: GatewayClient[] = [];

  before(async () => {
    n = await startUpNetwork({ ordering: 'jetstream', min: 5_000, max: 8_500 });
    // One client per gateway, each trying its own first, so load spreads over all four.
    const ws = n.gateways.map((g) => g.ws);
    clients = await Promise.all(
      ws.map((_, i) =>
        GatewayClient.connect({ gateways: [...ws.slice(i), ...ws.slice(0, i)], channel: CHANNEL }),
      ),
    );
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await n?.destroy();
  });

  const bank = (): Promise<LoadedMember> => {
    const org = n.net.prepared.manifest.orgs.find((o) => o.kind === 'bank')!;
    return n.material(`${org.name}/${org.members.find((m) => m.role === 'cb')!.name}`);
  };

  it('gateways and peers fail over; every acknowledged tx is in the chain once; the restarted orderer catches up', async () => {
    const banker = await bank();
    const owner = (await n.material('Org1/client0')).cert.publicKey;
    const victim = n.orderers[0]!;
    const victimIndex = n.net.prepared.nodes.indexOf(victim);
    const victimProc = n.net.processes[victimIndex]!;
    const outcomes: Outcome[] = [];
    let next = 0;
    let acked = 0;
    let inFlight = 0;
    const survivors = n.orderers.filter((o) => o !== victim);
    let kill: Promise<{ inFlight: number; cut: number }> | undefined;
    let killed = false;

    const killVictim = async () => {
      // Acks come as a block is stored: a second later the next batch (2 s
      // timeout) holds appended envelopes the victim has not acknowledged.
      await sleep(1_000);
      const during = inFlight;
      victimProc.child.kill('SIGKILL');
      killed = true;
      await victimProc.exited;
      // Blocks numbered from here on were cut after the kill, without the victim.
      const heights = await Promise.all(
        survivors.map(async (o) => (await channelHealth(o)).height),
      );
      return { inFlight: during, cut: Math.max(...heights) };
    };

    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        const { signedProposal, txid } = await mintProposal(
          CHANNEL,
          [banker],
          [{ amount: BigInt(i + 1), owner, label: 'FBC' }],
        );
        const afterKill = killed;
        inFlight++;
        const outcome: Outcome = { i, txid: toHex(txid), result: 'pending', afterKill };
        try {
          const s = await clients[i % clients.length]!.submit(signedProposal, true);
          if (s.status === 'committed') {
            outcome.result = txCodeName(s.code);
            outcome.block = s.block;
            outcome.index = s.index;
          } else outcome.result = s.status;
        } catch (err) {
          outcome.result = (err as { code?: string }).code ?? String(err);
        }
        inFlight--;
        outcomes.push(outcome);
        if (outcome.result === 'VALID' && ++acked === KILL_AFTER) kill = killVictim();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.isDefined(kill, `the kill happened (acknowledged: ${acked})`);
    const atKill = await kill!;
    assert.isAbove(atKill.inFlight, 0, 'submits were in flight at the kill');
    assert.isAbove(
      outcomes.filter((o) => o.afterKill).length,
      0,
      'submits were started after the kill',
    );

    // Clients fail over: every submit was acknowledged as committed, and VALID.
    const failed = outcomes.filter((o) => o.result !== 'VALID');
    assert.deepEqual(failed, [], 'every submit committed VALID');
    assert.lengthOf(outcomes, TOTAL);

    // Peers fail over: blocks kept coming after the kill, and every peer has them all.
    const top = Math.max(...outcomes.map((o) => o.block!));
    assert.isAtLeast(top, atKill.cut, 'acknowledged txs are in blocks cut after the kill');
    const views = await until(
      'every peer and surviving orderer at the last acknowledged block',
      async () => {
        const all = await Promise.all([...n.peers, ...survivors].map(channelHealth));
        return all.every((h) => h.height > top) ? all : undefined;
      },
      60_000,
    );
    const peerViews = views.slice(0, n.peers.length);
    for (const v of peerViews) {
      assert.equal(v.height, peerViews[0]!.height);
      assert.equal(v.commitHash, peerViews[0]!.commitHash);
      assert.equal(v.txCount, peerViews[0]!.txCount);
    }

    // Restarted, the killed orderer reads the log from its cursor and catches up.
    const restarted = await startNodeProcess({
      name: victim.name,
      configFile: victim.configFile,
      logDir: path.join(n.dir, 'logs'),
    });
    n.net.processes[victimIndex] = restarted;
    await waitHealthy(victim.opsUrl, restarted);
    const late = await n.client.submit(
      (await mintProposal(CHANNEL, [banker], [{ amount: 7n, owner, label: 'FBC' }])).signedProposal,
      true,
    );
    assert.equal(late.status, 'committed');
    const tip = late.status === 'committed' ? late.block + 1 : Number.POSITIVE_INFINITY;
    await until(
      'the restarted orderer at the tip',
      async () => ((await channelHealth(victim)).height >= tip ? true : undefined),
      60_000,
    );
    const settled = await until(
      'every peer at the tip',
      async () => {
        const all = await Promise.all(n.peers.map(channelHealth));
        return all.every((h) => h.height === tip) ? all : undefined;
      },
      60_000,
    );
    assert.equal(new Set(settled.map((h) => h.commitHash)).size, 1, 'one commitHash');

    // The chains themselves, read from each stopped peer's ledger.
    await n.stop();
    const chains = await Promise.all(n.peers.map(readPeerChain));
    for (const c of chains) {
      assert.equal(c.height, tip);
      assert.equal(c.lastHash, chains[0]!.lastHash);
      assert.equal(c.commitHash, chains[0]!.commitHash);
    }
    const byTxid = new Map<string, ChainTx[]>();
    for (const tx of chains[0]!.txs) byTxid.set(tx.txid, [...(byTxid.get(tx.txid) ?? []), tx]);
    const repeated = [...byTxid.values()].filter((list) => list.length > 1);
    assert.deepEqual(repeated, [], 'no txid twice in the chain');
    for (const o of outcomes) {
      const found = byTxid.get(o.txid) ?? [];
      assert.lengthOf(found, 1, `acknowledged mint ${o.i} is in the chain once`);
      assert.deepEqual(
        found[0],
        { txid: o.txid, block: o.block!, index: o.index!, code: 'VALID' },
        `mint ${o.i} where and as the gateway said`,
      );
    }
    // What the gateways went through, for the record (timing decides how many of each).
    const logs = await Promise.all(
      n.gateways.map((g) => readFile(path.join(n.dir, 'logs', `${g.name}.log`), 'utf8')),
    );
    const count = (msg: string) => logs.join('').split(msg).length - 1;
    const seen = {
      inFlightAtKill: atKill.inFlight,
      firstBlockAfterKill: atKill.cut,
      lastMintBlock: top,
      failedBroadcastAttempts: count('"broadcast failed"'),
      retriesFoundOrdered: count('an earlier attempt was ordered'),
      deliverFailovers: count('deliver interrupted; failing over'),
    };
    console.log(JSON.stringify(seen));
    assert.isAbove(seen.failedBroadcastAttempts, 0, 'gateways lost broadcasts to the kill');
    assert.isAbove(seen.deliverFailovers, 0, "leaders' deliver from the victim failed over");
  });
});
