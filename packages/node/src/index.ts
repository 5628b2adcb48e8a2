export { nativeEd25519 } from './crypto/native-ed25519.js';
