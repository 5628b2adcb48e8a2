// toHex spells bytes out into a reused buffer before making one string:
// it must equal the plain per-byte spelling for every length (beyond the
// buffer too) and never carry one call's digits into the next.
import { assert, describe, it } from '@weft/test/harness';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/bytes.js';

const reference = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

describe('bytes: toHex', () => {
  it('is the lower-case spelling of every byte, for any length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const hex = toHex(bytes);
        assert.equal(hex, reference(bytes));
        assert.deepEqual(fromHex(hex), bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('handles the empty input, all byte values, and long inputs after short ones', () => {
    assert.equal(toHex(new Uint8Array(0)), '');
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.equal(toHex(all), reference(all));
    const long = new Uint8Array(100_000).fill(0xab);
    assert.equal(toHex(long), 'ab'.repeat(100_000));
    assert.equal(toHex(Uint8Array.of(1)), '01');
  });
});
