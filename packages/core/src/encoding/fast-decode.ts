import type { ByteSpan } from './canonical-tokenizer.js';

/**
 * A one-pass reader for input that is already canonical, the only kind an
 * honest peer sends: no tokens, no per-item objects beyond the value, so
 * decoding a transaction or a header costs a fraction of the generic path
 * (cborg's tokens plus the canonical checks around them) and leaves far
 * less garbage. It only ever answers for input the strict decoder accepts,
 * with the value that decoder returns; at the first thing it does not
 * handle or that is not canonical (a float, a tag, an out-of-order key,
 * a long-form length, bytes missing...) it gives up and the strict decoder
 * decides, so every rejection and its CodecError come from one place.
 */

/** Returned when the fast path declines the input. */
export const DECLINED: unique symbol = Symbol('declined');

/** Thrown inside the reader to unwind to `fastDecode`; never escapes it. */
const GIVE_UP = new Error('fast decode declined');

/** Deeper nesting is left to the strict decoder (and its own limits). */
const MAX_DEPTH = 256;
const MAX_SAFE_HI = 0x1f_ffff;
const TWO_32 = 0x1_0000_0000;

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** ASCII decodes the same under latin1, and faster. */
const latin1 = new TextDecoder('latin1');

const EMPTY = new Uint8Array(0);
// The input and the read position: module state, so the reader allocates nothing of its own.
let data: Uint8Array = EMPTY;
let pos = 0;

