// The direct header encoder and the light-header assembly must write the
// very bytes the generic canonical encoder writes (they are hashed and
// signed), and leave every value outside their plain case to it.
import { assert, describe, it } from '@weft/test/harness';
import * as fc from 'fast-check';
import {
  type BlockHeader,
  blockHash,
  blockToCbor,
  encodeBlock,
  encodeHeader,
  headerToCbor,
} from '../../src/block/block.js';
import { encodeHeaderDirect } from '../../src/block/header-encoding.js';
import { toHex } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/hash.js';
import { encodeGeneric } from '../../src/encoding/cbor.js';
import { CodecError } from '../../src/errors.js';
import { encodeLightHeader } from '../../src/protocol/light.js';

const uint = fc.oneof(
  fc.nat(30),
  fc.constantFrom(23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER),
  fc.maxSafeNat(),
);
const headerArb: fc.Arbitrary<BlockHeader> = fc.record({
  channel: fc.oneof(
    fc.string({ maxLength: 70 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.constantFrom('weft', '', 'x'.repeat(23), 'x'.repeat(24), 'ch\u00e9'),
  ),
  number: uint,
  previousHash: fc.uint8Array({ minLength: 0, maxLength: 40 }),
  dataHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  lastConfig: uint,
  timestamp: uint,
});
const plainHeader: BlockHeader = {
  channel: 'weft',
  number: 7,
  previousHash: new Uint8Array(32).fill(1),
  dataHash: new Uint8Array(32).fill(2),
  lastConfig: 0,
  timestamp: 1_767_225_600_000,
};
const generic = (h: BlockHeader) => toHex(encodeGeneric(headerToCbor(h)));

describe('block/header-encoding: direct canonical header bytes', () => {
  it('writes exactly what the generic encoder writes', () => {
    fc.assert(
      fc.property(headerArb, (h) => {
        assert.equal(toHex(encodeHeader(h)), generic(h));
        // Every generated header is plain but for non-ASCII channel names.
        const direct = encodeHeaderDirect(h);
        const ascii = [...h.channel].every((c) => c.charCodeAt(0) < 0x80);
        if (ascii) assert.equal(toHex(direct!), generic(h));
        else assert.isUndefined(direct);
      }),
      { numRuns: 500 },
    );
  });

  it('takes the plain case directly and leaves the rest to the generic encoder', () => {
    const h = plainHeader;
    assert.isDefined(encodeHeaderDirect(h));
    assert.isUndefined(encodeHeaderDirect({ ...h, channel: 'chaîne' }));
    assert.equal(
      toHex(encodeHeader({ ...h, channel: 'chaîne' })),
      generic({ ...h, channel: 'chaîne' }),
    );
    for (const bad of [{ number: -1 }, { timestamp: 1.5 }, { lastConfig: 2 ** 53 }]) {
      const odd = { ...h, ...bad };
      assert.isUndefined(encodeHeaderDirect(odd));
      // The generic path encodes a negative number and rejects what has no canonical form.
      let direct: unknown;
      let viaGeneric: unknown;
      try {
        direct = toHex(encodeHeader(odd));
      } catch (err) {
        direct = (err as CodecError).code;
      }
      try {
        viaGeneric = generic(odd);
      } catch (err) {
        assert.instanceOf(err, CodecError);
        viaGeneric = (err as CodecError).code;
      }
      assert.equal(direct, viaGeneric);
    }
  });

  it('assembles a light header as the block encoding with no data, signatures directly', () => {
    const sig = fc.record({
      signer: fc.uint8Array({ minLength: 0, maxLength: 40 }),
      signature: fc.uint8Array({ minLength: 20, maxLength: 300 }),
    });
    fc.assert(
      fc.property(headerArb, fc.array(sig, { maxLength: 30 }), (header, signatures) => {
        const expected = encodeGeneric(blockToCbor({ header, data: [], signatures }));
        assert.equal(toHex(encodeLightHeader({ header, signatures })), toHex(expected));
      }),
      { numRuns: 200 },
    );
  });

  it('hashes the header it would encode (written in scratch space, never allocated)', () => {
    fc.assert(
      fc.property(headerArb, (h) => {
        assert.equal(toHex(blockHash(h)), toHex(sha256(encodeGeneric(headerToCbor(h)))));
      }),
      { numRuns: 300 },
    );
  });

  it('writes light headers far larger than its scratch space, and smaller ones after', () => {
    const header = plainHeader;
    const huge = Array.from({ length: 64 }, (_, i) => ({
      signer: new Uint8Array(32).fill(i),
      signature: new Uint8Array(1500).fill(255 - i),
    }));
    for (const signatures of [huge, huge.slice(0, 1), huge, []]) {
      const expected = encodeBlock({ header, data: [], signatures });
      assert.equal(
        toHex(encodeLightHeader({ header, signatures })),
        toHex(encodeGeneric(blockToCbor({ header, data: [], signatures }))),
      );
      assert.equal(toHex(encodeLightHeader({ header, signatures })), toHex(expected));
    }
  });
});
