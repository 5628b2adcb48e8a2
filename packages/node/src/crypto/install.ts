import { setDefaultEd25519Backend } from '@weft/core';
import { nativeEd25519 } from './native-ed25519.js';

/**
 * Fills core's Ed25519 slot with Node's native backend: every verification
 * a node makes without naming a backend then runs on OpenSSL. Call it once,
 * at the top of each Node entry point.
 */
export function installNativeCrypto(): void {
  setDefaultEd25519Backend(nativeEd25519);
}
