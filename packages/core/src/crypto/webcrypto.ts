import { fromHex, toHex } from '../bytes.js';
import type { Ed25519Backend } from './ed25519.js';
import { PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, SIGNATURE_LENGTH } from './ed25519.js';
import { nobleEd25519 } from './noble.js';

const ED25519 = { name: 'Ed25519' } as const;

/**
 * RFC 8410 PrivateKeyInfo for Ed25519 up to the seed: SEQUENCE(46) { INTEGER 0,
 * SEQUENCE { OID 1.3.101.112 }, OCTET STRING(34) { OCTET STRING(32) <seed> } }.
 */
const PKCS8_PREFIX = fromHex('302e020100300506032b657004220420');

/** Imported public keys kept; a channel's endorsers and orderers are far fewer. */
export const WEBCRYPTO_KEY_CACHE_SIZE = 2048;

// RFC 8032 section 7.1, test 1: a known-good signature to prove the runtime really verifies.
const PROBE_KEY = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const PROBE_SIG = fromHex(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
);

/** WebCrypto takes only ArrayBuffer-backed views; copy the rare SharedArrayBuffer-backed one. */
function buf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? (bytes as Uint8Array<ArrayBuffer>)
    : new Uint8Array(bytes);
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function pkcs8(seed: Uint8Array): Uint8Array<ArrayBuffer> {
  const der = new Uint8Array(PKCS8_PREFIX.length + SECRET_KEY_LENGTH);
  der.set(PKCS8_PREFIX);
  der.set(seed, PKCS8_PREFIX.length);
  return der;
}

/** Least-recently-used map of imported public keys (Map keeps insertion order). */
class KeyCache {
  private readonly entries = new Map<string, Promise<CryptoKey>>();
  constructor(private readonly limit: number) {}

  get(subtle: SubtleCrypto, publicKey: Uint8Array): Promise<CryptoKey> {
    const id = toHex(publicKey);
    let key = this.entries.get(id);
    if (key) {
      this.entries.delete(id);
    } else {
      // Concurrent verifications of one key share a single import.
      key = subtle.importKey('raw', buf(publicKey), ED25519, false, ['verify']);
      const pending = key;
      pending.catch(() => {
        if (this.entries.get(id) === pending) this.entries.delete(id);
      });
      if (this.entries.size >= this.limit) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    this.entries.set(id, key);
    return key;
  }
}

interface SigningKey {
  seed: Uint8Array;
  key: CryptoKey;
}

function makeBackend(subtle: SubtleCrypto): Ed25519Backend {
  const publicKeys = new KeyCache(WEBCRYPTO_KEY_CACHE_SIZE);
  // Keyed by the caller's own seed array, so a signer reuses its imported key without this
  // module holding secrets beyond the caller's lifetime; the copy catches a seed mutated in place.
  const signingKeys = new WeakMap<Uint8Array, SigningKey>();

  async function signingKey(seed: Uint8Array): Promise<CryptoKey> {
    const cached = signingKeys.get(seed);
    if (cached?.seed.every((b, i) => b === seed[i])) return cached.key;
    const key = await subtle.importKey('pkcs8', pkcs8(seed), ED25519, false, ['sign']);
    signingKeys.set(seed, { seed: seed.slice(), key });
    return key;
  }

  return {
    name: 'webcrypto',
    async verify(publicKey, message, signature) {
      if (publicKey.length !== PUBLIC_KEY_LENGTH || signature.length !== SIGNATURE_LENGTH) {
        return false;
      }
      try {
        const key = await publicKeys.get(subtle, publicKey);
        return await subtle.verify(ED25519, key, buf(signature), buf(message));
      } catch {
        // A key the runtime refuses to import cannot have signed anything.
        return false;
      }
    },
    async sign(secretKey, message) {
      if (secretKey.length !== SECRET_KEY_LENGTH) {
        throw new TypeError('Ed25519 seed must be 32 bytes');
      }
      const key = await signingKey(secretKey);
      return new Uint8Array(await subtle.sign(ED25519, key, buf(message)));
    },
    async getPublicKey(secretKey) {
      if (secretKey.length !== SECRET_KEY_LENGTH) {
        throw new TypeError('Ed25519 seed must be 32 bytes');
      }
      // Only a private JWK carries the public half; raw export works on public keys only.
      const key = await subtle.importKey('pkcs8', pkcs8(secretKey), ED25519, true, ['sign']);
      const jwk = await subtle.exportKey('jwk', key);
      if (typeof jwk.x === 'string') {
        const publicKey = fromBase64Url(jwk.x);
        if (publicKey.length === PUBLIC_KEY_LENGTH) return publicKey;
      }
      return nobleEd25519.getPublicKey(secretKey);
    },
  };
}

let detected: Promise<Ed25519Backend | undefined> | undefined;

async function detect(): Promise<Ed25519Backend | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined; // absent, or a browser page outside a secure context
  try {
    const key = await subtle.importKey('raw', buf(PROBE_KEY), ED25519, false, ['verify']);
    const ok = await subtle.verify(ED25519, key, buf(PROBE_SIG), new Uint8Array(0));
    return ok ? makeBackend(subtle) : undefined;
  } catch {
    return undefined;
  }
}

/** The runtime's WebCrypto Ed25519 as a backend, or undefined where it has none. */
export function webCryptoEd25519(): Promise<Ed25519Backend | undefined> {
  detected ??= detect();
  return detected;
}
