import {
  decode as cborgDecode,
  encode as cborgEncode,
  rfc8949EncodeOptions,
  Token,
  Type,
} from 'cborg';
import { compareBytes } from '../bytes.js';
import { CodecError } from '../errors.js';
import { type ByteSpan, CanonicalTokenizer, NonCanonicalError } from './canonical-tokenizer.js';
import { DECLINED, fastDecode } from './fast-decode.js';
import { asciiKeyOrder, LONE_SURROGATE, UINT64_MAX, writeValue } from './fast-encode.js';
import { copyOut, isAscii, type Writer, withScratch } from './writer.js';

export type { ByteSpan } from './canonical-tokenizer.js';

/**
 * Weft's one canonical encoding: RFC 8949 core deterministic CBOR.
 * Shortest integers, bytewise-sorted string map keys, definite lengths, no
 * floats, no undefined, no tags. Integers beyond 2^53 travel as bigint.
 */

/** A value Weft can encode. Maps are plain objects with string keys. */
export type CborValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly CborValue[]
  | { readonly [key: string]: CborValue };

function rejectType(what: string): never {
  throw new CodecError('CODEC_UNSUPPORTED_TYPE', `cannot encode ${what} canonically`);
}

// Everything that is not a CborValue: without these, cborg would quietly turn
// typed arrays and buffers into byte strings, changing the value's type.
const REJECTED_TYPES = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'Date',
  'RegExp',
  'Set',
  'Error',
  'URL',
  'Promise',
  'Function',
  'symbol',
];

const utf8Encoder = new TextEncoder();
const cborgKeyOrder = rfc8949EncodeOptions.mapSorter!;

/**
 * RFC 8949 order of two map keys, without encoding them as cborg's sorter
 * does for every comparison (half the cost of encoding a map). A text
 * string encodes as a header that grows with its UTF-8 length, then its
 * bytes: shorter keys come first and equal lengths compare bytewise, which
 * for ASCII is plain string order. Anything else takes cborg's own sorter.
 */
function keyOrder(e1: (Token | Token[])[], e2: (Token | Token[])[]): number {
  const k1 = e1[0];
  const k2 = e2[0];
  if (
    !(k1 instanceof Token && k2 instanceof Token) ||
    k1.type !== Type.string ||
    k2.type !== Type.string
  )
    return cborgKeyOrder(e1, e2);
  const a = k1.value as string;
  const b = k2.value as string;
  if (isAscii(a) && isAscii(b)) return asciiKeyOrder(a, b);
  const x = utf8Encoder.encode(a);
  const y = utf8Encoder.encode(b);
  return x.length - y.length || compareBytes(x, y);
}

const encodeOptions = {
  ...rfc8949EncodeOptions,
  mapSorter: keyOrder,
  typeEncoders: {
    ...Object.fromEntries(REJECTED_TYPES.map((t) => [t, () => rejectType(t)])),
    string(s: unknown) {
      if (LONE_SURROGATE.test(s as string)) rejectType('a string with a lone surrogate');
      return null;
    },
    number(n: unknown) {
      if (!Number.isSafeInteger(n)) rejectType(`non-integer or unsafe number ${String(n)}`);
      return null;
    },
    bigint(n: unknown) {
      const v = n as bigint;
      if (v > UINT64_MAX || v < -UINT64_MAX - 1n) rejectType('integer outside 64 bits');
      return null;
    },
    undefined() {
      return rejectType('undefined');
    },
    Map() {
      return rejectType('Map (use a plain object)');
    },
  },
};

const decodeOptions = {
  strict: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  allowBigInt: true,
  rejectDuplicateMapKeys: true,
  useMaps: false,
};

export function encode(value: CborValue): Uint8Array {
  return withScratch((w) => writeFast(w, value), copyOut) ?? encodeGeneric(value);
}

/**
 * `take` of the value's canonical encoding, written in scratch space that
 * is only valid during `take` (hashing it there allocates nothing); the
 * generic encoder's result when the fast path declines.
 */
export function withEncoding<T>(value: CborValue, take: (bytes: Uint8Array) => T): T {
  let result: T | undefined;
  const written = withScratch(
    (w) => writeFast(w, value),
    (bytes) => {
      result = take(bytes);
      return true;
    },
  );
  return written ? (result as T) : take(encodeGeneric(value));
}

function writeFast(w: Writer, value: CborValue): boolean {
  try {
    return writeValue(w, value);
  } catch {
    // A getter that throws, a stack overflow: the generic encoder decides what that is.
    return false;
  }
}

/** `encode` on the generic path alone (cborg), the authority the fast path must agree with. */
export function encodeGeneric(value: CborValue): Uint8Array {
  try {
    return cborgEncode(value, encodeOptions);
  } catch (err) {
    if (err instanceof CodecError) throw err;
    throw new CodecError(
      'CODEC_UNSUPPORTED_TYPE',
      `cannot encode value: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

export interface DecodeOptions {
  /** Upper bound on the input size; every decode in Weft names one. */
  maxBytes: number;
}

/**
 * Decodes canonical CBOR. Anything that would not re-encode to exactly the
 * same bytes (unsorted keys, long-form integers, floats, tags...) is rejected
 * with a CodecError; no other error type escapes.
 */
export function decode(bytes: Uint8Array, options: DecodeOptions): unknown {
  return strictDecode(bytes, options);
}

/**
 * `decode`, plus where each value of the top-level map lies in `bytes`.
 * Canonical input re-encodes to itself, so a value's span IS its encoding:
 * hashing the span equals hashing a re-encode, at none of the cost.
 */
export function decodeWithSpans(
  bytes: Uint8Array,
  options: DecodeOptions,
): { value: unknown; spans: ReadonlyMap<string, ByteSpan> } {
  const spans = new Map<string, ByteSpan>();
  return { value: strictDecode(bytes, options, spans), spans };
}

function strictDecode(
  bytes: Uint8Array,
  options: DecodeOptions,
  spans?: Map<string, ByteSpan>,
): unknown {
  checkInput(bytes, options);
  const fast = fastDecode(bytes, spans);
  return fast === DECLINED ? cborgStrictDecode(bytes, spans) : fast;
}

function checkInput(bytes: Uint8Array, options: DecodeOptions): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new CodecError('CODEC_NOT_BYTES', 'input is not a Uint8Array');
  }
  if (bytes.length > options.maxBytes) {
    throw new CodecError(
      'CODEC_TOO_LARGE',
      `input of ${bytes.length} bytes exceeds the bound of ${options.maxBytes}`,
    );
  }
}

/**
 * `decodeWithSpans` on the generic path alone (cborg's tokens, checked for
 * canonical form), the authority the fast path must agree with: tests hold
 * the two side by side.
 */
export function decodeGeneric(
  bytes: Uint8Array,
  options: DecodeOptions,
): { value: unknown; spans: ReadonlyMap<string, ByteSpan> } {
  checkInput(bytes, options);
  const spans = new Map<string, ByteSpan>();
  return { value: cborgStrictDecode(bytes, spans), spans };
}

function cborgStrictDecode(bytes: Uint8Array, spans: Map<string, ByteSpan> | undefined): unknown {
  try {
    return cborgDecode(bytes, {
      ...decodeOptions,
      tokenizer: new CanonicalTokenizer(bytes, decodeOptions, spans),
    });
  } catch (err) {
    if (err instanceof NonCanonicalError) {
      throw new CodecError('CODEC_NON_CANONICAL', `not canonical: ${err.message}`, { cause: err });
    }
    throw new CodecError('CODEC_MALFORMED', `malformed CBOR: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
