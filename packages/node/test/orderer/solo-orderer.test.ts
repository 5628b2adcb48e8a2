import { type Block, encodeEnvelope, MAX_ENVELOPE_BYTES, type TxEnvelope } from '@weft/core';
import { buildMint, buildTx, createDevNetwork } from '@weft/core/dev';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { openNodeDatabase } from '../../src/ledger/database.js';
import type { OrdererError } from '../../src/orderer/errors.js';
import { type BroadcastResult, SoloOrderer } from '../../src/orderer/solo-orderer.js';
import {
  chainOf,
  coin,
  genesisWith,
  mint,
  mints,
  net,
  openHarness,
  until,
  verifyChain,
} from './fixture.js';

/** The envelope a broadcast result points at. */
const at = (blocks: Block[], r: BroadcastResult) => blocks[r.block]!.data[r.index];

describe('solo orderer: cutting and acknowledging', () => {
  it('cuts by count, acknowledges each envelope with its block and index, and signs valid blocks', async () => {
    const h = await openHarness({ ordering: { maxTxCount: 3 } });
    const txs = await mints(7);
    const acks = txs.slice(0, 6).map((t) => h.orderer.broadcast(t.bytes));
    const results = await Promise.all(acks);
    assert.equal(h.orderer.height, 3);
    const last = h.orderer.broadcast(txs[6]!.bytes);
    await until(() => h.orderer.pending === 1, 'the seventh envelope to be admitted');
    h.clock.advance(h.channel.config.ordering.batchTimeoutMs);
    results.push(await last);
    const blocks = await chainOf(h);
    assert.deepEqual(
      blocks.map((b) => b.data.length),
      [1, 3, 3, 1],
    );
    await verifyChain(blocks, h.genesis, h.channel);
    results.forEach((r, i) => {
      assert.deepEqual(at(blocks, r), txs[i]!.bytes);
      assert.deepEqual(r.txid, txs[i]!.txid);
    });
    assert.deepEqual(results.map((r) => r.block).sort(), [1, 1, 1, 2, 2, 2, 3]);
  });

  it('cuts by timeout measured from the first envelope of the pending batch', async () => {
    const h = await openHarness();
    const timeout = h.channel.config.ordering.batchTimeoutMs;
    const [a, b, c] = await mints(3);
    const pa = h.orderer.broadcast(a!.bytes);
    await until(() => h.orderer.pending === 1);
    h.clock.advance(timeout - 50);
    const pb = h.orderer.broadcast(b!.bytes);
    await until(() => h.orderer.pending === 2);
    h.clock.advance(49);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(h.orderer.height, 1, 'not cut before the first envelope waited the timeout');
    h.clock.advance(1);
    assert.deepEqual(
      (await Promise.all([pa, pb])).map((r) => [r.block, r.index]),
      [
        [1, 0],
        [1, 1],
      ],
    );
    const pc = h.orderer.broadcast(c!.bytes);
    await until(() => h.orderer.pending === 1);
    h.clock.advance(timeout - 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(h.orderer.height, 2, 'the timer restarts with the next batch');
    h.clock.advance(1);
    assert.equal((await pc).block, 2);
    const blocks = await chainOf(h);
    await verifyChain(blocks, h.genesis, h.channel);
    assert.equal(blocks[1]!.header.timestamp, net.time + timeout);
    assert.equal(blocks[2]!.header.timestamp, net.time + 2 * timeout);
  });

  it('cuts by bytes and rejects an envelope larger than maxBytes, then keeps working', async () => {
    const txs = await mints(5);
    const size = txs[0]!.bytes.length + 3;
    const h = await openHarness({ ordering: { maxTxCount: 100, maxBytes: 2 * size + size / 2 } });
    const big = await mint(30);
    await rejectsWithCode(() => h.orderer.broadcast(big.bytes), 'ORDERER_ENVELOPE_TOO_LARGE');
    await rejectsWithCode(
      () => h.orderer.broadcast(new Uint8Array(MAX_ENVELOPE_BYTES + 1)),
      'ORDERER_ENVELOPE_TOO_LARGE',
    );
    const acks = [];
    // Two fit: the third cuts the first two by bytes and waits alone.
    const pendingAfter = [1, 2, 1, 2, 1];
    for (const [i, t] of txs.entries()) {
      acks.push(h.orderer.broadcast(t.bytes));
      await until(() => h.orderer.pending === pendingAfter[i]);
    }
    h.clock.advance(h.channel.config.ordering.batchTimeoutMs);
    const results = await Promise.all(acks);
    assert.deepEqual(
      results.map((r) => [r.block, r.index]),
      [
        [1, 0],
        [1, 1],
        [2, 0],
        [2, 1],
        [3, 0],
      ],
    );
    await verifyChain(await chainOf(h), h.genesis, h.channel);
  });

  it('admits transactions peers will reject: endorsements and Fabcoin rules are VSCC work', async () => {
    const h = await openHarness({ ordering: { maxTxCount: 1 } });
    const unendorsed = await buildMint(net, [coin()], { endorsers: [] });
    const zero = await buildMint(net, [coin(0n)], { unchecked: true });
    assert.equal((await h.orderer.broadcast(unendorsed.bytes)).block, 1);
    assert.equal((await h.orderer.broadcast(zero.bytes)).block, 2);
  });
});

describe('solo orderer: admission', () => {
  it('rejects bad envelopes with typed codes and keeps ordering', async () => {
    const h = await openHarness({ ordering: { maxTxCount: 1 } });
    const good = await mint();
    const sp = good.envelope.signedProposal;
    const forged: TxEnvelope = {
      ...good.envelope,
      signedProposal: {
        ...sp,
        signature: await net.peers[0]!.signer.sign('proposal', sp.proposal),
      },
    };
    const stranger = await createDevNetwork({ seed: 'someone-else' });
    const cases: [string, Uint8Array][] = [
      ['ORDERER_BAD_SIGNATURE', encodeEnvelope(forged)],
      ['ORDERER_UNKNOWN_CREATOR', (await buildMint(stranger, [coin()])).bytes],
      [
        'ORDERER_UNKNOWN_CREATOR',
        (await buildTx(net, { request: mintRequest(), creator: net.peers[0] })).bytes,
      ],
      ['ORDERER_WRONG_CHANNEL', (await buildMint(net, [coin()], { channel: 'other' })).bytes],
      ['ORDERER_BAD_ENVELOPE', crypto.getRandomValues(new Uint8Array(300))],
      ['ORDERER_BAD_ENVELOPE', new Uint8Array(0)],
      ['ORDERER_BAD_ENVELOPE', net.genesis.data[0]!],
      ['ORDERER_BAD_ENVELOPE', 'text' as unknown as Uint8Array],
    ];
    for (const [code, bytes] of cases) {
      await rejectsWithCode(() => h.orderer.broadcast(bytes), code);
    }
    assert.equal(h.orderer.height, 1, 'nothing was ordered');
    // The forged copy did not burn the real transaction's txid.
    assert.deepEqual(await h.orderer.broadcast(good.bytes), {
      txid: good.txid,
      block: 1,
      index: 0,
    });
    await verifyChain(await chainOf(h), h.genesis, h.channel);
  });

  it('refuses a txid it already ordered or has pending, from its recent-txid set', async () => {
    const h = await openHarness({ ordering: { maxTxCount: 2 } });
    const [a, b] = await mints(2);
    const first = h.orderer.broadcast(a!.bytes);
    const copy = h.orderer.broadcast(a!.bytes);
    await rejectsWithCode(() => copy, 'ORDERER_DUPLICATE_TXID');
    const second = h.orderer.broadcast(b!.bytes);
    await Promise.all([first, second]);
    await rejectsWithCode(() => h.orderer.broadcast(a!.bytes), 'ORDERER_DUPLICATE_TXID');
    assert.equal(h.orderer.height, 2);
  });

  it('applies backpressure: ORDERER_BUSY past maxPendingBroadcasts, then recovers', async () => {
    const h = await openHarness({ maxPendingBroadcasts: 3 });
    const txs = await mints(4);
    const acks = txs.slice(0, 3).map((t) => h.orderer.broadcast(t.bytes));
    await rejectsWithCode(() => h.orderer.broadcast(txs[3]!.bytes), 'ORDERER_BUSY');
    await until(() => h.orderer.pending === 3);
    h.clock.advance(h.channel.config.ordering.batchTimeoutMs);
    await Promise.all(acks);
    const late = h.orderer.broadcast(txs[3]!.bytes);
    await until(() => h.orderer.pending === 1);
    h.clock.advance(h.channel.config.ordering.batchTimeoutMs);
    assert.equal((await late).block, 2);
  });
});

describe('solo orderer: open and close', () => {
  it('refuses a signer the channel does not list, a foreign cert and a jetstream channel', async () => {
    const db = await openNodeDatabase();
    const base = { db, genesis: net.genesis, sync: false };
    await rejectsWithCode(
      () => SoloOrderer.open({ ...base, signer: net.client.signer }),
      'ORDERER_NOT_LISTED',
    );
    await rejectsWithCode(
      () => SoloOrderer.open({ ...base, signer: net.orderer.signer, cert: net.client.cert }),
      'ORDERER_NOT_LISTED',
    );
    const { genesis } = await genesisWith({ type: 'jetstream' });
    await rejectsWithCode(
      () => SoloOrderer.open({ ...base, genesis, signer: net.orderer.signer }),
      'ORDERER_BAD_GENESIS',
    );
    const ok = await SoloOrderer.open({
      ...base,
      signer: net.orderer.signer,
      cert: net.orderer.cert,
    });
    await rejectsWithCode(
      () => SoloOrderer.open({ ...base, signer: net.orderer.signer }),
      'ORDERER_IN_USE',
    );
    await ok.close();
  });

  it('on close rejects pending envelopes with ORDERER_CLOSED; with flush orders them first', async () => {
    const h = await openHarness();
    const [a, b, c] = await mints(3);
    const pa = h.orderer.broadcast(a!.bytes);
    await until(() => h.orderer.pending === 1);
    await h.orderer.close();
    await rejectsWithCode(() => pa, 'ORDERER_CLOSED');
    await rejectsWithCode(() => h.orderer.broadcast(b!.bytes), 'ORDERER_CLOSED');
    assert.equal(h.clock.pendingTimers, 0, 'the batch timer is cancelled');

    const again = await SoloOrderer.open({
      db: h.db,
      genesis: h.genesis,
      signer: net.orderer.signer,
      clock: h.clock,
      sync: false,
    });
    assert.equal(again.height, 1);
    const pb = again.broadcast(b!.bytes);
    const pc = again.broadcast(c!.bytes);
    await until(() => again.pending === 2);
    await again.close({ flush: true });
    assert.deepEqual(
      (await Promise.all([pb, pc])).map((r) => r.block),
      [1, 1],
    );
  });

  it('fails closed when a block cannot be stored: nothing acknowledged, ORDERER_FAILED after', async () => {
    const h = await openHarness({ ordering: { maxTxCount: 2 } });
    const [a, b, c] = await mints(3);
    const pa = h.orderer.broadcast(a!.bytes);
    await until(() => h.orderer.pending === 1);
    await h.db.close();
    await rejectsWithCode(() => Promise.all([pa, h.orderer.broadcast(b!.bytes)]), 'ORDERER_FAILED');
    await rejectsWithCode(() => h.orderer.broadcast(c!.bytes), 'ORDERER_FAILED');
    await h.orderer.close();
  });

  it('stops rather than sign blocks after its own certificate expired', async () => {
    const h = await openHarness();
    const pa = h.orderer.broadcast((await mint()).bytes);
    await until(() => h.orderer.pending === 1);
    h.clock.advance(net.orderer.cert.notAfter - h.clock.now() + 1);
    const err = await pa.then(
      () => assert.fail('acknowledged'),
      (e: OrdererError) => e,
    );
    assert.equal(err.code, 'ORDERER_FAILED');
    assert.equal((err.cause as OrdererError).code, 'ORDERER_CERT_EXPIRED');
    assert.equal(h.orderer.height, 1);
    await h.orderer.close();
  });
});

function mintRequest() {
  return { type: 'mint' as const, inputs: [net.banks[0]!.cert], outputs: [coin()] };
}
