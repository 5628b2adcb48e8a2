import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Block, TxCode, toHex, txCodeName } from '@weft/core';
import { createDevNetwork, DevChain } from '@weft/core/dev';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import { openNodeDatabase } from '../../src/ledger/database.js';
import { ManualClock } from '../../src/orderer/clock.js';
import { SoloOrderer } from '../../src/orderer/solo-orderer.js';
import { chainOf, mints, net, openHarness, take, until, verifyChain } from './fixture.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-orderer-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A harness with blocks 1..n of one mint each. */
async function withBlocks(n: number) {
  const h = await openHarness({ ordering: { maxTxCount: 1 } });
  for (const t of await mints(n)) await h.orderer.broadcast(t.bytes);
  return h;
}

const numbers = (blocks: Block[]) => blocks.map((b) => b.header.number);

describe('solo orderer: deliver', () => {
  it('delivers from 0 and from the middle, in order, blocks that verify', async () => {
    const h = await withBlocks(5);
    const all = await take(h.orderer.deliver(0), 6);
    assert.deepEqual(numbers(all), [0, 1, 2, 3, 4, 5]);
    await verifyChain(all, h.genesis, h.channel);
    assert.deepEqual(await take(h.orderer.deliver(3), 3), all.slice(3));
    await rejectsWithCode(() => take(h.orderer.deliver(-1), 1), 'ORDERER_BAD_REQUEST');
    await rejectsWithCode(() => take(h.orderer.deliver(1.5), 1), 'ORDERER_BAD_REQUEST');
  });

  it('follows the head as blocks are cut, from the past and from beyond the head', async () => {
    const h = await withBlocks(2);
    const behind = take(h.orderer.deliver(1), 4);
    const ahead = take(h.orderer.deliver(4), 1);
    const seen: number[] = [];
    const stop = h.orderer.onBlock((b) => seen.push(b.header.number));
    for (const t of await mints(2)) await h.orderer.broadcast(t.bytes);
    stop();
    assert.deepEqual(numbers(await behind), [1, 2, 3, 4]);
    assert.deepEqual(numbers(await ahead), [4]);
    assert.deepEqual(seen, [3, 4]);
  });

  it('ends the stream when aborted, while waiting or between blocks, and when the orderer closes', async () => {
    const h = await withBlocks(2);
    const controller = new AbortController();
    const got: number[] = [];
    const following = (async () => {
      for await (const b of h.orderer.deliver(0, controller.signal)) got.push(b.header.number);
    })();
    await until(() => got.length === 3, 'the stored blocks');
    controller.abort();
    await following;
    assert.deepEqual(got, [0, 1, 2]);

    const before = new AbortController();
    before.abort();
    assert.deepEqual(await take(h.orderer.deliver(0, before.signal), 3), []);

    const waiting = take(h.orderer.deliver(3), 1);
    await h.orderer.close();
    assert.deepEqual(await waiting, [], 'close ends a waiting stream');
  });
});

describe('solo orderer: restart and load', () => {
  it('continues the chain after close and reopen on disk: no gap, no duplicate', async () => {
    const path = join(dir, 'restart');
    const clock = new ManualClock(net.time);
    const open = async () => {
      const db = await openNodeDatabase({ path });
      const orderer = await SoloOrderer.open({
        db,
        genesis: net.genesis,
        signer: net.orderer.signer,
        clock,
      });
      return { db, orderer };
    };
    const txs = await mints(6);
    let { db, orderer } = await open();
    const first = txs.slice(0, 3).map((t) => orderer.broadcast(t.bytes));
    await until(() => orderer.pending === 3);
    clock.advance(net.config.ordering.batchTimeoutMs);
    await Promise.all(first);
    const lost = orderer.broadcast(txs[3]!.bytes);
    await until(() => orderer.pending === 1);
    await orderer.close();
    await rejectsWithCode(() => lost, 'ORDERER_CLOSED');
    await db.close();

    ({ db, orderer } = await open());
    assert.equal(orderer.height, 2);
    await rejectsWithCode(() => orderer.broadcast(txs[0]!.bytes), 'ORDERER_DUPLICATE_TXID');
    const second = txs.slice(3).map((t) => orderer.broadcast(t.bytes));
    await until(() => orderer.pending === 3);
    clock.advance(net.config.ordering.batchTimeoutMs);
    assert.deepEqual(
      (await Promise.all(second)).map((r) => [r.block, r.index]),
      [
        [2, 0],
        [2, 1],
        [2, 2],
      ],
    );
    const blocks = await take(orderer.deliver(0), 3);
    await verifyChain(blocks, net.genesis, net.channel);
    const ids = blocks.slice(1).flatMap((b) => b.data.map((d) => toHex(d)));
    assert.equal(new Set(ids).size, 6);
    await orderer.close();
    await db.close();
  });

  it('acknowledges many concurrent broadcasts exactly once, all in the chain and valid', async () => {
    const busy = await createDevNetwork({ seed: 'orderer-load', maxTxCount: 16 });
    const h = await openHarness({ genesis: busy.genesis, signer: busy.orderer.signer });
    const txs = await mints(200, busy);
    const acks = txs.map((t) => h.orderer.broadcast(t.bytes));
    await until(() => h.orderer.pending === 200 % 16, 'all admitted');
    h.clock.advance(busy.config.ordering.batchTimeoutMs);
    const results = await Promise.all(acks);
    const blocks = await chainOf(h);
    assert.equal(blocks.length, 1 + Math.ceil(200 / 16));
    const places = new Set(results.map((r) => `${r.block}/${r.index}`));
    assert.equal(places.size, 200, 'no two acknowledgements name the same place');
    for (const [i, r] of results.entries()) {
      assert.deepEqual(blocks[r.block]!.data[r.index], txs[i]!.bytes);
    }
    assert.equal(
      blocks.slice(1).reduce((n, b) => n + b.data.length, 0),
      200,
    );
    // A peer's reference replay accepts every block and every transaction.
    const peer = new DevChain(busy);
    for (const b of blocks.slice(1)) {
      const { codes } = await peer.commit(b);
      assert.deepEqual(
        codes.map(txCodeName),
        codes.map(() => txCodeName(TxCode.VALID)),
      );
    }
  });
});
