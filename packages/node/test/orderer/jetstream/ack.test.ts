import { after, assert, describe, it } from '@weft/test/harness';
import { ManualClock } from '../../../src/orderer/clock.js';
import type { OrdererError } from '../../../src/orderer/errors.js';
import { verifyChain } from '../fixture.js';
import {
  agreedChains,
  assertAllOrdered,
  jetstreamChannel,
  mintsBy,
  net,
  ordererMembers,
  startNats,
  startOrderers,
  submitAll,
  untilHeight,
  watchdog,
} from './support.js';

watchdog(150_000);
const nats = await startNats();
const { cluster } = nats;

describe('jetstream ordering: what an acknowledgement means', () => {
  after(() => nats.stop());

  it('an envelope in the log survives the crash of the orderer that took it: the others cut it, and that orderer catches up', async () => {
    const ch = await jetstreamChannel({ servers: cluster.servers, batch: { maxTxCount: 100 } });
    // Manual clocks: no batch timer fires unless a test advances it.
    const clocks = ordererMembers.map(() => new ManualClock(net.time));
    const nodes = await startOrderers(ch.genesis, (i) => ({ clock: clocks[i] }));
    try {
      const [tx, later] = await mintsBy(2);
      const taken = nodes[0]!.running.broadcast(tx!.bytes);
      const refused = taken.then(
        () => assert.fail('acknowledged before its block was stored'),
        (err: OrdererError) => err.code,
      );
      // It is pending everywhere: every orderer read it from the log.
      const deadline = Date.now() + 20_000;
      while (nodes.some((n) => n.running.pending !== 1)) {
        assert.isBelow(Date.now(), deadline, 'every orderer reads the envelope');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(nodes[0]!.running.height, 1, 'no block yet, so no acknowledgement');
      await nodes[0]!.stop();
      assert.equal(await refused, 'ORDERER_CLOSED', 'never acknowledged by the crashed orderer');
      // Orderer 1's batch timer fires: its marker cuts the block for everyone.
      clocks[1]!.advance(ch.channel.config.ordering.batchTimeoutMs);
      await untilHeight(nodes.slice(1), 2);
      await nodes[0]!.restart();
      const chains = await agreedChains(nodes, 2);
      assert.deepEqual(chains[0]![1]!.data, [tx!.bytes]);
      // The client's retry through any orderer is refused as already ordered, not ordered twice.
      for (const n of nodes) {
        const err = await n.running.broadcast(tx!.bytes).catch((e: OrdererError) => e);
        assert.equal((err as OrdererError).code, 'ORDERER_DUPLICATE_TXID');
      }
      // The restarted orderer's own timer works again.
      const ack = nodes[0]!.running.broadcast(later!.bytes);
      while (nodes[0]!.running.pending !== 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      clocks[0]!.advance(ch.channel.config.ordering.batchTimeoutMs);
      assert.deepEqual((await ack).block, 2);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });

  it('without a JetStream quorum nothing is acknowledged; once it is back, retries order every envelope once', async () => {
    const ch = await jetstreamChannel({
      servers: cluster.servers,
      batch: { maxTxCount: 5, batchTimeoutMs: 30 },
    });
    const nodes = await startOrderers(ch.genesis, () => ({
      log: { openTimeoutMs: 20_000, publishTimeoutMs: 1_000 },
    }));
    try {
      const txs = await mintsBy(30);
      const before = await submitAll(nodes, txs.slice(0, 10));
      const height = Math.max(...before.map((s) => s.ack!.block)) + 1;
      await untilHeight(nodes, height);
      await Promise.all([cluster.kill(1), cluster.kill(2)]);
      const outcomes = await Promise.allSettled(
        txs.slice(10, 16).map((t, i) => nodes[i % 3]!.running.broadcast(t.bytes)),
      );
      for (const o of outcomes) {
        assert.equal(o.status, 'rejected', 'no acknowledgement without a quorum');
        assert.equal((o as PromiseRejectedResult).reason.code, 'ORDERER_LOG_UNAVAILABLE');
      }
      for (const n of nodes) assert.equal(n.running.height, height, 'no block was cut meanwhile');
      await Promise.all([cluster.restart(1), cluster.restart(2)]);
      const after = [
        ...(await submitAll(nodes, txs.slice(10, 16), { retried: true })),
        ...(await submitAll(nodes, txs.slice(16))),
      ];
      const chains = await agreedChains(
        nodes,
        after.map((s) => s.ack),
      );
      await verifyChain(chains[0]!, ch.genesis, ch.channel);
      assertAllOrdered(chains[0]!, [...before, ...after]);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });
});
