import { fromHex } from '../bytes.js';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from './ed25519.js';

/*
 * Weft's "strict RFC 8032" Ed25519 rule. A signature (R || S) on message M
 * under public key A is valid exactly when all of these hold:
 *
 *   1. A is 32 bytes and the signature 64 bytes.
 *   2. A and R are canonical point encodings: y < p, and never the sign bit
 *      set on a point whose x is 0 (y = 1 or y = p - 1).
 *   3. S < L (RFC 8032 section 5.1.7), so a signature has one encoding.
 *   4. Neither A nor R is one of the 8 small-order points.
 *   5. The cofactorless equation holds: encode([S]B - [k]A) equals the bytes
 *      of R, with k = SHA-512(R || A || M) mod L.
 *
 * 1-4 are byte comparisons, done here before any backend runs, because
 * backends differ on them (OpenSSL accepts small-order keys; a lenient
 * decoder would take y >= p). 5 is the backend's job, and every backend must
 * be cofactorless: OpenSSL (Node, WebCrypto in Node) and BoringSSL (Chromium)
 * are; noble's own verify is cofactored, so our noble backend checks the
 * equation itself. Keys or R with a torsion component that are not wholly of
 * small order are not rejected here (that needs a scalar multiplication); the
 * cofactorless equation alone gives them the same verdict on every backend.
 *
 * Small-order R: the Wycheproof vectors are neutral on it (their eleven
 * signatures with a small-order R fail the equation anyway, and no valid one
 * has such an R). We reject it, as libsodium does: an honest signer produces
 * one with probability about 2^-252, and the only ones that pass the equation
 * are degenerate signatures (R = identity, S = k*a) a key holder forges on
 * purpose, so refusing them costs honest users nothing.
 */

/** The canonical encodings of the 8 points of order dividing 8 (the torsion subgroup). */
export const SMALL_ORDER_ENCODINGS: readonly string[] = Object.freeze([
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
]);

const SMALL_ORDER: readonly Uint8Array[] = SMALL_ORDER_ENCODINGS.map(fromHex);

/** L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const L_BYTES = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');

/** Bytes 1..30 all equal to `value` (the middle of the encodings of 1, p - 1 and p). */
function middleIs(bytes: Uint8Array, value: number): boolean {
  for (let i = 1; i < 31; i++) if (bytes[i] !== value) return false;
  return true;
}

/**
 * True when 32 bytes are the one RFC 8032 encoding of their point (whether
 * the point exists on the curve is left to decompression).
 */
export function isCanonicalPointEncoding(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  const first = bytes[0]!;
  const last = bytes[31]!;
  // y >= p only when y's top byte is 0x7f, the middle all 0xff and the low byte >= 0xed.
  if ((last & 0x7f) === 0x7f && first >= 0xed && middleIs(bytes, 0xff)) return false;
  if (last & 0x80) {
    // x = 0 only for y = 1 and y = p - 1; their sign bit must be clear.
    if (last === 0x80 && first === 0x01 && middleIs(bytes, 0x00)) return false;
    if (last === 0xff && first === 0xec && middleIs(bytes, 0xff)) return false;
  }
  return true;
}

/** True when 32 bytes are the canonical encoding of a small-order point. */
export function isSmallOrderEncoding(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  for (const candidate of SMALL_ORDER) {
    let i = 0;
    while (i < 32 && bytes[i] === candidate[i]) i++;
    if (i === 32) return true;
  }
  return false;
}

/** True when 32 little-endian bytes encode an integer below the group order L. */
export function isCanonicalScalar(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  for (let i = 31; i >= 0; i--) {
    const a = bytes[i]!;
    const b = L_BYTES[i]!;
    if (a !== b) return a < b;
  }
  return false; // equal to L
}

/**
 * Rules 1-4 above, on bytes only: no point decompression, so it is cheap
 * enough to run before every backend verification.
 */
export function strictPrecheck(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== PUBLIC_KEY_LENGTH || signature.length !== SIGNATURE_LENGTH) return false;
  const r = signature.subarray(0, 32);
  return (
    isCanonicalScalar(signature.subarray(32)) &&
    isCanonicalPointEncoding(publicKey) &&
    isCanonicalPointEncoding(r) &&
    !isSmallOrderEncoding(publicKey) &&
    !isSmallOrderEncoding(r)
  );
}
