import { ed25519 } from '@noble/curves/ed25519.js';
import type { Ed25519Backend } from './ed25519.js';

/** The portable reference backend; zip215=false selects RFC 8032 strict decoding. */
export const nobleEd25519: Ed25519Backend = {
  name: 'noble',
  async verify(publicKey, message, signature) {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  },
  async sign(secretKey, message) {
    return ed25519.sign(message, secretKey);
  },
  async getPublicKey(secretKey) {
    return ed25519.getPublicKey(secretKey);
  },
};
