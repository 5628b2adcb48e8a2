import { concatBytes, utf8 } from '../bytes.js';
import type { Ed25519Backend } from './ed25519.js';
import { nobleEd25519 } from './noble.js';
import { strictPrecheck } from './strict.js';

/**
 * Domain-separated signatures: every Weft signature covers
 * "weft/v1/<domain>\0" || bytes, so a signature made for one purpose (a
 * block, an endorsement...) can never be replayed as another.
 */
export type SignatureDomain =
  | 'cert'
  | 'proposal'
  | 'fabcoin-auth'
  | 'endorsement'
  | 'block'
  | 'attestation'
  | 'alive'
  | 'enroll'
  | 'test';

/** Each domain's prefix, encoded once: a message is built for every signature checked. */
const prefixes = new Map<string, Uint8Array>();

export function domainMessage(domain: SignatureDomain, bytes: Uint8Array): Uint8Array {
  let prefix = prefixes.get(domain);
  if (!prefix) {
    prefix = utf8(`weft/v1/${domain}\0`);
    prefixes.set(domain, prefix);
  }
  return concatBytes(prefix, bytes);
}

let defaultBackend: Ed25519Backend = nobleEd25519;

/** The backend used when a caller passes none; @weft/node installs its native one. */
export function getDefaultEd25519Backend(): Ed25519Backend {
  return defaultBackend;
}

export function setDefaultEd25519Backend(backend: Ed25519Backend): void {
  defaultBackend = backend;
}

/** Strict verification of a raw message: shared precheck, then the backend. Never throws. */
export async function verifyStrict(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): Promise<boolean> {
  if (!strictPrecheck(publicKey, signature)) return false;
  try {
    return await backend.verify(publicKey, message, signature);
  } catch {
    return false;
  }
}

export interface DomainVerifyOptions {
  publicKey: Uint8Array;
  domain: SignatureDomain;
  bytes: Uint8Array;
  signature: Uint8Array;
  backend?: Ed25519Backend;
}

export function verifyDomain(opts: DomainVerifyOptions): Promise<boolean> {
  return verifyStrict(
    opts.publicKey,
    domainMessage(opts.domain, opts.bytes),
    opts.signature,
    opts.backend,
  );
}

/** A key pair that signs domain-separated messages. */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(domain: SignatureDomain, bytes: Uint8Array): Promise<Uint8Array>;
}

export async function signerFromSecret(
  secretKey: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): Promise<Signer> {
  const publicKey = await backend.getPublicKey(secretKey);
  return {
    publicKey,
    sign: (domain, bytes) => backend.sign(secretKey, domainMessage(domain, bytes)),
  };
}

/** A fresh random key pair (WebCrypto's getRandomValues exists in Node 20 and browsers). */
export function randomSecretKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}
