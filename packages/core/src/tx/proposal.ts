import { concatBytes } from '../bytes.js';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from '../crypto/ed25519.js';
import { sha256 } from '../crypto/hash.js';
import type { Signer } from '../crypto/signing.js';
import { type CborValue, decode, encode } from '../encoding/cbor.js';
import {
  readArray,
  readBytes,
  readEnum,
  readRecord,
  readString,
  readUint,
} from '../encoding/fields.js';
import { type FabcoinRequest, readRequest, requestToCbor } from '../fabcoin/request.js';
import { type Certificate, certificateToCbor, readCertificate } from '../identity/certificate.js';

export const NONCE_LENGTH = 24;
export const MAX_PROPOSAL_BYTES = 64 * 1024;
export const MAX_AUTH_SIGNATURES = 64;

/** A client's request to run chaincode, before anyone endorses it. */
export interface Proposal {
  channel: string;
  chaincode: 'fabcoin';
  creator: Certificate;
  nonce: Uint8Array;
  /** Client's clock, ms; informational (validity uses the block's timestamp). */
  timestamp: number;
  request: FabcoinRequest;
}

/** A signature by a key other than the creator's (coin owners, central banks). */
export interface AuthSignature {
  publicKey: Uint8Array;
  signature: Uint8Array;
}

/**
 * The proposal as the creator signed it. `proposal` keeps the exact signed
 * bytes so hashes and signatures never depend on re-encoding.
 */
export interface SignedProposal {
  proposal: Uint8Array;
  signature: Uint8Array;
  auth: AuthSignature[];
}

/** txid = H(creator public key || nonce): unique per creator and nonce, checkable by anyone. */
export function computeTxid(creatorKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return sha256(concatBytes(creatorKey, nonce));
}

export function proposalToCbor(p: Proposal): CborValue {
  return {
    channel: p.channel,
    chaincode: p.chaincode,
    creator: certificateToCbor(p.creator),
    nonce: p.nonce,
    timestamp: p.timestamp,
    request: requestToCbor(p.request),
  };
}

export function decodeProposal(bytes: Uint8Array): Proposal {
  const r = readRecord(decode(bytes, { maxBytes: MAX_PROPOSAL_BYTES }), 'proposal', [
    'channel',
    'chaincode',
    'creator',
    'nonce',
    'timestamp',
    'request',
  ]);
  return {
    channel: readString(r.channel, 'proposal.channel', 64),
    chaincode: readEnum(r.chaincode, 'proposal.chaincode', ['fabcoin'] as const),
    creator: readCertificate(r.creator, 'proposal.creator'),
    nonce: readBytes(r.nonce, 'proposal.nonce', NONCE_LENGTH),
    timestamp: readUint(r.timestamp, 'proposal.timestamp'),
    request: readRequest(r.request, 'proposal.request'),
  };
}

export function signedProposalToCbor(s: SignedProposal): CborValue {
  return {
    proposal: s.proposal,
    signature: s.signature,
    auth: s.auth.map((a) => ({ publicKey: a.publicKey, signature: a.signature })),
  };
}

export function readSignedProposal(value: unknown, what = 'signedProposal'): SignedProposal {
  const r = readRecord(value, what, ['proposal', 'signature', 'auth']);
  return {
    proposal: readBytes(r.proposal, `${what}.proposal`, undefined, MAX_PROPOSAL_BYTES),
    signature: readBytes(r.signature, `${what}.signature`, SIGNATURE_LENGTH),
    auth: readArray(r.auth, `${what}.auth`, MAX_AUTH_SIGNATURES).map((a, i) => {
      const f = readRecord(a, `${what}.auth[${i}]`, ['publicKey', 'signature']);
      return {
        publicKey: readBytes(f.publicKey, `${what}.auth[${i}].publicKey`, PUBLIC_KEY_LENGTH),
        signature: readBytes(f.signature, `${what}.auth[${i}].signature`, SIGNATURE_LENGTH),
      };
    }),
  };
}

/**
 * Signs a proposal as its creator, plus any extra authorising keys (owners of
 * inputs the creator does not own, or central banks for a mint).
 */
export async function signProposal(
  proposal: Proposal,
  creator: Signer,
  authorisers: readonly Signer[] = [],
): Promise<SignedProposal> {
  const bytes = encode(proposalToCbor(proposal));
  const signature = await creator.sign('proposal', bytes);
  const auth = await Promise.all(
    authorisers.map(async (s) => ({
      publicKey: s.publicKey,
      signature: await s.sign('fabcoin-auth', bytes),
    })),
  );
  return { proposal: bytes, signature, auth };
}
