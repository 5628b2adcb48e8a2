import { assert, describe, it } from '@weft/test/harness';
import {
  formatAmount,
  formatDuration,
  formatRate,
  MAX_AMOUNT,
  parseAmount,
  shortHex,
} from '../src/ui/format.js';

describe('amounts are bigints from keyboard to screen', () => {
  it('reads whole numbers, with separators, up to 2^64 - 1 exactly', () => {
    assert.deepEqual(parseAmount(' 1,000 '), { ok: true, value: 1000n });
    assert.deepEqual(parseAmount('1 000 000'), { ok: true, value: 1_000_000n });
    assert.deepEqual(parseAmount('18446744073709551615'), { ok: true, value: MAX_AMOUNT });
    // A float would round this to 2^64 and accept it.
    assert.isFalse(parseAmount('18446744073709551616').ok);
    for (const bad of ['', '0', '-5', '1.5', '1e3', '0x10', 'ten']) {
      assert.isFalse(parseAmount(bad).ok, bad);
    }
  });

  it('prints any bigint exactly, grouped by thousands', () => {
    assert.equal(formatAmount(0n), '0');
    assert.equal(formatAmount(999n), '999');
    assert.equal(formatAmount(1000n), '1,000');
    assert.equal(formatAmount(MAX_AMOUNT), '18,446,744,073,709,551,615');
    assert.equal(formatAmount(-1234567n), '-1,234,567');
  });

  it('shortens hashes, rates and durations for reading', () => {
    assert.equal(shortHex('ab'.repeat(32)), 'abababab…abab');
    assert.equal(shortHex('abcd'), 'abcd');
    assert.equal(formatRate(12.345), '12.3');
    assert.equal(formatRate(12345.6), '12,346');
    assert.equal(formatDuration(42), '42 s');
    assert.equal(formatDuration(125), '2 min 5 s');
    assert.equal(formatDuration(7260), '2 h 1 min');
    assert.equal(formatDuration(Number.NaN), '–');
  });
});
