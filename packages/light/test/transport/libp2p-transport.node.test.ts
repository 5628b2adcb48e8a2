// Libp2pTransport against real libp2p hosts over WebSockets that speak the
// light protocol's framing, honestly or not: oversized, undecodable,
// truncated, silent and reset answers are typed errors, and the transport
// moves on to the next node. Node only: the servers listen on sockets.
import { createRequire } from 'node:module';
import {
  computeTxid,
  dataFrame,
  decodeProposal,
  encodeFrameMessage,
  encodeLightHeader,
  encodeLightInfo,
  encodeTxStatus,
  sha256,
  utf8,
} from '@weft/core';
import { buildMint } from '@weft/core/dev';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import { Libp2pTransport } from '../../src/transport/libp2p-transport.js';
import { DevLedger } from '../support/dev-ledger.js';
import { type GatewayHandler, type LightHandler, TestServer } from '../support/libp2p-server.js';

// @libp2p/websockets dials with the global WebSocket, which Node 20 has only
// behind a flag; this package imports no `ws` itself, so borrow its copy.
if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
  const require = createRequire(import.meta.resolve('@libp2p/websockets'));
  (globalThis as { WebSocket?: unknown }).WebSocket = (
    require('ws') as { WebSocket: unknown }
  ).WebSocket;
}

