import {
  type ChannelConfig,
  channelConfigToCbor,
  readChannelConfig,
} from '../config/channel-config.js';
import { sha256 } from '../crypto/hash.js';
import { type CborValue, decode, encode } from '../encoding/cbor.js';
import { readArray, readEnum, readRecord } from '../encoding/fields.js';
import { CodecError } from '../errors.js';
import { type Endorsement, endorsementToCbor, readEndorsement } from './endorsement.js';
import {
  computeTxid,
  decodeProposal,
  type Proposal,
  readSignedProposal,
  type SignedProposal,
  signedProposalToCbor,
} from './proposal.js';
import { type RWSet, readRWSet, rwsetHash, rwsetToCbor } from './rwset.js';

export const MAX_ENVELOPE_BYTES = 256 * 1024;
export const MAX_ENDORSEMENTS = 32;

/** What is sent for ordering: an endorsed transaction. */
export interface TxEnvelope {
  type: 'tx';
  signedProposal: SignedProposal;
  rwset: RWSet;
  endorsements: Endorsement[];
}

/** A channel configuration, the one envelope of a config (genesis) block. */
export interface ConfigEnvelope {
  type: 'config';
  config: ChannelConfig;
}

export type Envelope = TxEnvelope | ConfigEnvelope;

export function envelopeToCbor(e: Envelope): CborValue {
  if (e.type === 'config') return { type: 'config', config: channelConfigToCbor(e.config) };
  return {
    type: 'tx',
    signedProposal: signedProposalToCbor(e.signedProposal),
    rwset: rwsetToCbor(e.rwset),
    endorsements: e.endorsements.map(endorsementToCbor),
  };
}

export function encodeEnvelope(e: Envelope): Uint8Array {
  return encode(envelopeToCbor(e));
}

export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const value = decode(bytes, { maxBytes: MAX_ENVELOPE_BYTES });
  const head = readRecord(
    value,
    'envelope',
    ['type'],
    ['config', 'signedProposal', 'rwset', 'endorsements'],
  );
  const type = readEnum(head.type, 'envelope.type', ['tx', 'config'] as const);
  if (type === 'config') {
    const r = readRecord(value, 'envelope', ['type', 'config']);
    return { type, config: readChannelConfig(r.config, 'envelope.config') };
  }
  const r = readRecord(value, 'envelope', ['type', 'signedProposal', 'rwset', 'endorsements']);
  return {
    type,
    signedProposal: readSignedProposal(r.signedProposal, 'envelope.signedProposal'),
    rwset: readRWSet(r.rwset, 'envelope.rwset'),
    endorsements: readArray(r.endorsements, 'envelope.endorsements', MAX_ENDORSEMENTS).map((e, i) =>
      readEndorsement(e, `envelope.endorsements[${i}]`),
    ),
  };
}

/** A decoded transaction with the hashes validation needs, computed once. */
export interface ParsedTx {
  envelope: TxEnvelope;
  proposal: Proposal;
  proposalHash: Uint8Array;
  rwsetHash: Uint8Array;
  txid: Uint8Array;
}

/** Decodes a transaction envelope and its inner proposal; throws CodecError on any defect. */
export function parseTx(bytes: Uint8Array): ParsedTx {
  const envelope = decodeEnvelope(bytes);
  if (envelope.type !== 'tx') {
    throw new CodecError('CODEC_SCHEMA', 'envelope: expected a transaction, got a config envelope');
  }
  const proposal = decodeProposal(envelope.signedProposal.proposal);
  return {
    envelope,
    proposal,
    proposalHash: sha256(envelope.signedProposal.proposal),
    rwsetHash: rwsetHash(envelope.rwset),
    txid: computeTxid(proposal.creator.publicKey, proposal.nonce),
  };
}
