import { assert, describe, it, throwsWithCode } from '@weft/test/harness';
import * as fc from 'fast-check';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/bytes.js';
import { encode } from '../../src/encoding/cbor.js';
import { WeftError } from '../../src/errors.js';
import {
  decodeFrame,
  END_FRAME,
  encodeFrame,
  encodeFrameMessage,
  encodeLengthPrefixed,
  encodeVarint,
  type Frame,
  LengthPrefixedDecoder,
  MAX_ERROR_MESSAGE_LENGTH,
  WireError,
} from '../../src/wire/index.js';

const WIRE_CODES = ['WIRE_TOO_LARGE', 'WIRE_MALFORMED', 'WIRE_TRUNCATED'];
const FRAME_BOUND = { maxBytes: 1 << 16 };

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.subarray(start, p));
    start = p;
  }
  return parts;
}

function feed(decoder: LengthPrefixedDecoder, chunks: Uint8Array[]): Uint8Array[] {
  return chunks.flatMap((c) => decoder.push(c));
}

function assertWireError(err: unknown): void {
  assert.instanceOf(err, WireError, `non-wire error: ${String(err)}`);
  assert.instanceOf(err, WeftError);
  assert.include(WIRE_CODES, (err as WireError).code);
}

const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((payload): Frame => ({ kind: 'data', payload })),
  fc
    .record({
      code: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/),
      message: fc.string({ unit: 'grapheme', maxLength: 30 }),
    })
    .map(({ code, message }): Frame => ({ kind: 'error', code, message })),
  fc.constant(END_FRAME),
);

describe('wire: unsigned varint', () => {
  it('encodes known values minimally', () => {
    assert.equal(toHex(encodeVarint(0)), '00');
    assert.equal(toHex(encodeVarint(1)), '01');
    assert.equal(toHex(encodeVarint(127)), '7f');
    assert.equal(toHex(encodeVarint(128)), '8001');
    assert.equal(toHex(encodeVarint(300)), 'ac02');
    assert.equal(toHex(encodeVarint(2 ** 32)), '8080808010');
    assert.equal(toHex(encodeVarint(Number.MAX_SAFE_INTEGER)), 'ffffffffffffff0f');
  });

  it('refuses negative, fractional and unsafe values', () => {
    for (const v of [-1, 1.5, Number.NaN, 2 ** 53])
      throwsWithCode(() => encodeVarint(v), 'WIRE_MALFORMED');
  });
});

describe('wire: length-prefixed decoder', () => {
  it('decodes messages split at every possible point', () => {
    const msgs = [utf8('hello'), new Uint8Array(0), new Uint8Array(300).fill(7)];
    const stream = concatBytes(...msgs.map(encodeLengthPrefixed));
    for (let i = 0; i <= stream.length; i++) {
      const d = new LengthPrefixedDecoder({ maxMessageBytes: 1000 });
      const out = feed(d, [stream.subarray(0, i), stream.subarray(i)]);
      assert.deepEqual(out.map(toHex), msgs.map(toHex));
      assert.isTrue(d.atBoundary);
      d.finish();
    }
  });

  it('refuses a declared length above the bound before the body arrives', () => {
    const d = new LengthPrefixedDecoder({ maxMessageBytes: 100 });
    // Only the prefix of a 1 MiB message: refused without waiting for (or allocating) the body.
    throwsWithCode(() => d.push(encodeVarint(1 << 20)), 'WIRE_TOO_LARGE');
    // The first byte alone (0x80 | 0) says nothing yet; 0xff already says "at least 127".
    const e = new LengthPrefixedDecoder({ maxMessageBytes: 100 });
    throwsWithCode(() => e.push(Uint8Array.of(0xff)), 'WIRE_TOO_LARGE');
    assert.equal(e.pendingBytes, 0);
  });

  it('accepts exactly the bound', () => {
    const d = new LengthPrefixedDecoder({ maxMessageBytes: 100 });
    const [m] = d.push(encodeLengthPrefixed(new Uint8Array(100)));
    assert.equal(m!.length, 100);
  });

  it('refuses non-minimal and overlong varints', () => {
    const big = { maxMessageBytes: Number.MAX_SAFE_INTEGER };
    throwsWithCode(() => new LengthPrefixedDecoder(big).push(fromHex('8000')), 'WIRE_MALFORMED');
    throwsWithCode(() => new LengthPrefixedDecoder(big).push(fromHex('818000')), 'WIRE_MALFORMED');
    throwsWithCode(
      () => new LengthPrefixedDecoder(big).push(fromHex('80808080808080808000')),
      'WIRE_MALFORMED',
    );
  });

  it('stays failed after the first violation', () => {
    const d = new LengthPrefixedDecoder({ maxMessageBytes: 10 });
    throwsWithCode(() => d.push(fromHex('7f')), 'WIRE_TOO_LARGE');
    throwsWithCode(() => d.push(fromHex('00')), 'WIRE_TOO_LARGE');
    throwsWithCode(() => d.finish(), 'WIRE_TOO_LARGE');
  });

  it('reports a stream that ends inside a message as truncated', () => {
    const d = new LengthPrefixedDecoder({ maxMessageBytes: 10 });
    assert.deepEqual(d.push(fromHex('05aabb')), []);
    assert.isFalse(d.atBoundary);
    assert.equal(d.pendingBytes, 5);
    throwsWithCode(() => d.finish(), 'WIRE_TRUNCATED');
    const e = new LengthPrefixedDecoder({ maxMessageBytes: 1000 });
    e.push(fromHex('80'));
    throwsWithCode(() => e.finish(), 'WIRE_TRUNCATED');
  });

  it('returns copies, not views into the chunk', () => {
    const chunk = encodeLengthPrefixed(utf8('abc'));
    const [m] = new LengthPrefixedDecoder({ maxMessageBytes: 10 }).push(chunk);
    chunk.fill(0);
    assert.equal(toHex(m!), toHex(utf8('abc')));
  });

  it('property: any chunking yields the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (msgs, offsets) => {
          const stream = concatBytes(...msgs.map(encodeLengthPrefixed));
          const d = new LengthPrefixedDecoder({ maxMessageBytes: 200 });
          const out = feed(d, cut(stream, offsets));
          assert.deepEqual(out.map(toHex), msgs.map(toHex));
          d.finish();
        },
      ),
    );
  });

  it('property: garbage only ever throws a WireError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 0, max: 1 << 20 }),
        (garbage, offsets, max) => {
          const d = new LengthPrefixedDecoder({ maxMessageBytes: max });
          try {
            for (const m of feed(d, cut(garbage, offsets))) assert.isAtMost(m.length, max);
            d.finish();
          } catch (err) {
            assertWireError(err);
          }
        },
      ),
    );
  });
});

