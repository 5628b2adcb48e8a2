// The codec's fast paths (a one-pass decoder for canonical input, a direct
// encoder for plain values) must be invisible: for every input they either
// give what the generic cborg-based path gives, byte for byte and type for
// type, or step aside so that the generic path answers (and rejects). Each
// test holds `decode`/`encode` (fast path first) against `decodeGeneric`/
// `encodeGeneric` (the authority), including on hostile input.
import { assert, describe, it } from '@weft/test/harness';
import * as fc from 'fast-check';
import { fromHex, toHex } from '../../src/bytes.js';
import {
  type CborValue,
  decode,
  decodeGeneric,
  decodeWithSpans,
  encode,
  encodeGeneric,
  withEncoding,
} from '../../src/encoding/cbor.js';
import { CodecError } from '../../src/errors.js';
import { cborArb, mutate, mutationArb } from './arbitraries.js';

const BOUND = { maxBytes: 1 << 20 };

/** A value spelled out with its types, so numbers, bigints and byte kinds cannot pass for each other. */
function spell(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : `${v}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return `${v}`;
  if (v instanceof Uint8Array) return `${v.constructor.name}(${toHex(v)})`;
  if (Array.isArray(v)) return `[${v.map(spell).join(',')}]`;
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) === Object.prototype ? '' : 'odd-proto';
    const entries = Object.keys(v).map((k) => `${JSON.stringify(k)}:${spell((v as never)[k])}`);
    return `${proto}{${entries.join(',')}}`;
  }
  return `?${typeof v}`;
}

type Outcome = { value: string; spans: string } | { code: string };

function outcome(run: () => { value: unknown; spans: ReadonlyMap<string, unknown> }): Outcome {
  try {
    const { value, spans } = run();
    return { value: spell(value), spans: JSON.stringify([...spans]) };
  } catch (err) {
    assert.instanceOf(err, CodecError, `a non-codec error escaped: ${String(err)}`);
    return { code: (err as CodecError).code };
  }
}

/** decode and decodeWithSpans (fast path first) against the generic decoder alone. */
function assertSameDecode(bytes: Uint8Array): void {
  const generic = outcome(() => decodeGeneric(bytes, BOUND));
  assert.deepEqual(
    outcome(() => decodeWithSpans(bytes, BOUND)),
    generic,
    `spans ${toHex(bytes)}`,
  );
  const plain = outcome(() => ({ value: decode(bytes, BOUND), spans: new Map() }));
  assert.deepEqual(plain, 'code' in generic ? generic : { ...generic, spans: '[]' }, toHex(bytes));
}

function encodeOutcome(encoder: (v: CborValue) => Uint8Array, v: unknown): string {
  try {
    return toHex(encoder(v as CborValue));
  } catch (err) {
    assert.instanceOf(err, CodecError, `a non-codec error escaped: ${String(err)}`);
    return `error ${(err as CodecError).code}`;
  }
}

function assertSameEncode(v: unknown): void {
  const generic = encodeOutcome(encodeGeneric, v);
  assert.equal(encodeOutcome(encode, v), generic);
  assert.equal(
    encodeOutcome((x) => withEncoding(x, (bytes) => bytes.slice()), v),
    generic,
  );
}

describe('encoding: the fast decoder agrees with the generic one', () => {
  it('on canonical encodings of arbitrary values, and their spans', () => {
    fc.assert(
      fc.property(cborArb, (v) => assertSameDecode(encodeGeneric(v))),
      { numRuns: 1000 },
    );
  });

  it('on mutated encodings (flipped, inserted, deleted, appended bytes)', () => {
    fc.assert(
      fc.property(cborArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (v, ms) => {
        let bytes = encodeGeneric(v);
        for (const m of ms) bytes = mutate(bytes, m);
        assertSameDecode(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => assertSameDecode(bytes)),
      { numRuns: 3000 },
    );
  });

  it('on the edge cases of integers, lengths, text and structure', () => {
    const cases = [
      '', // nothing
      '00',
      '17',
      '1817', // non-minimal
      '1818',
      '1900ff', // non-minimal
      '190100',
      '1a0000ffff', // non-minimal
      '1a00010000',
      '1b00000000ffffffff', // non-minimal
      '1b0000000100000000',
      '1b001fffffffffffff', // MAX_SAFE
      '1b0020000000000000', // 2^53: bigint
      '1bffffffffffffffff',
      '3b001ffffffffffffd',
      '3b001ffffffffffffe', // MIN_SAFE
      '3b001fffffffffffff', // -2^53: bigint
      '3bffffffffffffffff',
      '1c',
      '1f',
      '5f4101ff', // indefinite bytes
      '9fff', // indefinite array
      'bf6161f5ff', // indefinite map
      'f4',
      'f5',
      'f6',
      'f7', // undefined
      'f0', // simple value
      'f818',
      'f93c00', // half float
      'fa3f800000',
      'fb3ff0000000000000',
      'c11a514b67b0', // tag
      'ff', // break
      '5a00000100', // bytes longer than the input
      '9a00010000', // array longer than the input
      'bb0000000000000001616100', // 64-bit map length
      '61', // text cut short
      '62c3', // UTF-8 cut short
      '62c3bc',
      '63efbbbf', // BOM kept
      '63eda080', // encoded surrogate
      '62c0af', // overlong
      '64f4908080', // beyond U+10FFFF
      '63efbfbd', // U+FFFD itself
      'a2616101616102', // keys in order
      'a2616201616101', // keys out of order
      'a2616101616101', // duplicate key
      'a2616201626161', // shorter key first
      'a1695f5f70726f746f5f5f01', // __proto__
      'a10101', // integer key
      'a1410101', // byte key
      'a1', // map cut short
      '820102', // trailing item
      '8201',
      '0000', // trailing bytes
      '80',
      'a0',
      '40',
      '60',
    ];
    for (const hex of cases) assertSameDecode(fromHex(hex));
  });

  it('on nesting deeper than the fast path goes', () => {
    for (const depth of [255, 256, 257, 300, 1000]) {
      const bytes = new Uint8Array(depth + 1).fill(0x81);
      bytes[depth] = 0x01;
      assertSameDecode(bytes);
    }
  });

  it('on many distinct short strings (the interning table collides and evicts)', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
    const bytes = encodeGeneric(words);
    assert.deepEqual(decode(bytes, BOUND), words);
    assert.deepEqual(decode(bytes, BOUND), words);
  });
});

describe('encoding: the fast encoder agrees with the generic one', () => {
  it('on arbitrary values', () => {
    fc.assert(
      fc.property(cborArb, (v) => assertSameEncode(v)),
      { numRuns: 1000 },
    );
  });

  it('on values outside its plain case, which the generic encoder judges', () => {
    class Point {
      x = 1;
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const throwing = {
      get boom(): number {
        throw new Error('getter');
      },
    };
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    const odd: unknown[] = [
      new Point(),
      Object.assign(Object.create(null), { a: 1 }),
      new Uint16Array(2),
      // A hole, which reads as undefined.
      // biome-ignore lint/suspicious/noSparseArray: the hole is the point
      [1, , 3],
      [undefined],
      { a: undefined },
      -0,
      0.5,
      Number.NaN,
      2 ** 53,
      -(2 ** 53),
      (1n << 64n) - 1n,
      1n << 64n,
      -(1n << 64n),
      -(1n << 64n) - 1n,
      (1n << 53n) - 1n,
      1n << 53n,
      -(1n << 53n),
      'lone \ud800 surrogate',
      'caf\u00e9',
      { caf\u00e9: 1, cafe: 2, b: 3 },
      { aa: 1, b: 2, a: 3, '': 4 },
      new Map([['a', 1]]),
      new Date(0),
      () => 1,
      Symbol('s'),
      undefined,
      cyclic,
      throwing,
      deep,
    ];
    for (const v of odd) assertSameEncode(v);
  });

  it('on objects with many keys (sorted beyond the small-object path)', () => {
    const big = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${(i * 7) % 40}`, i]));
    assertSameEncode(big);
  });

  it('hands out results that are its own (no view into scratch space)', () => {
    const a = encode({ a: 1 });
    const b = encode({ b: 2 });
    assert.equal(toHex(a), 'a1616101');
    assert.equal(toHex(b), 'a1616202');
    assert.equal(a.buffer.byteLength, a.length);
  });

  it('encodes inside a withEncoding callback without disturbing it', () => {
    const outer = withEncoding({ outer: [1, 2, 3] }, (bytes) => {
      const inner = encode({ inner: 'x'.repeat(2000) });
      return { outer: toHex(bytes), inner: toHex(inner) };
    });
    assert.equal(outer.outer, toHex(encodeGeneric({ outer: [1, 2, 3] })));
    assert.equal(outer.inner, toHex(encodeGeneric({ inner: 'x'.repeat(2000) })));
  });

  it('grows for large values and still writes the generic bytes', () => {
    assertSameEncode({ big: new Uint8Array(200_000).fill(7), list: Array(5000).fill('abc') });
    assertSameEncode({ small: 1 });
  });
});
