import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import type { Ed25519Backend } from '@weft/core';

const PUBLIC_KEY_LENGTH = 32;
const SECRET_KEY_LENGTH = 32;
const SIGNATURE_LENGTH = 64;

/** RFC 8410 SubjectPublicKeyInfo up to the key: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING(33) 0 }. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** RFC 8410 PrivateKeyInfo up to the seed: SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING { OCTET STRING(32) } }. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Parsed public keys kept (parsing costs about as much as the verification itself). */
export const NATIVE_KEY_CACHE_SIZE = 4096;

// Least-recently-used by Map insertion order; keys repeat (endorsers, orderers, active wallets).
const publicKeys = new Map<string, KeyObject>();

function publicKeyObject(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('hex');
  let key = publicKeys.get(id);
  if (key) {
    publicKeys.delete(id);
  } else {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (publicKeys.size >= NATIVE_KEY_CACHE_SIZE) {
      const oldest = publicKeys.keys().next().value;
      if (oldest !== undefined) publicKeys.delete(oldest);
    }
  }
  publicKeys.set(id, key);
  return key;
}

// Keyed by the caller's seed array so a long-lived signer parses once, while nothing here
// outlives the caller's own copy; the stored copy catches a seed changed in place.
const privateKeys = new WeakMap<Uint8Array, { seed: Uint8Array; key: KeyObject }>();

function privateKeyObject(seed: Uint8Array): KeyObject {
  if (seed.length !== SECRET_KEY_LENGTH) throw new TypeError('Ed25519 seed must be 32 bytes');
  const cached = privateKeys.get(seed);
  if (cached && Buffer.compare(cached.seed, seed) === 0) return cached.key;
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  privateKeys.set(seed, { seed: seed.slice(), key });
  return key;
}

function asBytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** Node's OpenSSL Ed25519 (cofactorless, like every Weft backend); the fast path for full nodes. */
export const nativeEd25519: Ed25519Backend = {
  name: 'native',
  async verify(publicKey, message, signature) {
    if (publicKey.length !== PUBLIC_KEY_LENGTH || signature.length !== SIGNATURE_LENGTH) {
      return false;
    }
    try {
      return nodeVerify(null, message, publicKeyObject(publicKey), signature);
    } catch {
      // A key OpenSSL refuses to parse cannot have signed anything.
      return false;
    }
  },
  async sign(secretKey, message) {
    return asBytes(nodeSign(null, message, privateKeyObject(secretKey)));
  },
  async getPublicKey(secretKey) {
    const spki = createPublicKey(privateKeyObject(secretKey)).export({
      format: 'der',
      type: 'spki',
    });
    return asBytes(spki).slice(SPKI_PREFIX.length);
  },
};
