import { assert, describe, it, throwsWithCode } from '@weft/test/harness';
import { encode as cborgEncode, rfc8949EncodeOptions } from 'cborg';
import * as fc from 'fast-check';
import { compareBytes, concatBytes, equalBytes, fromHex, toHex } from '../../src/bytes.js';
import { type CborValue, decode, decodeWithSpans, encode } from '../../src/encoding/cbor.js';
import {
  readArray,
  readBigUint,
  readBytes,
  readEnum,
  readRecord,
  readString,
  readUint,
} from '../../src/encoding/fields.js';
import { CodecError, WeftError } from '../../src/errors.js';
import { cborArb, keyArb, leafArb, MAX_UINT, MIN_INT, mutate, mutationArb } from './arbitraries.js';

const BOUND = { maxBytes: 1 << 20 };
const CODEC_CODES = [
  'CODEC_NOT_BYTES',
  'CODEC_TOO_LARGE',
  'CODEC_MALFORMED',
  'CODEC_NON_CANONICAL',
  'CODEC_UNSUPPORTED_TYPE',
];

function dec(hex: string): unknown {
  return decode(fromHex(hex), BOUND);
}

/** What decoding yields for `v`: integers inside the safe range come back as numbers. */
function normalize(v: CborValue): unknown {
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v;
  }
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  }
  return v;
}

/**
 * The codec's contract for arbitrary input: it either throws a CodecError with
 * a known code, or returns the one value whose canonical encoding is exactly
 * these bytes. Anything else (another error type, a silent reinterpretation)
 * fails the assertion.
 */
function verdict(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; code: string } {
  let value: unknown;
  try {
    value = decode(bytes, BOUND);
  } catch (err) {
    assert.instanceOf(err, CodecError, `decode threw a non-codec error: ${String(err)}`);
    assert.include(CODEC_CODES, (err as CodecError).code);
    return { ok: false, code: (err as CodecError).code };
  }
  assert.equal(
    toHex(encode(value as CborValue)),
    toHex(bytes),
    'decoded value re-encodes differently',
  );
  return { ok: true, value };
}

describe('encoding/cbor: canonical encoding', () => {
  // Known answers from RFC 8949 Appendix A, restricted to what Weft allows.
  const known: [string, CborValue, string][] = [
    ['0', 0, '00'],
    ['23', 23, '17'],
    ['24', 24, '1818'],
    ['100', 100, '1864'],
    ['1000', 1000, '1903e8'],
    ['1000000', 1000000, '1a000f4240'],
    ['1000000000000', 1000000000000, '1b000000e8d4a51000'],
    ['2^64-1 (bigint)', MAX_UINT, '1bffffffffffffffff'],
    ['-1', -1, '20'],
    ['-10', -10, '29'],
    ['-100', -100, '3863'],
    ['-1000', -1000, '3903e7'],
    ['-2^64 (bigint)', MIN_INT, '3bffffffffffffffff'],
    ['false', false, 'f4'],
    ['true', true, 'f5'],
    ['null', null, 'f6'],
    ['empty string', '', '60'],
    ['"a"', 'a', '6161'],
    ['"IETF"', 'IETF', '6449455446'],
    ['"\\u00fc"', '\u00fc', '62c3bc'],
    ['"\\u6c34"', '\u6c34', '63e6b0b4'],
    ['surrogate pair', '\ud800\udd51', '64f0908591'],
    ['empty bytes', new Uint8Array(0), '40'],
    ['h01020304', Uint8Array.of(1, 2, 3, 4), '4401020304'],
    ['[]', [], '80'],
    ['[1,2,3]', [1, 2, 3], '83010203'],
    ['[1,[2,3],[4,5]]', [1, [2, 3], [4, 5]], '8301820203820405'],
    ['{}', {}, 'a0'],
    ['{a:1,b:[2,3]}', { a: 1, b: [2, 3] }, 'a26161016162820203'],
    ['["a",{b:"c"}]', ['a', { b: 'c' }], '826161a161626163'],
    ['keys sorted shortest first, then bytewise', { b: 1, aa: 3, a: 2 }, 'a361610261620162616103'],
  ];
  for (const [name, value, hex] of known) {
    it(`encodes ${name} as ${hex} and decodes it back`, () => {
      assert.equal(toHex(encode(value)), hex);
      assert.deepEqual(dec(hex), normalize(value));
    });
  }

  it('decodes integers inside the safe range as numbers and beyond it as bigint', () => {
    assert.strictEqual(dec('1b001fffffffffffff'), Number.MAX_SAFE_INTEGER);
    assert.strictEqual(dec('1b0020000000000000'), 1n << 53n);
    assert.strictEqual(dec('3b001ffffffffffffe'), Number.MIN_SAFE_INTEGER);
    assert.strictEqual(dec('3b0020000000000000'), -(1n << 53n) - 1n);
    assert.equal(toHex(encode(5n)), toHex(encode(5)));
  });

  it('refuses to encode values that have no canonical form', () => {
    const bad: [string, unknown][] = [
      ['a fraction', 1.5],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['an unsafe integer number', 2 ** 53],
      ['a bigint above 2^64-1', MAX_UINT + 1n],
      ['a bigint below -2^64', MIN_INT - 1n],
      ['undefined', undefined],
      ['undefined inside a map', { a: undefined }],
      ['undefined inside an array', [1, undefined]],
      ['a Map', new Map([['a', 1]])],
      ['a Date', new Date(0)],
      ['a function', () => 1],
      ['a symbol', Symbol('x')],
    ];
    for (const [what, value] of bad) {
      const err = throwsWithCode(() => encode(value as CborValue), 'CODEC_UNSUPPORTED_TYPE');
      assert.instanceOf(err, CodecError, what);
      assert.instanceOf(err, WeftError, what);
    }
  });

  it('refuses to encode circular structures with a CodecError', () => {
    const a: CborValue[] = [];
    a.push(a);
    assert.instanceOf(
      throwsWithCode(() => encode(a), 'CODEC_UNSUPPORTED_TYPE'),
      CodecError,
    );
  });
});