const ledger = await DevLedger.create({ seed: 'light-libp2p' });
for (let i = 1n; i <= 3n; i++) {
  const owner = ledger.net.client.cert.publicKey;
  await ledger.append([(await buildMint(ledger.net, [{ amount: i, owner, label: 'USD' }])).bytes]);
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An honest node's answers for the requests these tests make. */
const honest: LightHandler = (req, reply) => {
  if (req.type === 'info') {
    const info = { channel: 'weft', height: ledger.height, genesisHash: ledger.net.genesisHash };
    return reply.frames(encodeLightInfo(info));
  }
  if (req.type === 'headers') {
    const end = Math.min(req.from + req.count, ledger.height);
    const frames = [];
    for (let n = req.from; n < end; n++) frames.push(encodeLightHeader(ledger.header(n)));
    return reply.frames(...frames);
  }
  reply.error('LIGHT_NOT_FOUND', 'nothing here');
};

const behaviours: Record<string, LightHandler> = {
  honest,
  // Declares a 1 MiB DATA frame for an info answer (bound: 256 bytes).
  oversized: (_req, reply) => reply.raw(Uint8Array.of(0x80, 0x80, 0x40)),
  // A DATA frame whose bytes are not a LightInfo.
  garbage: (_req, reply) => reply.frames(utf8('not cbor at all')),
  // Half a frame, then a clean close.
  truncated: async (_req, reply) => {
    reply.raw(Uint8Array.of(10, 0, 1, 2));
    await reply.end();
  },
  silent: () => sleep(3_000),
  // One header, then the stream is reset.
  cutoff: (req, reply) => {
    if (req.type !== 'headers') return honest(req, reply);
    reply.raw(encodeFrameMessage(dataFrame(encodeLightHeader(ledger.header(req.from)))));
    reply.reset();
  },
  // A tx answer it does not have.
  missing: (_req, reply) => reply.error('LIGHT_NOT_FOUND', 'no such transaction'),
};

const gateways: Record<string, GatewayHandler> = {
  gateway: (req, reply) => {
    if (req.type !== 'submit') return reply.error('NODE_NOT_GATEWAY', 'test');
    const p = decodeProposal(req.signedProposal.proposal);
    const txid = computeTxid(p.creator.publicKey, p.nonce);
    return reply.frames(encodeTxStatus({ txid, status: 'submitted' }));
  },
  notGateway: (_req, reply) => reply.error('NODE_NOT_GATEWAY', 'no gateway here'),
  slowGateway: () => sleep(3_000),
};

describe('Libp2pTransport against hostile full nodes over WebSockets', () => {
  const servers = new Map<string, TestServer>();
  const open: Libp2pTransport[] = [];

  before(async () => {
    for (const [name, handler] of Object.entries(behaviours))
      servers.set(name, await TestServer.start(name, handler));
    for (const [name, handler] of Object.entries(gateways))
      servers.set(name, await TestServer.start(name, honest, handler));
  });

  after(async () => {
    await Promise.all(open.map((t) => t.close()));
    await Promise.all([...servers.values()].map((s) => s.stop()));
  });

  const client = async (...names: string[]) => {
    const t = await Libp2pTransport.create({
      channel: 'weft',
      nodes: names.map((n) => `${servers.get(n)!.addr.toString()}`),
      timeoutMs: 1_000,
    });
    open.push(t);
    return t;
  };
  const id = (name: string) => servers.get(name)!.id;

  it('reads an honest answer and names the node that gave it', async () => {
    const t = await client('honest');
    const info = await t.info();
    assert.equal(info.node, id('honest'));
    assert.equal(info.value.height, ledger.height);
  });

  for (const [name, code] of [
    ['oversized', 'NET_TOO_LARGE'],
    ['garbage', 'NET_MALFORMED'],
    ['truncated', 'NET_CLOSED'],
    ['silent', 'NET_TIMEOUT'],
  ] as const) {
    it(`the ${name} node: ${code}, and the next node answers`, async () => {
      const alone = await client(name);
      try {
        await alone.info();
        assert.fail('answered');
      } catch (err) {
        const e = err as { code: string; cause?: { code?: string; node?: string } };
        assert.equal(e.code, 'LIGHT_NO_NODES', String(err));
        assert.deepEqual([e.cause?.code, e.cause?.node], [code, id(name)]);
      }
      const t = await client(name, 'honest');
      const info = await t.info();
      assert.equal(info.node, id('honest'));
      // Bytes no honest node sends get it blamed; a slow or cut-off node only falls behind.
      assert.deepEqual(t.nodes(), [id('honest'), id(name)]);
    });
  }

  it('a header stream cut off midway resumes at the next header on the next node', async () => {
    const t = await client('cutoff', 'honest');
    const got: { n: number; node: string }[] = [];
    for await (const h of t.headers(0, 10)) got.push({ n: h.value.header.number, node: h.node });
    assert.deepEqual(
      got.map((g) => g.n),
      Array.from({ length: ledger.height }, (_, i) => i),
    );
    assert.equal(got[0]!.node, id('cutoff'));
    assert.equal(got[1]!.node, id('honest'));
  });

  it('an item every node lacks is LIGHT_NOT_FOUND; an unreachable node is passed over', async () => {
    const t = await client('missing', 'honest');
    await rejectsWithCode(() => t.tx(sha256(utf8('nothing'))), 'LIGHT_NOT_FOUND');
    const gone = await TestServer.start('gone', honest);
    const addr = gone.addr.toString();
    await gone.stop();
    const u = await Libp2pTransport.create({
      channel: 'weft',
      nodes: [addr, servers.get('honest')!.addr],
      timeoutMs: 1_000,
    });
    open.push(u);
    assert.equal((await u.info()).node, id('honest'));
  });

  it('refuses an address without /p2p, and a caller can abort', async () => {
    await rejectsWithCode(
      () => Libp2pTransport.create({ channel: 'weft', nodes: ['/ip4/127.0.0.1/tcp/1/ws'] }),
      'LIGHT_BAD_ADDRESS',
    );
    const t = await client('silent');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await rejectsWithCode(() => t.info({ signal: controller.signal }), 'NET_ABORTED');
  });

  it('a gateway submit fails over only when the proposal surely was not sent', async () => {
    const { envelope, txid } = await buildMint(ledger.net, [
      { amount: 1n, owner: ledger.net.client.cert.publicKey, label: 'USD' },
    ]);
    const proposal = envelope.signedProposal;
    const t = await client('notGateway', 'gateway');
    const status = await t.submit(proposal, false);
    assert.deepEqual([status.node, status.value.status], [id('gateway'), 'submitted']);
    assert.deepEqual(status.value.txid, txid);
    // After a timeout the transaction may be in flight: no second gateway gets it.
    const slow = await client('slowGateway', 'gateway');
    await rejectsWithCode(() => slow.submit(proposal, false), 'NET_TIMEOUT');
  });
});
