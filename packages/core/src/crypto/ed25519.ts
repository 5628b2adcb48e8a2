/**
 * Ed25519 behind one interface. A backend only computes; the strict RFC 8032
 * verdict (canonical encodings, S < L, no small-order keys) is enforced by
 * `strictPrecheck`, which every verification runs first, so all backends
 * reach the same verdict on the same bytes.
 */

export const PUBLIC_KEY_LENGTH = 32;
export const SECRET_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;

export interface Ed25519Backend {
  /** Short stable name for reports and benchmarks: 'noble', 'webcrypto', 'native'. */
  readonly name: string;
  /** Raw verification; may be lenient on edge cases the precheck already rejects. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** Signs with a 32-byte RFC 8032 secret key (seed). */
  sign(secretKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  getPublicKey(secretKey: Uint8Array): Promise<Uint8Array>;
}