describe('encoding/cbor: strict decoding', () => {
  const rejected: [string, string, string][] = [
    ['unsorted map keys', 'a2616201616102', 'CODEC_NON_CANONICAL'],
    ['longer key before shorter key', 'a262616101616202', 'CODEC_NON_CANONICAL'],
    ['non-minimal uint in 1 byte', '1817', 'CODEC_MALFORMED'],
    ['non-minimal uint in 2 bytes', '190017', 'CODEC_MALFORMED'],
    ['non-minimal uint in 4 bytes', '1a0000ffff', 'CODEC_MALFORMED'],
    ['non-minimal uint in 8 bytes', '1b0000000000000017', 'CODEC_MALFORMED'],
    ['non-minimal negative int', '3817', 'CODEC_MALFORMED'],
    ['non-minimal string length', '780161', 'CODEC_MALFORMED'],
    ['non-minimal byte string length', '5a00000001ff', 'CODEC_MALFORMED'],
    ['non-minimal array length', '980101', 'CODEC_MALFORMED'],
    ['non-minimal map length', 'b801616101', 'CODEC_MALFORMED'],
    ['indefinite-length array', '9f01ff', 'CODEC_MALFORMED'],
    ['indefinite-length map', 'bf616101ff', 'CODEC_MALFORMED'],
    ['indefinite-length byte string', '5f4101ff', 'CODEC_MALFORMED'],
    ['indefinite-length text string', '7f6161ff', 'CODEC_MALFORMED'],
    ['lone break byte', 'ff', 'CODEC_MALFORMED'],
    ['half float 1.0', 'f93c00', 'CODEC_NON_CANONICAL'],
    ['single float 1.0', 'fa3f800000', 'CODEC_NON_CANONICAL'],
    ['double float 1.0', 'fb3ff0000000000000', 'CODEC_NON_CANONICAL'],
    ['half float 1.5', 'f93e00', 'CODEC_NON_CANONICAL'],
    ['float -0', 'f98000', 'CODEC_NON_CANONICAL'],
    ['float NaN', 'f97e00', 'CODEC_MALFORMED'],
    ['float Infinity', 'f97c00', 'CODEC_MALFORMED'],
    ['undefined', 'f7', 'CODEC_MALFORMED'],
    ['simple value 0', 'e0', 'CODEC_MALFORMED'],
    ['simple value 32', 'f820', 'CODEC_MALFORMED'],
    ['tag 1 (epoch time)', 'c11a514b67b0', 'CODEC_MALFORMED'],
    ['tag 2 (bignum)', 'c249010000000000000000', 'CODEC_MALFORMED'],
    ['tag 42', 'd82a4100', 'CODEC_MALFORMED'],
    ['self-describe tag 55799', 'd9d9f700', 'CODEC_MALFORMED'],
    ['duplicate map key', 'a2616101616102', 'CODEC_MALFORMED'],
    ['integer map key', 'a10101', 'CODEC_MALFORMED'],
    ['byte-string map key', 'a1410101', 'CODEC_MALFORMED'],
    ['trailing byte after an item', '0100', 'CODEC_MALFORMED'],
    ['two items', 'f6f6', 'CODEC_MALFORMED'],
    ['trailing byte after a map', 'a1616101f6', 'CODEC_MALFORMED'],
    ['empty input', '', 'CODEC_MALFORMED'],
    ['truncated string', '6261', 'CODEC_MALFORMED'],
    ['truncated integer', '1a0000', 'CODEC_MALFORMED'],
    ['truncated array', '8201', 'CODEC_MALFORMED'],
    ['truncated map', 'a1', 'CODEC_MALFORMED'],
    ['reserved additional info', '1c', 'CODEC_MALFORMED'],
    ['array claiming 2^31-1 items', '9a7fffffff', 'CODEC_MALFORMED'],
    ['byte string claiming 2^64-1 bytes', '5bffffffffffffffff', 'CODEC_MALFORMED'],
    ['invalid UTF-8 in a text string', '62c328', 'CODEC_NON_CANONICAL'],
    // UTF-8 decoding drops a leading BOM: these would decode as "" and "a".
    ['a text string that is only a byte order mark', '63efbbbf', 'CODEC_NON_CANONICAL'],
    ['a byte order mark leading a text string', '64efbbbf61', 'CODEC_NON_CANONICAL'],
    ['a byte order mark leading a map key', 'a164efbbbf6101', 'CODEC_NON_CANONICAL'],
  ];
  for (const [name, hex, code] of rejected) {
    it(`rejects ${name} (${hex || 'no bytes'}) with ${code}`, () => {
      const err = throwsWithCode(() => dec(hex), code);
      assert.instanceOf(err, CodecError);
    });
  }

  it('keeps a byte order mark that does not lead a text string', () => {
    assert.equal(dec('6461efbbbf'), 'a\uFEFF');
  });

  it('enforces the size bound before parsing', () => {
    const bytes = encode('x'.repeat(100));
    assert.equal(bytes.length, 102);
    throwsWithCode(() => decode(bytes, { maxBytes: 101 }), 'CODEC_TOO_LARGE');
    assert.equal(decode(bytes, { maxBytes: 102 }), 'x'.repeat(100));
    // An oversize input is refused even when it is garbage.
    throwsWithCode(
      () => decode(new Uint8Array(1000).fill(0xff), { maxBytes: 999 }),
      'CODEC_TOO_LARGE',
    );
  });

  it('rejects input that is not a Uint8Array', () => {
    for (const input of ['00', [0], null, undefined, new ArrayBuffer(1), 0]) {
      throwsWithCode(() => decode(input as unknown as Uint8Array, BOUND), 'CODEC_NOT_BYTES');
    }
  });

  it('rejects deeply nested input with a CodecError', () => {
    const deep = new Uint8Array(100_001).fill(0x81);
    deep[100_000] = 0x00;
    const err = throwsWithCode(() => decode(deep, { maxBytes: deep.length }), 'CODEC_MALFORMED');
    assert.instanceOf(err, CodecError);
  });

  it('decodes a "__proto__" key as data, never as a prototype', () => {
    const bytes = encode(JSON.parse('{"__proto__":{"polluted":1}}') as CborValue);
    const result = verdict(bytes);
    if (result.ok) {
      const value = result.value as Record<string, unknown>;
      assert.isTrue(Object.hasOwn(value, '__proto__'));
      assert.strictEqual(Object.getPrototypeOf(value), Object.prototype);
    }
    assert.isUndefined(({} as Record<string, unknown>).polluted);
  });
});

