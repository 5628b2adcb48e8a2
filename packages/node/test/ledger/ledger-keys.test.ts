import { type Block, compareBytes, decodeBlock, encodeBlock, ZERO_HASH } from '@weft/core';
import { assert, describe, it } from '@weft/test/harness';
import { encodeBlockLocating } from '../../src/ledger/block-bytes.js';
import { prefixEnd, readU64, u64 } from '../../src/ledger/keys.js';

function blockOf(data: Uint8Array[]): Block {
  const header = {
    channel: 'weft',
    number: 1,
    previousHash: ZERO_HASH,
    dataHash: ZERO_HASH,
    lastConfig: 0,
    timestamp: 0,
  };
  return { header, data, signatures: [] };
}

describe('ledger keys and block offsets', () => {
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

  it('envelope offsets are right for every CBOR length form', () => {
    const sizes = [0, 1, 23, 24, 255, 256, 65_535, 65_536];
    const data = Array.from({ length: 30 }, (_, i) =>
      new Uint8Array(sizes[i % sizes.length]!).fill(i),
    );
    const block = blockOf(data);
    const { bytes, locations } = encodeBlockLocating(block);
    assert.deepEqual(bytes, encodeBlock(block));
    assert.deepEqual(decodeBlock(bytes).data, data);
    for (const [i, at] of locations.entries()) {
      assert.deepEqual(bytes.subarray(at.offset, at.offset + at.length), data[i]);
    }
  });
});
