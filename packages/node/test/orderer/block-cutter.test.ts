import { MAX_BLOCK_BYTES, MAX_ENVELOPE_BYTES } from '@weft/core';
import { assert, describe, it, throwsWithCode } from '@weft/test/harness';
import {
  BLOCK_OVERHEAD_BYTES,
  BlockCutter,
  type CutBatch,
  envelopeBatchBytes,
} from '../../src/orderer/block-cutter.js';
import { ManualClock } from '../../src/orderer/clock.js';

/** An envelope of `n` bytes whose first byte tells envelopes apart. */
const env = (n: number, tag = 0) => new Uint8Array(n).fill(tag, 0, 1);
const sizes = (batches: CutBatch[]) => batches.map((b) => b.envelopes.length);

describe('block cutter', () => {
  it('measures an envelope as it is encoded in a block: bytes plus the CBOR head', () => {
    assert.equal(envelopeBatchBytes(env(23)), 24);
    assert.equal(envelopeBatchBytes(env(24)), 26);
    assert.equal(envelopeBatchBytes(env(255)), 257);
    assert.equal(envelopeBatchBytes(env(256)), 259);
    assert.equal(envelopeBatchBytes(env(65_536)), 65_541);
  });

  it('cuts by count, numbering batches from the next block number', () => {
    const cutter = new BlockCutter({ limits: { maxTxCount: 3, maxBytes: 1 << 20 }, nextNumber: 5 });
    const cut = [1, 2, 3, 4, 5, 6, 7].flatMap((i) => cutter.ordered(env(10, i)));
    assert.deepEqual(sizes(cut), [3, 3]);
    assert.deepEqual(
      cut.map((b) => [b.number, b.reason]),
      [
        [5, 'count'],
        [6, 'count'],
      ],
    );
    assert.deepEqual(
      cut.flatMap((b) => b.envelopes.map((e) => e[0])),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal(cutter.pendingCount, 1);
    assert.equal(cutter.nextNumber, 7);
  });

  it('cuts before an envelope that would overflow maxBytes, and keeps it for the next batch', () => {
    const cutter = new BlockCutter({ limits: { maxTxCount: 100, maxBytes: 1000 }, nextNumber: 1 });
    assert.deepEqual(cutter.ordered(env(400, 1)), []);
    assert.deepEqual(cutter.ordered(env(400, 2)), []);
    assert.equal(cutter.pendingBytes, 806);
    const [cut, ...more] = cutter.ordered(env(400, 3));
    assert.deepEqual(more, []);
    assert.equal(cut!.reason, 'bytes');
    assert.equal(cut!.bytes, 806);
    assert.deepEqual(
      cut!.envelopes.map((e) => e[0]),
      [1, 2],
    );
    assert.equal(cutter.pendingCount, 1);
    // Exactly at the limit still fits.
    const exact = new BlockCutter({ limits: { maxTxCount: 100, maxBytes: 806 }, nextNumber: 1 });
    exact.ordered(env(400));
    assert.deepEqual(exact.ordered(env(400)), []);
  });

  it('with maxTxCount 1 every envelope is its own batch; a bytes cut leaves the envelope pending', () => {
    const cutter = new BlockCutter({ limits: { maxTxCount: 1, maxBytes: 1000 }, nextNumber: 1 });
    assert.deepEqual(sizes(cutter.ordered(env(10))), [1]);
    assert.equal(cutter.pendingCount, 0);
    const two = new BlockCutter({ limits: { maxTxCount: 2, maxBytes: 1000 }, nextNumber: 1 });
    two.ordered(env(600, 1));
    assert.deepEqual(sizes(two.ordered(env(600, 2))), [1]);
    assert.deepEqual(sizes(two.ordered(env(10, 3))), [2]);
  });

  it('rejects an envelope that alone exceeds maxBytes, without changing the pending batch', () => {
    const cutter = new BlockCutter({ limits: { maxTxCount: 10, maxBytes: 1024 }, nextNumber: 1 });
    cutter.ordered(env(100));
    throwsWithCode(() => cutter.ordered(env(1022)), 'ORDERER_ENVELOPE_TOO_LARGE');
    throwsWithCode(() => cutter.check(env(MAX_ENVELOPE_BYTES + 1)), 'ORDERER_ENVELOPE_TOO_LARGE');
    assert.equal(cutter.pendingCount, 1);
    assert.equal(cutter.pendingBytes, 102);
    assert.deepEqual(cutter.ordered(env(1021)).length, 1, 'a 1024-byte envelope still fits alone');
  });

  it('caps maxBytes so a full block stays under the decoders bound', () => {
    const cutter = new BlockCutter({
      limits: { maxTxCount: 10, maxBytes: MAX_BLOCK_BYTES },
      nextNumber: 1,
    });
    assert.equal(cutter.maxBytes, MAX_BLOCK_BYTES - BLOCK_OVERHEAD_BYTES);
  });

  it('cuts on a time-to-cut marker for the pending block only; stale and future ones are ignored', () => {
    const cutter = new BlockCutter({ limits: { maxTxCount: 2, maxBytes: 1 << 20 }, nextNumber: 1 });
    assert.equal(cutter.timeToCut(1), undefined, 'nothing pending');
    cutter.ordered(env(10));
    cutter.ordered(env(10)); // block 1 cut by count
    cutter.ordered(env(10));
    assert.equal(cutter.timeToCut(1), undefined, 'stale: block 1 was cut by count');
    assert.equal(cutter.timeToCut(3), undefined, 'premature');
    const cut = cutter.timeToCut(2);
    assert.deepEqual([cut?.number, cut?.reason, cut?.envelopes.length], [2, 'timeout', 1]);
    assert.equal(cutter.timeToCut(2), undefined, 'a second marker for the same block');
    assert.equal(cutter.cutPending(), undefined);
    cutter.ordered(env(10));
    assert.equal(cutter.cutPending()?.reason, 'forced');
    assert.equal(cutter.nextNumber, 4);
  });

  it('is deterministic: the same input gives the same batches', () => {
    const run = () => {
      const c = new BlockCutter({ limits: { maxTxCount: 4, maxBytes: 2000 }, nextNumber: 1 });
      const out: CutBatch[] = [];
      for (let i = 0; i < 50; i++) {
        out.push(...c.ordered(env((i * 97) % 900, i)));
        if (i % 7 === 0) {
          const t = c.timeToCut(c.nextNumber);
          if (t) out.push(t);
        }
      }
      return out.map((b) => [b.number, b.reason, b.bytes, b.envelopes.map((e) => e[0])]);
    };
    assert.deepEqual(run(), run());
  });
});

describe('manual clock', () => {
  it('fires due timers in due order, each at its own time, and honours cancel', () => {
    const clock = new ManualClock(1000);
    const fired: [string, number][] = [];
    clock.setTimer(30, () => fired.push(['b', clock.now()]));
    clock.setTimer(10, () => {
      fired.push(['a', clock.now()]);
      clock.setTimer(5, () => fired.push(['a2', clock.now()]));
    });
    const cancel = clock.setTimer(20, () => fired.push(['x', clock.now()]));
    cancel();
    clock.advance(29);
    assert.deepEqual(fired, [
      ['a', 1010],
      ['a2', 1015],
    ]);
    assert.equal(clock.now(), 1029);
    clock.advance(1);
    assert.deepEqual(fired.at(-1), ['b', 1030]);
    assert.equal(clock.pendingTimers, 0);
  });
});
