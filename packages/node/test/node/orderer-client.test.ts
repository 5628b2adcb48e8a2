// OrdererClient against fault-injecting fake orderers on real libp2p hosts:
// which failures it fails over on, when a duplicate means "already ordered",
// and deliver resuming at the next orderer from the next height.
import {
  type Block,
  blockHash,
  decodeBlocksRequest,
  encodeBlock,
  encodeBroadcastAck,
  PROTOCOLS,
  WeftError,
} from '@weft/core';
import { buildBlock, createDevNetwork } from '@weft/core/dev';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import { pino } from 'pino';
import { type NodeHost, type RpcContext, serveProtocol } from '../../src/net/index.js';
import { OrdererClient } from '../../src/node/orderer-client.js';
import { HostPool, LISTEN_BOTH, membershipOf, tcpAddr, testPeer } from '../net/fixtures.js';

const CHANNEL = 'weft';

/** What a fake orderer does with its next broadcast: answer, refuse with a code, or crash. */
type Act = 'ack' | 'crash' | string;

interface FakeOrderer {
  host: NodeHost;
  address: string;
  /** Acts for the coming broadcasts, in order; 'ack' once they run out. */
  script: Act[];
  broadcasts: number;
  /** Deliver: the `from` of each request, and how many blocks to send before crashing. */
  delivered: number[];
  crashAfterBlocks: number;
}

/** Cuts every connection to the caller, as a process killed mid-call would. */
function crash(o: FakeOrderer, ctx: RpcContext): void {
  for (const c of o.host.getConnections(ctx.peer)) c.abort(new Error('orderer crashed'));
}