describe('wire: frames', () => {
  it('has the documented layout', () => {
    assert.equal(toHex(encodeFrame({ kind: 'data', payload: fromHex('abcd') })), '00abcd');
    assert.equal(toHex(encodeFrame(END_FRAME)), '02');
    const err = encodeFrame({ kind: 'error', code: 'NET_FORBIDDEN', message: 'no' });
    assert.equal(err[0], 1);
    assert.equal(toHex(err.subarray(1)), toHex(encode({ code: 'NET_FORBIDDEN', message: 'no' })));
    assert.equal(toHex(encodeFrameMessage(END_FRAME)), '0102');
  });

  it('round-trips every frame kind', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        const back = decodeFrame(encodeFrame(frame), FRAME_BOUND);
        assert.deepEqual(back, frame);
      }),
    );
  });

  it('refuses invalid error codes when encoding', () => {
    for (const code of ['', 'lower', 'HAS SPACE', 'X'.repeat(65)]) {
      throwsWithCode(() => encodeFrame({ kind: 'error', code, message: '' }), 'WIRE_MALFORMED');
    }
  });

  it('cuts long error messages to an encodable bound, even mid surrogate pair', () => {
    const long = `${'a'.repeat(MAX_ERROR_MESSAGE_LENGTH - 1)}😀tail`;
    const back = decodeFrame(encodeFrame({ kind: 'error', code: 'X', message: long }), FRAME_BOUND);
    assert.equal(back.kind, 'error');
    if (back.kind === 'error') assert.equal(back.message, 'a'.repeat(MAX_ERROR_MESSAGE_LENGTH - 1));
    const lone = decodeFrame(
      encodeFrame({ kind: 'error', code: 'X', message: 'a\uD800b' }),
      FRAME_BOUND,
    );
    if (lone.kind === 'error') assert.equal(lone.message, 'a\uFFFDb');
  });

  it('rejects malformed frames with typed errors', () => {
    throwsWithCode(() => decodeFrame(new Uint8Array(0), FRAME_BOUND), 'WIRE_MALFORMED');
    throwsWithCode(() => decodeFrame(fromHex('03'), FRAME_BOUND), 'WIRE_MALFORMED');
    throwsWithCode(() => decodeFrame(fromHex('0200'), FRAME_BOUND), 'WIRE_MALFORMED');
    throwsWithCode(() => decodeFrame(fromHex('01'), FRAME_BOUND), 'WIRE_MALFORMED');
    throwsWithCode(() => decodeFrame(new Uint8Array(11), { maxBytes: 10 }), 'WIRE_TOO_LARGE');
    const extraField = concatBytes(Uint8Array.of(1), encode({ code: 'X', message: 'm', more: 1 }));
    throwsWithCode(() => decodeFrame(extraField, FRAME_BOUND), 'WIRE_MALFORMED');
    const badCode = concatBytes(Uint8Array.of(1), encode({ code: 'lower', message: 'm' }));
    throwsWithCode(() => decodeFrame(badCode, FRAME_BOUND), 'WIRE_MALFORMED');
    // Non-canonical CBOR (map keys out of order) is refused, not reinterpreted.
    const unsorted = fromHex('01a2676d657373616765616d64636f64656158');
    throwsWithCode(() => decodeFrame(unsorted, FRAME_BOUND), 'WIRE_MALFORMED');
  });

  it('property: garbage only ever throws a WireError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 300 }), (bytes, max) => {
        try {
          const frame = decodeFrame(bytes, { maxBytes: max });
          assert.deepEqual(decodeFrame(encodeFrame(frame), FRAME_BOUND), frame);
        } catch (err) {
          assertWireError(err);
        }
      }),
    );
  });

  it('property: a framed response survives any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (frames, offsets) => {
          const stream = concatBytes(...frames.map(encodeFrameMessage));
          const d = new LengthPrefixedDecoder({ maxMessageBytes: 1 << 12 });
          const back = feed(d, cut(stream, offsets)).map((m) => decodeFrame(m, FRAME_BOUND));
          assert.deepEqual(back, frames);
        },
      ),
    );
  });
});
