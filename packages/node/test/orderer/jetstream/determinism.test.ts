import { encodeBlock, toHex } from '@weft/core';
import { after, assert, describe, it } from '@weft/test/harness';
import { encodeSignatureNote, encodeTtc } from '../../../src/orderer/jetstream/log-records.js';
import { verifyChain } from '../fixture.js';
import {
  agreedChains,
  jetstreamChannel,
  mintsBy,
  ordererMembers,
  rawLog,
  startNats,
  startOrderers,
  watchdog,
} from './support.js';

watchdog(150_000);
const nats = await startNats();
const servers = nats.cluster.servers;

describe('jetstream ordering: three orderers, one log, identical blocks', () => {
  after(() => nats.stop());

  it('cuts identical blocks by count, bytes and timeout under concurrent broadcasts from several clients to every orderer', async () => {
    // Small limits so all three rules fire: 7 per block, ~3 envelopes of bytes, 30 ms timeout.
    const ch = await jetstreamChannel({
      servers,
      batch: { maxTxCount: 7, maxBytes: 4096, batchTimeoutMs: 30 },
    });
    const nodes = await startOrderers(ch.genesis);
    try {
      const txs = await mintsBy(60);
      // Waves with pauses, so batch timeouts cut partial blocks between them.
      const acks = [];
      for (let wave = 0; wave < 4; wave++) {
        const slice = txs.slice(wave * 15, wave * 15 + 15);
        acks.push(...slice.map((tx, i) => nodes[(i + wave) % 3]!.running.broadcast(tx.bytes)));
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      const results = await Promise.all(acks);
      const chains = await agreedChains(nodes, results);
      for (const chain of chains) {
        await verifyChain(chain, ch.genesis, ch.channel);
        // Blocks differ only in who signed them.
        const unsigned = chain.map((b) => toHex(encodeBlock({ ...b, signatures: [] })));
        assert.deepEqual(
          unsigned,
          chains[0]!.map((b) => toHex(encodeBlock({ ...b, signatures: [] }))),
        );
      }
      const blocks = chains[0]!;
      // Every acknowledged envelope is where its ack says, once.
      for (const [i, r] of results.entries()) {
        assert.deepEqual(blocks[r.block]!.data[r.index], txs[i]!.bytes);
      }
      assert.equal(
        blocks.slice(1).reduce((n, b) => n + b.data.length, 0),
        txs.length,
      );
      const sizes = blocks.slice(1).map((b) => b.data.length);
      assert.isTrue(
        sizes.some((s) => s < 7),
        `some block cut by bytes or timeout: ${sizes}`,
      );
      assert.isTrue(sizes.every((s) => s <= 7));
      for (const b of blocks.slice(1)) {
        const bytes = b.data.reduce((n, e) => n + e.length + 3, 0);
        assert.isAtMost(bytes, 4096, `block ${b.header.number} within maxBytes`);
      }
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });

  it('duplicates, stale markers and foreign records in the log change nothing, the same way on every orderer', async () => {
    const ch = await jetstreamChannel({ servers, batch: { maxTxCount: 4, batchTimeoutMs: 40 } });
    const stream = ch.channel.config.ordering.jetstream!.stream;
    const nodes = await startOrderers(ch.genesis);
    const raw = await rawLog(servers, stream);
    try {
      const txs = await mintsBy(10);
      const first = await Promise.all(
        txs.slice(0, 4).map((t, i) => nodes[i % 3]!.running.broadcast(t.bytes)),
      );
      // Client retries: envelopes already ordered, in the log again.
      await raw.publish('tx', txs[0]!.bytes);
      await raw.publish('tx', txs[1]!.bytes);
      // Garbage under each kind, another subject, a marker for an old block and one far ahead.
      await raw.publish('tx', new Uint8Array([1, 2, 3]));
      await raw.publish('ttc', new Uint8Array([0xff]));
      await raw.publish('sig', encodeTtc(1));
      await raw.publish('other', txs[5]!.bytes);
      await raw.publish('ttc', encodeTtc(1));
      await raw.publish('ttc', encodeTtc(99));
      await raw.publish(
        'sig',
        encodeSignatureNote({
          block: 2,
          hash: new Uint8Array(32),
          signer: ordererMembers[1]!.signer.publicKey,
          signature: new Uint8Array(64),
        }),
      );
      // A duplicate inside a pending batch, then the rest.
      const rest = txs.slice(4).map((t, i) => nodes[i % 3]!.running.broadcast(t.bytes));
      await raw.publish('tx', txs[6]!.bytes);
      const results = [...first, ...(await Promise.all(rest))];
      const chains = await agreedChains(nodes, results);
      const data = chains[0]!.slice(1).flatMap((b) => b.data.map(toHex));
      assert.deepEqual(
        [...data].sort(),
        txs.map((t) => toHex(t.bytes)).sort(),
        'each envelope once',
      );
      await verifyChain(chains[0]!, ch.genesis, ch.channel);
      for (const n of nodes) {
        assert.isAtLeast(n.running.skipped.duplicate, 2, 'the retries were skipped');
        assert.deepEqual(n.running.skipped, nodes[0]!.running.skipped);
      }
    } finally {
      await raw.nc.close();
      await Promise.all(nodes.map((n) => n.close()));
    }
  });

  it('with a 2-of-3 signature policy, orderers exchange signatures through the log and every block carries two or more', async () => {
    const any = ordererMembers.map(() => "'OrdererOrg.orderer'").join(',');
    const ch = await jetstreamChannel({
      servers,
      batch: { maxTxCount: 5, batchTimeoutMs: 30 },
      blockSignatures: `OutOf(2,${any})`,
    });
    const nodes = await startOrderers(ch.genesis);
    try {
      const txs = await mintsBy(23);
      const results = await Promise.all(
        txs.map((t, i) => nodes[i % 3]!.running.broadcast(t.bytes)),
      );
      for (const chain of await agreedChains(nodes, results)) {
        await verifyChain(chain, ch.genesis, ch.channel);
        for (const b of chain.slice(1)) assert.isAtLeast(b.signatures.length, 2);
      }
      // One orderer down: the other two still reach the policy.
      await nodes[2]!.stop();
      const more = await mintsBy(6);
      const late = await Promise.all(more.map((t, i) => nodes[i % 2]!.running.broadcast(t.bytes)));
      const [chain] = await agreedChains(nodes.slice(0, 2), late);
      await verifyChain(chain!, ch.genesis, ch.channel);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });
});
