export { installNativeCrypto, nativeSha256 } from './crypto/install.js';
export { nativeEd25519 } from './crypto/native-ed25519.js';
