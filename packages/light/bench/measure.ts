import { type Ed25519Backend, signerFromSecret, verifyDomain, WeftError } from '@weft/core';
import { devSecret } from '@weft/core/dev';

/**
 * The limit: strict Ed25519 verifications per second through the very call
 * the light client makes (verifyDomain: domain prefix, strict precheck,
 * the backend with its key cache), over distinct keys and messages.
 */

export interface SignatureSet {
  items: { publicKey: Uint8Array; bytes: Uint8Array; signature: Uint8Array }[];
}

/** Keys enough to miss any per-key shortcut, few enough to stay in the backend's key cache, as a channel's orderers and peers do. */
const SET_KEYS = 16;

/** `size` signatures by SET_KEYS keys over distinct 32-byte messages (block-hash sized). */
export async function signatureSet(size: number, backend: Ed25519Backend): Promise<SignatureSet> {
  const signers = await Promise.all(
    Array.from({ length: SET_KEYS }, (_, k) =>
      signerFromSecret(devSecret('light-bench', `key ${k}`), backend),
    ),
  );
  const items = await Promise.all(
    Array.from({ length: size }, async (_, i) => {
      const signer = signers[i % SET_KEYS]!;
      const bytes = new Uint8Array(32);
      new DataView(bytes.buffer).setUint32(0, i);
      bytes.fill(0xa5, 4);
      return { publicKey: signer.publicKey, bytes, signature: await signer.sign('block', bytes) };
    }),
  );
  return { items };
}

/**
 * Verifications per second over the set, `window` at a time (1: each
 * awaited before the next, as a naive client does; more: the backend may
 * spread them over threads, as WebCrypto does). Runs at least `minMs`.
 */
export async function verifyRate(
  set: SignatureSet,
  backend: Ed25519Backend,
  window: number,
  minMs: number,
): Promise<number> {
  const { items } = set;
  const verifyOne = async (i: number) => {
    const it = items[i % items.length]!;
    const ok = await verifyDomain({ ...it, domain: 'block', backend });
    if (!ok) throw new WeftError('BENCH_VERIFY', `${backend.name} rejected a valid signature`);
  };
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    if (window === 1) {
      for (let i = 0; i < 64; i++) await verifyOne(done++);
    } else {
      const batch = Array.from({ length: window }, () => verifyOne(done++));
      await Promise.all(batch);
    }
    elapsed = performance.now() - start;
  }
  return (done * 1000) / elapsed;
}

/** A backend that counts verifications, to learn how many signatures a run checks. */
export function countingBackend(inner: Ed25519Backend): {
  backend: Ed25519Backend;
  count: () => number;
} {
  let n = 0;
  return {
    backend: {
      name: inner.name,
      verify: (publicKey, message, signature) => {
        n++;
        return inner.verify(publicKey, message, signature);
      },
      sign: (secretKey, message) => inner.sign(secretKey, message),
      getPublicKey: (secretKey) => inner.getPublicKey(secretKey),
    },
    count: () => n,
  };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const round = (n: number, digits = 0): number => Number(n.toFixed(digits));
