import { SIGNATURE_LENGTH } from '../crypto/ed25519.js';
import { HASH_LENGTH } from '../crypto/hash.js';
import type { Signer } from '../crypto/signing.js';
import { type CborValue, encode } from '../encoding/cbor.js';
import { readBytes, readRecord } from '../encoding/fields.js';
import { type Certificate, certificateToCbor, readCertificate } from '../identity/certificate.js';

/** An endorser vouches: "simulating this proposal gave this rw-set". */
export interface Endorsement {
  endorser: Certificate;
  signature: Uint8Array;
}

export function endorsementPayload(proposalHash: Uint8Array, rwsetHash: Uint8Array): Uint8Array {
  if (proposalHash.length !== HASH_LENGTH || rwsetHash.length !== HASH_LENGTH) {
    throw new TypeError('endorsement payload needs two 32-byte hashes');
  }
  return encode({ proposalHash, rwsetHash });
}

export async function endorse(options: {
  signer: Signer;
  cert: Certificate;
  proposalHash: Uint8Array;
  rwsetHash: Uint8Array;
}): Promise<Endorsement> {
  const signature = await options.signer.sign(
    'endorsement',
    endorsementPayload(options.proposalHash, options.rwsetHash),
  );
  return { endorser: options.cert, signature };
}

export function endorsementToCbor(e: Endorsement): CborValue {
  return { endorser: certificateToCbor(e.endorser), signature: e.signature };
}

export function readEndorsement(value: unknown, what: string): Endorsement {
  const r = readRecord(value, what, ['endorser', 'signature']);
  return {
    endorser: readCertificate(r.endorser, `${what}.endorser`),
    signature: readBytes(r.signature, `${what}.signature`, SIGNATURE_LENGTH),
  };
}