describe('encoding/cbor: properties', () => {
  it('round-trips every value: decode(encode(v)) equals v and re-encodes identically', () => {
    fc.assert(
      fc.property(cborArb, (v) => {
        const bytes = encode(v);
        const back = decode(bytes, BOUND);
        assert.deepEqual(back, normalize(v));
        assert.isTrue(equalBytes(encode(back as CborValue), bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('encodes equal values identically whatever the key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(keyArb, leafArb, { minKeys: 2, maxKeys: 8 }), (m) => {
        const reversed = Object.fromEntries(Object.entries(m).reverse());
        assert.equal(toHex(encode(reversed)), toHex(encode(m)));
      }),
    );
  });

  it('orders map keys as the RFC 8949 sorter of cborg does (ASCII, multi-byte, astral keys)', () => {
    const keys = fc.oneof(
      keyArb,
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.constantFrom('a', 'b', 'aa', 'é', 'z', '\u{1F600}', '\uFFFF', '\u00FF', 'ÿ', 'zz'),
    );
    fc.assert(
      fc.property(fc.dictionary(keys, leafArb, { minKeys: 2, maxKeys: 10 }), (m) => {
        const expected = cborgEncode(m, rfc8949EncodeOptions);
        assert.equal(toHex(encode(m)), toHex(expected));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects maps whose keys are not in canonical order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 6 }), {
          minLength: 2,
          maxLength: 10,
        }),
        (keys) => {
          // RFC 8949 order: bytewise over the encoded keys.
          const canonical = keys.map((k) => encode(k)).sort(compareBytes);
          // Swap one adjacent pair so the order is wrong.
          const wrong = [...canonical];
          [wrong[0], wrong[1]] = [wrong[1]!, wrong[0]!];
          const parts: Uint8Array[] = [Uint8Array.of(0xa0 + wrong.length)];
          for (const k of wrong) parts.push(k, encode(1));
          throwsWithCode(() => decode(concatBytes(...parts), BOUND), 'CODEC_NON_CANONICAL');
        },
      ),
    );
  });

  it('rejects every integer written in more bytes than necessary', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_UINT }), fc.boolean(), (n, negative) => {
        const major = negative ? 0x20 : 0x00;
        const minimal = encode(negative ? -1n - n : n);
        for (const [info, width] of [
          [24, 1],
          [25, 2],
          [26, 4],
          [27, 8],
        ] as const) {
          if (n >= 1n << BigInt(8 * width)) continue;
          const long = new Uint8Array(1 + width);
          long[0] = major | info;
          for (let i = 0; i < width; i++) long[width - i] = Number((n >> BigInt(8 * i)) & 0xffn);
          if (equalBytes(long, minimal)) continue;
          throwsWithCode(() => decode(long, BOUND), 'CODEC_MALFORMED');
        }
      }),
    );
  });

  it('never decodes a mutated encoding into a different value silently', () => {
    fc.assert(
      fc.property(cborArb, mutationArb, (v, m) => {
        const original = encode(v);
        const bytes = mutate(original, m);
        const result = verdict(bytes);
        if (result.ok && !equalBytes(bytes, original)) {
          assert.notDeepEqual(result.value, normalize(v));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects every proper prefix of an encoding', () => {
    fc.assert(
      fc.property(cborArb, fc.nat(), (v, cut) => {
        const bytes = encode(v);
        const prefix = bytes.subarray(0, cut % bytes.length);
        const result = verdict(prefix);
        assert.isFalse(result.ok, `prefix ${toHex(prefix)} of ${toHex(bytes)} decoded`);
      }),
      { numRuns: 500 },
    );
  });

  it('meets arbitrary bytes with a value or a CodecError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        verdict(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('decodeWithSpans: each top-level map value spans exactly its own encoding', () => {
    const mapArb = fc.dictionary(keyArb, cborArb, { maxKeys: 8, noNullPrototype: true });
    fc.assert(
      fc.property(mapArb, (map) => {
        const bytes = encode(map);
        const { value, spans } = decodeWithSpans(bytes, BOUND);
        assert.deepEqual(value, decode(bytes, BOUND));
        assert.deepEqual([...spans.keys()].sort(), Object.keys(map).sort());
        for (const [key, span] of spans) {
          assert.ok(equalBytes(bytes.subarray(span.start, span.end), encode(map[key]!)), key);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('decodeWithSpans reports nothing for a top level that is not a map', () => {
    for (const v of [[{ a: 1 }, 2], 7, 'x', new Uint8Array(3)] as CborValue[]) {
      assert.equal(decodeWithSpans(encode(v), BOUND).spans.size, 0);
    }
  });

  it('carries amounts up to 2^64-1 exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_UINT }), (amount) => {
        const back = decode(encode({ amount }), BOUND);
        const rec = readRecord(back, 'coin', ['amount']);
        assert.strictEqual(readBigUint(rec.amount, 'amount'), amount);
      }),
    );
  });
});

describe('encoding/fields: strict readers', () => {
  it('readRecord accepts exactly the required and optional fields', () => {
    const rec = readRecord({ a: 1, b: 2 }, 'thing', ['a'], ['b']);
    assert.deepEqual(rec, { a: 1, b: 2 });
    assert.deepEqual(readRecord({ a: 1 }, 'thing', ['a'], ['b']), { a: 1 });
    throwsWithCode(() => readRecord({ b: 2 }, 'thing', ['a'], ['b']), 'CODEC_SCHEMA');
    throwsWithCode(() => readRecord({ a: 1, c: 3 }, 'thing', ['a'], ['b']), 'CODEC_SCHEMA');
    for (const notMap of [null, 1, 'a', [1], new Uint8Array(1), true]) {
      throwsWithCode(() => readRecord(notMap, 'thing', []), 'CODEC_SCHEMA');
    }
  });

  it('readRecord names the structure and the field in its message', () => {
    const err = throwsWithCode(() => readRecord({}, 'header', ['number']), 'CODEC_SCHEMA');
    assert.instanceOf(err, CodecError);
    assert.include((err as Error).message, 'header');
    assert.include((err as Error).message, 'number');
  });

  it('readBytes checks type, exact length and maximum length', () => {
    const b = new Uint8Array(32);
    assert.strictEqual(readBytes(b, 'key', 32), b);
    assert.strictEqual(readBytes(b, 'blob'), b);
    throwsWithCode(() => readBytes(new Uint8Array(31), 'key', 32), 'CODEC_SCHEMA');
    throwsWithCode(() => readBytes(new Uint8Array(11), 'blob', undefined, 10), 'CODEC_SCHEMA');
    throwsWithCode(() => readBytes('00', 'key'), 'CODEC_SCHEMA');
    throwsWithCode(() => readBytes([0], 'key'), 'CODEC_SCHEMA');
  });

  it('readString checks type and maximum length', () => {
    assert.equal(readString('Org1', 'org'), 'Org1');
    assert.equal(readString('x'.repeat(256), 'org'), 'x'.repeat(256));
    throwsWithCode(() => readString('x'.repeat(257), 'org'), 'CODEC_SCHEMA');
    throwsWithCode(() => readString('abc', 'org', 2), 'CODEC_SCHEMA');
    throwsWithCode(() => readString(1, 'org'), 'CODEC_SCHEMA');
    throwsWithCode(() => readString(new Uint8Array(1), 'org'), 'CODEC_SCHEMA');
  });

  it('readUint accepts non-negative safe integers only', () => {
    assert.equal(readUint(0, 'n'), 0);
    assert.equal(readUint(Number.MAX_SAFE_INTEGER, 'n'), Number.MAX_SAFE_INTEGER);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53, 1n, '1', null]) {
      throwsWithCode(() => readUint(bad, 'n'), 'CODEC_SCHEMA');
    }
  });

  it('readBigUint returns a bigint for every unsigned integer', () => {
    assert.strictEqual(readBigUint(0, 'amount'), 0n);
    assert.strictEqual(readBigUint(7, 'amount'), 7n);
    assert.strictEqual(readBigUint(MAX_UINT, 'amount'), MAX_UINT);
    for (const bad of [-1, -1n, 1.5, '1', null, Number.NaN]) {
      throwsWithCode(() => readBigUint(bad, 'amount'), 'CODEC_SCHEMA');
    }
  });

  it('readArray checks type and maximum length', () => {
    assert.deepEqual(readArray([1, 2], 'items', 2), [1, 2]);
    throwsWithCode(() => readArray([1, 2, 3], 'items', 2), 'CODEC_SCHEMA');
    throwsWithCode(() => readArray({ 0: 1 }, 'items', 2), 'CODEC_SCHEMA');
    throwsWithCode(() => readArray(new Uint8Array(1), 'items', 2), 'CODEC_SCHEMA');
  });

  it('readEnum accepts only the listed strings', () => {
    const roles = ['peer', 'orderer', 'client'] as const;
    assert.equal(readEnum('peer', 'role', roles), 'peer');
    throwsWithCode(() => readEnum('admin', 'role', roles), 'CODEC_SCHEMA');
    throwsWithCode(() => readEnum('Peer', 'role', roles), 'CODEC_SCHEMA');
    throwsWithCode(() => readEnum(0, 'role', roles), 'CODEC_SCHEMA');
  });
});

describe('cbor: values that have no canonical encoding', () => {
  it('rejects strings with lone surrogates instead of rewriting them', () => {
    throwsWithCode(() => encode('\uD800'), 'CODEC_UNSUPPORTED_TYPE');
    throwsWithCode(() => encode({ k: 'a\uDC00b' }), 'CODEC_UNSUPPORTED_TYPE');
    assert.deepEqual(decode(encode('\uD83D\uDE00'), { maxBytes: 16 }), '\uD83D\uDE00');
  });

  it('rejects typed arrays other than Uint8Array, buffers, dates and sets', () => {
    for (const v of [
      new Uint16Array(2),
      new ArrayBuffer(2),
      new DataView(new ArrayBuffer(2)),
      new Date(0),
      new Set(),
    ]) {
      throwsWithCode(() => encode(v as never), 'CODEC_UNSUPPORTED_TYPE');
    }
  });
});
