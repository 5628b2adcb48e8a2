import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes } from '../bytes.js';
import type { Ed25519Backend } from './ed25519.js';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from './ed25519.js';

const Point = ed25519.Point;
const L = Point.Fn.ORDER;

function bigintFromLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/**
 * The portable reference backend. Signing is noble's; verification is not
 * `ed25519.verify`, because that checks the cofactored equation
 * ([8]([S]B - R - [k]A) = O) while OpenSSL and BoringSSL check the
 * cofactorless one, and the two disagree on R or A with a torsion component.
 * So this checks RFC 8032's equation the way those do: encode [S]B - [k]A and
 * compare the bytes with R. A is decoded strictly (y < p).
 */
export const nobleEd25519: Ed25519Backend = {
  name: 'noble',
  async verify(publicKey, message, signature) {
    if (publicKey.length !== PUBLIC_KEY_LENGTH || signature.length !== SIGNATURE_LENGTH) {
      return false;
    }
    const r = signature.subarray(0, 32);
    const s = bigintFromLE(signature.subarray(32));
    if (s >= L) return false;
    let A: InstanceType<typeof Point>;
    try {
      A = Point.fromBytes(publicKey, false);
    } catch {
      return false;
    }
    const k = bigintFromLE(sha512(concatBytes(r, publicKey, message))) % L;
    const check = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
    return equalBytes(check.toBytes(), r);
  },
  async sign(secretKey, message) {
    return ed25519.sign(message, secretKey);
  },
  async getPublicKey(secretKey) {
    return ed25519.getPublicKey(secretKey);
  },
};
