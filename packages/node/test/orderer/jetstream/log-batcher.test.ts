import { createDevNetwork } from '@weft/core/dev';
import { assert, describe, it } from '@weft/test/harness';
import fc from 'fast-check';
import { RecentTxids } from '../../../src/orderer/admission.js';
import {
  LOG_TXID_WINDOW,
  type LogBatch,
  LogBatcher,
} from '../../../src/orderer/jetstream/log-batcher.js';
import { mints, net } from '../fixture.js';

const pool = await mints(12);
const limits = { maxTxCount: 4, maxBytes: 2 * (pool[0]!.bytes.length + 3) + 10 };

/** A log message as the batcher sees it: an envelope (maybe a repeat), a marker, or junk. */
type Msg = { tx: number } | { ttc: number } | { junk: Uint8Array };

const msgArb: fc.Arbitrary<Msg> = fc.oneof(
  { weight: 6, arbitrary: fc.nat(pool.length - 1).map((tx) => ({ tx })) },
  { weight: 2, arbitrary: fc.nat(8).map((ttc) => ({ ttc })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((junk) => ({ junk })) },
);

/** Feeds messages (stream sequences from `from`) into a batcher; what it cut. */
function run(batcher: LogBatcher, log: readonly Msg[], from: number): LogBatch[] {
  const out: LogBatch[] = [];
  for (let seq = from; seq <= log.length; seq++) {
    const m = log[seq - 1] as Msg;
    const time = 1_000 + seq;
    if ('tx' in m) {
      const r = batcher.envelope(seq, time, pool[m.tx]!.bytes);
      if (typeof r !== 'string') out.push(...r);
    } else if ('ttc' in m) {
      const b = batcher.timeToCut(seq, time, m.ttc);
      if (b) out.push(b);
    } else {
      assert.equal(batcher.envelope(seq, time, m.junk), 'invalid');
    }
  }
  return out;
}

/** A batcher as an orderer opens it after storing `stored`: the window rebuilt from those blocks. */
function resumed(stored: readonly LogBatch[]): LogBatcher {
  const window = new RecentTxids(LOG_TXID_WINDOW);
  for (const b of stored) for (const t of b.txids) window.add(t);
  return new LogBatcher({
    channel: net.config.channel,
    limits,
    nextNumber: 1 + stored.length,
    window,
  });
}

describe('log batcher: cutting blocks from a shared log', () => {
  it('an orderer resuming from any stored block cuts exactly what one reading straight through cut', () => {
    fc.assert(
      fc.property(fc.array(msgArb, { maxLength: 60 }), (log) => {
        const all = run(resumed([]), log, 1);
        // Each envelope of the pool at most once, in first-seen order of the log.
        const seen = all.flatMap((b) => b.txids);
        assert.equal(new Set(seen).size, seen.length);
        for (const [k, batch] of all.entries()) {
          assert.equal(batch.number, k + 1);
          assert.isAtMost(batch.envelopes.length, limits.maxTxCount);
          const after = run(resumed(all.slice(0, k + 1)), log, batch.next);
          assert.deepEqual(after, all.slice(k + 1), `resumed after block ${batch.number}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('cuts on the first marker for the pending block only, timestamped from the log', () => {
    const b = resumed([]);
    const [x, y] = pool;
    assert.deepEqual(b.envelope(1, 500, x!.bytes), []);
    assert.isUndefined(b.timeToCut(2, 600, 2), 'a marker for a later block');
    assert.isUndefined(b.timeToCut(3, 650, 0), 'a stale marker');
    const cut = b.timeToCut(4, 700, 1);
    assert.deepInclude(cut, { number: 1, time: 700, next: 5, reason: 'timeout' });
    assert.isUndefined(b.timeToCut(5, 800, 1), 'a second marker for the same block');
    assert.equal(b.envelope(6, 900, x!.bytes), 'duplicate');
    assert.deepEqual(b.envelope(7, 950, y!.bytes), []);
    assert.equal(b.pendingCount, 1);
  });

  it('a bytes cut resumes at the envelope that overflowed; a count cut after it', () => {
    const b = resumed([]);
    const [p, q, r, s, t, u] = pool.map((tx) => tx.bytes);
    b.envelope(1, 1, p!);
    b.envelope(2, 2, q!);
    const [bytesCut] = b.envelope(3, 3, r!) as LogBatch[];
    assert.deepInclude(bytesCut, { number: 1, next: 3, reason: 'bytes', time: 3 });
    assert.equal(bytesCut!.envelopes.length, 2);
    const wide = new LogBatcher({
      channel: net.config.channel,
      limits: { maxTxCount: 2, maxBytes: 1 << 20 },
      nextNumber: 1,
      window: new RecentTxids(LOG_TXID_WINDOW),
    });
    wide.envelope(10, 1, s!);
    const [countCut] = wide.envelope(11, 2, t!) as LogBatch[];
    assert.deepInclude(countCut, { number: 1, next: 12, reason: 'count' });
    assert.deepEqual(wide.envelope(12, 3, u!), []);
  });

  it('skips envelopes of another channel and refuses a window of another size', async () => {
    const elsewhere = await createDevNetwork({ seed: 'log-batcher', channel: 'other' });
    const [other] = await mints(1, elsewhere);
    assert.equal(resumed([]).envelope(1, 1, other!.bytes), 'invalid');
    assert.throws(
      () =>
        new LogBatcher({
          channel: net.config.channel,
          limits,
          nextNumber: 1,
          window: new RecentTxids(10),
        }),
      /window/,
    );
  });
});
