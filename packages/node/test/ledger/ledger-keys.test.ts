import { compareBytes } from '@weft/core';
import { assert, describe, it } from '@weft/test/harness';
import { envelopeKey, prefixEnd, readU64, u64 } from '../../src/ledger/keys.js';

describe('ledger keys', () => {
  it('block numbers are fixed-width big-endian, so byte order is numeric order', () => {
    const numbers = [0, 1, 255, 256, 65_535, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER];
    const keys = numbers.map(u64);
    for (const k of keys) assert.lengthOf(k, 8);
    for (let i = 1; i < keys.length; i++) assert.isBelow(compareBytes(keys[i - 1]!, keys[i]!), 0);
    assert.deepEqual(
      keys.map((k) => readU64(k)),
      numbers,
    );
    assert.throws(() => u64(-1), RangeError);
  });

  it('prefixEnd bounds exactly the keys that start with a prefix', () => {
    assert.deepEqual(prefixEnd(Uint8Array.of(1, 2, 3)), Uint8Array.of(1, 2, 4));
    assert.deepEqual(prefixEnd(Uint8Array.of(1, 0xff, 0xff)), Uint8Array.of(2));
    assert.isUndefined(prefixEnd(Uint8Array.of(0xff, 0xff)));
  });

  it('envelope keys sort by block, then index, and stay inside their block', () => {
    const pairs: [number, number][] = [
      [0, 0],
      [0, 1],
      [0, 255],
      [0, 256],
      [0, 2 ** 32 - 1],
      [1, 0],
      [256, 7],
      [2 ** 32, 0],
    ];
    const keys = pairs.map(([b, i]) => envelopeKey(b, i));
    for (const k of keys) assert.lengthOf(k, 12);
    for (let i = 1; i < keys.length; i++) assert.isBelow(compareBytes(keys[i - 1]!, keys[i]!), 0);
    for (const [b, i] of pairs) {
      assert.equal(readU64(envelopeKey(b, i)), b);
      assert.isBelow(compareBytes(envelopeKey(b, i), u64(b + 1)), 0);
    }
    assert.throws(() => envelopeKey(0, -1), RangeError);
    assert.throws(() => envelopeKey(0, 2 ** 32), RangeError);
  });
});
