import { generateKeyPairFromSeed, publicKeyFromRaw } from '@libp2p/crypto/keys';
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface';
import { peerIdFromPublicKey } from '@libp2p/peer-id';
import { equalBytes, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, signerFromSecret } from '@weft/core';
import { NetError } from './errors.js';

/**
 * A node's libp2p key IS its certificate key (DESIGN §3): the PeerId that
 * Noise authenticates is the Ed25519 public key an org root certified, so
 * the gater can check membership from the PeerId alone.
 */

/** The libp2p private key for a Weft 32-byte Ed25519 secret (the RFC 8032 seed). */
export async function libp2pKeyFromSecret(secretKey: Uint8Array): Promise<Ed25519PrivateKey> {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== SECRET_KEY_LENGTH) {
    throw new NetError('NET_BAD_KEY', `a Weft secret key is ${SECRET_KEY_LENGTH} bytes`);
  }
  const key = await generateKeyPairFromSeed('Ed25519', secretKey);
  // Both sides derive the public key from the same seed; a mismatch would mean
  // the PeerId no longer names the certified key, so refuse rather than run.
  const { publicKey } = await signerFromSecret(secretKey);
  if (!equalBytes(key.publicKey.raw, publicKey)) {
    throw new NetError('NET_BAD_KEY', 'libp2p and Weft derive different public keys');
  }
  return key;
}

export function peerIdFromEd25519(publicKey: Uint8Array): PeerId {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_LENGTH) {
    throw new NetError('NET_BAD_KEY', `an Ed25519 public key is ${PUBLIC_KEY_LENGTH} bytes`);
  }
  return peerIdFromPublicKey(publicKeyFromRaw(publicKey));
}

/** The 32-byte Ed25519 key a PeerId names, or undefined for any other key type. */
export function ed25519KeyOfPeer(peer: PeerId): Uint8Array | undefined {
  if (peer.type !== 'Ed25519') return undefined;
  const raw = peer.publicKey.raw;
  return raw.length === PUBLIC_KEY_LENGTH ? raw : undefined;
}