/** The argument of a head whose initial byte had `minor`, in its shortest form only. */
function argument(minor: number): number {
  if (minor < 24) return minor;
  const d = data;
  const p = pos;
  if (minor === 24) {
    if (p + 1 > d.length || d[p]! < 24) throw GIVE_UP;
    pos = p + 1;
    return d[p]!;
  }
  if (minor === 25) {
    if (p + 2 > d.length) throw GIVE_UP;
    const v = (d[p]! << 8) | d[p + 1]!;
    if (v < 0x100) throw GIVE_UP;
    pos = p + 2;
    return v;
  }
  if (minor === 26) {
    if (p + 4 > d.length) throw GIVE_UP;
    const v = d[p]! * 0x100_0000 + ((d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!);
    if (v < 0x1_0000) throw GIVE_UP;
    pos = p + 4;
    return v;
  }
  // 64-bit arguments are rare enough to leave to the integer reader; 28..31 are not canonical.
  throw GIVE_UP;
}

/** A 64-bit integer argument (minor 27), as cborg returns it: a number when safe, else bigint. */
function integer64(negative: boolean): number | bigint {
  const d = data;
  const p = pos;
  if (p + 8 > d.length) throw GIVE_UP;
  const hi = d[p]! * 0x100_0000 + ((d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!);
  const lo = d[p + 4]! * 0x100_0000 + ((d[p + 5]! << 16) | (d[p + 6]! << 8) | d[p + 7]!);
  if (hi === 0) throw GIVE_UP;
  pos = p + 8;
  const n = hi * TWO_32 + lo;
  if (hi <= MAX_SAFE_HI) {
    if (!negative) return n;
    // -1 - n is safe up to n = MAX_SAFE - 1; cborg turns the last one into a bigint.
    if (n < Number.MAX_SAFE_INTEGER) return -1 - n;
  }
  const big = (BigInt(hi) << 32n) + BigInt(lo);
  return negative ? -1n - big : big;
}

/** Text of `length` bytes at the read position: interned when short, else decoded. */
function text(length: number): string {
  if (length > 0 && length <= INTERNED_MAX) return interned(length);
  return decodeText(length);
}

function decodeText(length: number): string {
  const d = data;
  const start = pos;
  const end = start + length;
  if (end > d.length) throw GIVE_UP;
  pos = end;
  for (let i = start; i < end; i++) {
    if (d[i]! > 0x7f) {
      // The generic decoder drops a leading byte order mark (cborg's TextDecoder
      // does): what it returns then is its business, so leave it to it.
      if (d[start] === 0xef && d[start + 1] === 0xbb && d[start + 2] === 0xbf) throw GIVE_UP;
      try {
        return utf8.decode(d.subarray(start, end));
      } catch {
        throw GIVE_UP;
      }
    }
  }
  return latin1.decode(d.subarray(start, end));
}

/**
 * Short texts are a protocol's few field names and enum values (roles,
 * orgs, request types, labels), over and over: the same string for the
 * same bytes, from a small table, so objects are built with keys the
 * engine has seen (a fresh string must be hashed and interned on every
 * property store) and no garbage is left. Exact: a slot is used only when
 * its bytes equal the input's.
 */
const INTERNED_MAX = 24;
const SLOTS = 1024;
const slotBytes: (Uint8Array | undefined)[] = new Array(SLOTS).fill(undefined);
const slotStrings: string[] = new Array(SLOTS).fill('');

function interned(length: number): string {
  const d = data;
  const start = pos;
  if (start + length > d.length) throw GIVE_UP;
  let h = length;
  for (let i = start; i < start + length; i++) h = (Math.imul(h, 31) + d[i]!) | 0;
  const slot = h & (SLOTS - 1);
  const known = slotBytes[slot];
  if (known !== undefined && known.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (known[i] !== d[start + i]) {
        same = false;
        break;
      }
    }
    if (same) {
      pos = start + length;
      return slotStrings[slot]!;
    }
  }
  const s = decodeText(length);
  // A copy of its own (a Buffer's slice would be a view the caller could change).
  slotBytes[slot] = new Uint8Array(d.subarray(start, start + length));
  slotStrings[slot] = s;
  return s;
}

/** Bytewise order of two spans of `data` (RFC 8949 key order on their encodings). */
function compareSpans(a: number, aEnd: number, b: number, bEnd: number): number {
  const d = data;
  const n = Math.min(aEnd - a, bEnd - b);
  for (let i = 0; i < n; i++) {
    const diff = d[a + i]! - d[b + i]!;
    if (diff !== 0) return diff;
  }
  return aEnd - a - (bEnd - b);
}

function map(count: number, depth: number, spans: Map<string, ByteSpan> | undefined): object {
  // Each entry takes at least two bytes: a length beyond that is a lie.
  if (count * 2 > data.length - pos) throw GIVE_UP;
  const out: Record<string, unknown> = {};
  let lastKey = -1;
  let lastKeyEnd = -1;
  for (let i = 0; i < count; i++) {
    const keyStart = pos;
    if (keyStart >= data.length) throw GIVE_UP;
    const initial = data[pos++]!;
    if (initial >> 5 !== 3) throw GIVE_UP;
    const key = text(argument(initial & 31));
    const keyEnd = pos;
    if (lastKey >= 0 && compareSpans(lastKey, lastKeyEnd, keyStart, keyEnd) >= 0) throw GIVE_UP;
    if (key === '__proto__') throw GIVE_UP;
    lastKey = keyStart;
    lastKeyEnd = keyEnd;
    const valueStart = pos;
    out[key] = item(depth + 1);
    spans?.set(key, { start: valueStart, end: pos });
  }
  return out;
}

function item(depth: number): unknown {
  const d = data;
  if (pos >= d.length || depth > MAX_DEPTH) throw GIVE_UP;
  const initial = d[pos++]!;
  const major = initial >> 5;
  const minor = initial & 31;
  switch (major) {
    case 0:
      return minor === 27 ? integer64(false) : argument(minor);
    case 1:
      return minor === 27 ? integer64(true) : -1 - argument(minor);
    case 2: {
      const length = argument(minor);
      const start = pos;
      if (start + length > d.length) throw GIVE_UP;
      pos = start + length;
      // slice, as cborg does: a copy of a Uint8Array, a view of a Buffer
      // (but always a plain Uint8Array when empty, cborg's shared one).
      return length === 0 ? new Uint8Array(0) : d.slice(start, pos);
    }
    case 3:
      return text(argument(minor));
    case 4: {
      const count = argument(minor);
      if (count > d.length - pos) throw GIVE_UP;
      const out: unknown[] = [];
      for (let i = 0; i < count; i++) out.push(item(depth + 1));
      return out;
    }
    case 5:
      return map(argument(minor), depth, undefined);
    case 7:
      if (initial === 0xf4) return false;
      if (initial === 0xf5) return true;
      if (initial === 0xf6) return null;
      throw GIVE_UP;
    default:
      throw GIVE_UP;
  }
}

/**
 * The value of canonical `bytes` exactly as the strict decoder returns it
 * (and, given `spans`, where each value of a top-level map lies), or
 * DECLINED for anything else; it never throws.
 */
export function fastDecode(
  bytes: Uint8Array,
  spans?: Map<string, ByteSpan>,
): unknown | typeof DECLINED {
  data = bytes;
  pos = 0;
  try {
    let value: unknown;
    const initial = bytes[0];
    if (spans && initial !== undefined && initial >> 5 === 5) {
      pos = 1;
      value = map(argument(initial & 31), 0, spans);
    } else {
      value = item(0);
    }
    if (pos !== bytes.length) {
      spans?.clear();
      return DECLINED;
    }
    return value;
  } catch {
    // GIVE_UP, or anything else (a stack overflow on hostile nesting): decline all the same.
    spans?.clear();
    return DECLINED;
  } finally {
    // Not holding on to the caller's buffer.
    data = EMPTY;
  }
}
