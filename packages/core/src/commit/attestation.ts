import { equalBytes } from '../bytes.js';
import { type Channel, satisfies } from '../config/channel.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { SIGNATURE_LENGTH } from '../crypto/ed25519.js';
import { HASH_LENGTH } from '../crypto/hash.js';
import { type Signer, verifyDomain } from '../crypto/signing.js';
import { type CborValue, decode, encode } from '../encoding/cbor.js';
import { readBytes, readRecord, readString, readUint } from '../encoding/fields.js';
import { WeftError } from '../errors.js';
import { type Certificate, certificateToCbor, readCertificate } from '../identity/certificate.js';
import type { Identity } from '../identity/msp.js';

/** What a peer states after committing block n. Two honest peers state the same. */
export interface AttestationBody {
  channel: string;
  number: number;
  blockHash: Uint8Array;
  codesHash: Uint8Array;
  commitHash: Uint8Array;
}

export interface Attestation extends AttestationBody {
  signer: Certificate;
  signature: Uint8Array;
}

export class AttestationError extends WeftError {}

export const MAX_ATTESTATION_BYTES = 1024;

function bodyToCbor(b: AttestationBody): Record<string, CborValue> {
  return {
    channel: b.channel,
    number: b.number,
    blockHash: b.blockHash,
    codesHash: b.codesHash,
    commitHash: b.commitHash,
  };
}

export function attestationBodyBytes(b: AttestationBody): Uint8Array {
  return encode(bodyToCbor(b));
}

export function encodeAttestation(a: Attestation): Uint8Array {
  return encode({ ...bodyToCbor(a), signer: certificateToCbor(a.signer), signature: a.signature });
}

export function decodeAttestation(bytes: Uint8Array): Attestation {
  const r = readRecord(decode(bytes, { maxBytes: MAX_ATTESTATION_BYTES }), 'attestation', [
    'channel',
    'number',
    'blockHash',
    'codesHash',
    'commitHash',
    'signer',
    'signature',
  ]);
  return {
    channel: readString(r.channel, 'attestation.channel', 64),
    number: readUint(r.number, 'attestation.number'),
    blockHash: readBytes(r.blockHash, 'attestation.blockHash', HASH_LENGTH),
    codesHash: readBytes(r.codesHash, 'attestation.codesHash', HASH_LENGTH),
    commitHash: readBytes(r.commitHash, 'attestation.commitHash', HASH_LENGTH),
    signer: readCertificate(r.signer, 'attestation.signer'),
    signature: readBytes(r.signature, 'attestation.signature', SIGNATURE_LENGTH),
  };
}

export async function signAttestation(
  body: AttestationBody,
  signer: Signer,
  cert: Certificate,
): Promise<Attestation> {
  const signature = await signer.sign('attestation', attestationBodyBytes(body));
  return { ...body, signer: cert, signature };
}

/** Verifies one attestation: a peer of the channel, valid at `at`, signed these exact fields. */
export async function verifyAttestation(
  a: Attestation,
  options: { channel: Channel; at: number; backend?: Ed25519Backend },
): Promise<Identity> {
  if (a.channel !== options.channel.config.channel) {
    throw new AttestationError('ATTESTATION_CHANNEL', `attestation for channel ${a.channel}`);
  }
  const who = await options.channel.msp.identify(a.signer, { at: options.at, roles: ['peer'] });
  const ok = await verifyDomain({
    publicKey: a.signer.publicKey,
    domain: 'attestation',
    bytes: attestationBodyBytes(a),
    signature: a.signature,
    backend: options.backend,
  });
  if (!ok)
    throw new AttestationError('ATTESTATION_SIGNATURE', `bad attestation signature by ${who.org}`);
  return who;
}

export function sameAttestedResult(a: AttestationBody, b: AttestationBody): boolean {
  return (
    a.channel === b.channel &&
    a.number === b.number &&
    equalBytes(a.blockHash, b.blockHash) &&
    equalBytes(a.codesHash, b.codesHash) &&
    equalBytes(a.commitHash, b.commitHash)
  );
}

/**
 * Whether verified attestations that agree with `expected` satisfy the
 * channel's attestation policy; also lists the verified signers that disagree.
 */
export async function checkAttestations(options: {
  channel: Channel;
  expected: AttestationBody;
  attestations: readonly Attestation[];
  at: number;
  backend?: Ed25519Backend;
}): Promise<{ satisfied: boolean; agreeing: Identity[]; disagreeing: Identity[] }> {
  const agreeing: Identity[] = [];
  const disagreeing: Identity[] = [];
  for (const a of options.attestations) {
    let who: Identity;
    try {
      who = await verifyAttestation(a, options);
    } catch (err) {
      if (err instanceof WeftError) continue;
      throw err;
    }
    (sameAttestedResult(a, options.expected) ? agreeing : disagreeing).push(who);
  }
  return {
    satisfied: satisfies(options.channel.policies.attestation, agreeing),
    agreeing,
    disagreeing,
  };
}
