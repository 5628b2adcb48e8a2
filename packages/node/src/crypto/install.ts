import { createHash } from 'node:crypto';
import { setDefaultEd25519Backend, setSha256Implementation } from '@weft/core';
import { nativeEd25519 } from './native-ed25519.js';

/** Node's SHA-256 as a plain Uint8Array (not a Buffer, so equality checks stay type-exact). */
export function nativeSha256(data: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(data).digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/**
 * Fills core's crypto slots with Node's native implementations: every
 * verification a node makes without naming a backend then runs on OpenSSL,
 * and so does every hash. Call it once, at the top of each Node entry point.
 */
export function installNativeCrypto(): void {
  setDefaultEd25519Backend(nativeEd25519);
  setSha256Implementation('native', nativeSha256);
}
