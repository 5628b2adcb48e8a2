import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from '../crypto/ed25519.js';
import { sha256 } from '../crypto/hash.js';
import type { Signer } from '../crypto/signing.js';
import { type CborValue, decode, encode, withEncoding } from '../encoding/cbor.js';
import { readBytes, readEnum, readRecord, readString, readUint } from '../encoding/fields.js';

export const ROLES = ['peer', 'orderer', 'client', 'admin', 'cb'] as const;
export type Role = (typeof ROLES)[number];

/** Organisation and role names: letters, digits, '-', '_' (they appear in policy text). */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** What an org root vouches for: this key belongs to `org` in `role` during [notBefore, notAfter]. */
export interface CertificateBody {
  org: string;
  role: Role;
  publicKey: Uint8Array;
  /** Milliseconds since the Unix epoch, inclusive. */
  notBefore: number;
  /** Milliseconds since the Unix epoch, inclusive. */
  notAfter: number;
  serial: number;
}

export interface Certificate extends CertificateBody {
  /** The org root's signature over the canonical body, domain 'cert'. */
  signature: Uint8Array;
}

export const MAX_CERTIFICATE_BYTES = 512;

function bodyToCbor(b: CertificateBody): Record<string, CborValue> {
  return {
    org: b.org,
    role: b.role,
    publicKey: b.publicKey,
    notBefore: b.notBefore,
    notAfter: b.notAfter,
    serial: b.serial,
  };
}

export function certificateBodyBytes(b: CertificateBody): Uint8Array {
  return encode(bodyToCbor(b));
}

export function certificateToCbor(c: Certificate): CborValue {
  return { ...bodyToCbor(c), signature: c.signature };
}

/** Reads a certificate out of an already-decoded CBOR value (strict schema). */
export function readCertificate(value: unknown, what = 'certificate'): Certificate {
  const r = readRecord(value, what, [
    'org',
    'role',
    'publicKey',
    'notBefore',
    'notAfter',
    'serial',
    'signature',
  ]);
  return {
    org: readString(r.org, `${what}.org`, 64),
    role: readEnum(r.role, `${what}.role`, ROLES),
    publicKey: readBytes(r.publicKey, `${what}.publicKey`, PUBLIC_KEY_LENGTH),
    notBefore: readUint(r.notBefore, `${what}.notBefore`),
    notAfter: readUint(r.notAfter, `${what}.notAfter`),
    serial: readUint(r.serial, `${what}.serial`),
    signature: readBytes(r.signature, `${what}.signature`, SIGNATURE_LENGTH),
  };
}

export function encodeCertificate(c: Certificate): Uint8Array {
  return encode(certificateToCbor(c));
}

export function decodeCertificate(bytes: Uint8Array): Certificate {
  return readCertificate(decode(bytes, { maxBytes: MAX_CERTIFICATE_BYTES }));
}

/** Content hash: the cache key for "this exact certificate was verified". */
export function certificateHash(c: Certificate): Uint8Array {
  return withEncoding(certificateToCbor(c), sha256);
}

/** An org root issues a certificate by signing its canonical body. */
export async function issueCertificate(root: Signer, body: CertificateBody): Promise<Certificate> {
  const signature = await root.sign('cert', certificateBodyBytes(body));
  return { ...body, signature };
}
