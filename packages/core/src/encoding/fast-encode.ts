import { isAscii, type Writer } from './writer.js';

/**
 * Canonical CBOR written straight into a Writer, for the values Weft
 * encodes per transaction (coins, endorsement payloads, write sets): no
 * tokens, no per-entry arrays, keys sorted in place. It writes exactly
 * the bytes the generic encoder writes, and only for the plain case: null,
 * booleans, safe integers, bigints within 64 bits, well-formed strings,
 * Uint8Arrays, plain arrays and plain objects with ASCII keys. For
 * anything else it declines (returns false) and the generic encoder
 * decides, including every rejection and its CodecError.
 */

/** Deeper values (or a cycle) are left to the generic encoder. */
const MAX_DEPTH = 256;
/** The widest integer CBOR carries; the generic encoder rejects bigints beyond ±2^64 too. */
export const UINT64_MAX = (1n << 64n) - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** A lone surrogate has no UTF-8 encoding (cborg would write U+FFFD): the generic encoder rejects it. */
export const LONE_SURROGATE = /\p{Cs}/u;
const utf8 = new TextEncoder();

/** RFC 8949 order of ASCII keys: shorter first, then bytewise (which is string order). */
export function asciiKeyOrder(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** In place; insertion sort, as objects here have a handful of keys (Array#sort allocates). */
function sortKeys(keys: string[]): void {
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && asciiKeyOrder(keys[j]!, k) > 0) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}

function writeText(w: Writer, s: string): boolean {
  if (isAscii(s)) {
    w.asciiText(s);
    return true;
  }
  if (LONE_SURROGATE.test(s)) return false;
  const bytes = utf8.encode(s);
  w.head(3, bytes.length);
  w.raw(bytes);
  return true;
}

function writeBigint(w: Writer, n: bigint): boolean {
  if (n > UINT64_MAX || n < -UINT64_MAX - 1n) return false;
  const negative = n < 0n;
  const arg = negative ? -1n - n : n;
  if (arg <= SAFE) w.head(negative ? 1 : 0, Number(arg));
  else w.head64(negative ? 1 : 0, arg);
  return true;
}

/** Writes `value`; false (the writer then holds garbage) when it is not the plain case. */
export function writeValue(w: Writer, value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  switch (typeof value) {
    case 'number':
      if (!Number.isSafeInteger(value)) return false;
      if (value >= 0) w.head(0, value);
      else w.head(1, -1 - value);
      return true;
    case 'string':
      return writeText(w, value);
    case 'boolean':
      w.byte(value ? 0xf5 : 0xf4);
      return true;
    case 'bigint':
      return writeBigint(w, value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) {
    w.byte(0xf6);
    return true;
  }
  if (value instanceof Uint8Array) {
    w.byteString(value);
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const a = value as unknown[];
    w.head(4, a.length);
    for (let i = 0; i < a.length; i++) if (!writeValue(w, a[i], depth + 1)) return false;
    return true;
  }
  if (proto !== Object.prototype) return false;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  for (const k of keys) if (!isAscii(k)) return false;
  sortKeys(keys);
  w.head(5, keys.length);
  for (const k of keys) {
    w.asciiText(k);
    if (!writeValue(w, o[k], depth + 1)) return false;
  }
  return true;
}