describe('OrdererClient: failover between orderers', () => {
  const pool = new HostPool();
  const log = pino({ level: 'silent' });
  let client: NodeHost;
  let a: FakeOrderer;
  let b: FakeOrderer;
  /** Blocks 1..6 of a dev chain, served by deliver. */
  const chain: Block[] = [];

  before(async () => {
    const net = await createDevNetwork({ seed: 'orderer-client-test' });
    let tip = { number: 0, hash: net.genesisHash, timestamp: net.time };
    for (let n = 1; n <= 6; n++) {
      const block = await buildBlock(net, tip, []);
      chain.push(block);
      tip = { number: n, hash: blockHash(block.header), timestamp: block.header.timestamp };
    }
    const peers = await Promise.all(['client', 'a', 'b'].map((n) => testPeer('oc-test', n)));
    const members = membershipOf(...peers);
    client = await pool.start(peers[0]!, members);
    const fake = async (i: number): Promise<FakeOrderer> => {
      const host = await pool.start(peers[i]!, members, { listen: { tcp: LISTEN_BOTH.tcp } });
      const o: FakeOrderer = {
        host,
        address: tcpAddr(host).toString(),
        script: [],
        broadcasts: 0,
        delivered: [],
        crashAfterBlocks: Number.POSITIVE_INFINITY,
      };
      const base = { access: 'members', maxRequestBytes: 1 << 20, timeoutMs: 5_000 } as const;
      await serveProtocol(host, PROTOCOLS.broadcast, {
        ...base,
        handler: (_req, ctx) => {
          o.broadcasts++;
          const act = o.script.shift() ?? 'ack';
          if (act === 'crash') {
            crash(o, ctx);
            return new Uint8Array(); // never arrives: the connection is gone
          }
          if (act !== 'ack') throw new WeftError(act, `fake orderer refuses: ${act}`);
          return encodeBroadcastAck({ channel: CHANNEL, block: 7, index: 0 });
        },
      });
      await serveProtocol(host, PROTOCOLS.deliver, {
        ...base,
        handler: (req, ctx) => {
          const { from } = decodeBlocksRequest(req);
          o.delivered.push(from);
          return (async function* () {
            let sent = 0;
            for (const block of chain.slice(from - 1)) {
              if (sent++ === o.crashAfterBlocks) {
                // Dies a moment after the blocks went out (frames ready at once
                // share one write, so a crash in the same tick would take them along).
                await new Promise((resolve) => setTimeout(resolve, 50));
                return crash(o, ctx);
              }
              yield encodeBlock(block);
            }
            // Then follow the head, as an orderer does, until the caller goes.
            await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
          })();
        },
      });
      return o;
    };
    a = await fake(1);
    b = await fake(2);
  });

  after(() => pool.stopAll());

  /** A new client, and fakes with no script and no history. */
  const orderers = (options: { broadcastRounds?: number } = {}) => {
    for (const o of [a, b]) {
      o.script = [];
      o.broadcasts = 0;
      o.delivered = [];
      o.crashAfterBlocks = Number.POSITIVE_INFINITY;
    }
    return new OrdererClient({
      host: client,
      channel: CHANNEL,
      orderers: [a.address, b.address],
      log,
      broadcastTimeoutMs: 5_000,
      retryDelayMs: 20,
      ...options,
    });
  };
  const envelope = new Uint8Array([1, 2, 3]);

  const ACK = { channel: CHANNEL, block: 7, index: 0 };

  it('the preferred orderer dies mid-broadcast and the next one has the txid: ordered, then prefers the survivor', async () => {
    const oc = orderers();
    a.script = ['crash'];
    b.script = ['ORDERER_DUPLICATE_TXID'];
    assert.isUndefined(await oc.broadcast(envelope), 'already ordered, where not known');
    assert.deepEqual([a.broadcasts, b.broadcasts], [1, 1]);
    assert.deepEqual(await oc.broadcast(envelope), ACK);
    assert.deepEqual([a.broadcasts, b.broadcasts], [1, 2], 'the next broadcast goes to b first');
  });

  it('ORDERER_LOG_UNAVAILABLE (maybe appended) then a duplicate elsewhere: ordered', async () => {
    const oc = orderers();
    a.script = ['ORDERER_LOG_UNAVAILABLE'];
    b.script = ['ORDERER_DUPLICATE_TXID'];
    assert.isUndefined(await oc.broadcast(envelope));
  });

  it('a duplicate on the first attempt is final: another submission of the txid, not this one', async () => {
    const oc = orderers();
    a.script = ['ORDERER_DUPLICATE_TXID'];
    await rejectsWithCode(() => oc.broadcast(envelope), 'ORDERER_DUPLICATE_TXID');
    assert.deepEqual([a.broadcasts, b.broadcasts], [1, 0]);
  });

  it('a duplicate after a refusal that appended nothing stays an error', async () => {
    const oc = orderers();
    a.script = ['ORDERER_BUSY'];
    b.script = ['ORDERER_DUPLICATE_TXID'];
    await rejectsWithCode(() => oc.broadcast(envelope), 'ORDERER_DUPLICATE_TXID');
    assert.deepEqual([a.broadcasts, b.broadcasts], [1, 1]);
  });

  it('refusals that are the same at every orderer are not retried', async () => {
    const oc = orderers();
    a.script = ['ORDERER_BAD_SIGNATURE'];
    await rejectsWithCode(() => oc.broadcast(envelope), 'ORDERER_BAD_SIGNATURE');
    assert.deepEqual([a.broadcasts, b.broadcasts], [1, 0]);
  });

  it('the log unavailable at every orderer: goes round again after a pause, and is taken', async () => {
    const oc = orderers();
    a.script = ['ORDERER_LOG_UNAVAILABLE', 'ack'];
    b.script = ['ORDERER_LOG_UNAVAILABLE'];
    assert.deepEqual(await oc.broadcast(envelope), ACK);
    assert.deepEqual([a.broadcasts, b.broadcasts], [2, 1]);
  });

  it('gives up after broadcastRounds rounds with the last error', async () => {
    const oc = orderers({ broadcastRounds: 3 });
    a.script = Array(3).fill('ORDERER_LOG_UNAVAILABLE');
    b.script = Array(3).fill('ORDERER_LOG_UNAVAILABLE');
    await rejectsWithCode(() => oc.broadcast(envelope), 'ORDERER_LOG_UNAVAILABLE');
    assert.deepEqual([a.broadcasts, b.broadcasts], [3, 3]);
  });

  it('deliver: the orderer dies after two blocks; the next one is asked from the next height', async () => {
    const oc = orderers();
    a.crashAfterBlocks = 2;
    const got: number[] = [];
    const stop = new AbortController();
    // Fails the test instead of hanging it when failover does not happen.
    const timer = setTimeout(() => stop.abort(), 10_000);
    await oc.follow({
      nextHeight: () => got.length + 1,
      onBlock: (block) => {
        got.push(block.header.number);
        if (got.length === chain.length) stop.abort();
      },
      signal: stop.signal,
    });
    clearTimeout(timer);
    assert.deepEqual(got, [1, 2, 3, 4, 5, 6], 'every block once, in order');
    assert.deepEqual(a.delivered, [1]);
    assert.deepEqual(b.delivered, [3]);
  });
});
