// Small byte helpers shared by every module; no Node Buffer so the same code runs in browsers.

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Bytewise lexicographic order, as in RFC 8949 deterministic map key ordering. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const latin1 = new TextDecoder('latin1');
/** Where hex digits are spelled out before becoming one string (keys, txids: 32 bytes). */
let spelled = new Uint8Array(128);

/**
 * Lower-case hex. The digits are written as bytes and decoded in one go:
 * appending two characters at a time builds a chain of intermediate
 * strings, and this runs for every key, txid and coin key handled.
 */
export function toHex(bytes: Uint8Array): string {
  const n = bytes.length;
  if (2 * n > spelled.length) spelled = new Uint8Array(4 * n);
  const out = spelled;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    out[2 * i] = HEX_DIGITS[b >> 4]!;
    out[2 * i + 1] = HEX_DIGITS[b & 15]!;
  }
  const hex = latin1.decode(out.subarray(0, 2 * n));
  if (spelled.length > 1 << 16) spelled = new Uint8Array(128);
  return hex;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError('hex string must have an even number of hex digits');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const encoder = new TextEncoder();
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}
