import {
  type ChannelConfig,
  channelConfigToCbor,
  readChannelConfig,
} from '../config/channel-config.js';
import { sha256 } from '../crypto/hash.js';
import { type ByteSpan, type CborValue, decodeWithSpans, encode } from '../encoding/cbor.js';
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
  return readEnvelope(bytes).envelope;
}

/** The envelope and where its top-level fields lie in `bytes`. */
function readEnvelope(bytes: Uint8Array): {
  envelope: Envelope;
  spans: ReadonlyMap<string, ByteSpan>;
} {
  const { value, spans } = decodeWithSpans(bytes, { maxBytes: MAX_ENVELOPE_BYTES });
  const head = readRecord(
    value,
    'envelope',
    ['type'],
    ['config', 'signedProposal', 'rwset', 'endorsements'],
  );
  const type = readEnum(head.type, 'envelope.type', ['tx', 'config'] as const);
  if (type === 'config') {
    const r = readRecord(value, 'envelope', ['type', 'config']);
    return { envelope: { type, config: readChannelConfig(r.config, 'envelope.config') }, spans };
  }
  const r = readRecord(value, 'envelope', ['type', 'signedProposal', 'rwset', 'endorsements']);
  const envelope: TxEnvelope = {
    type,
    signedProposal: readSignedProposal(r.signedProposal, 'envelope.signedProposal'),
    rwset: readRWSet(r.rwset, 'envelope.rwset'),
    endorsements: readArray(r.endorsements, 'envelope.endorsements', MAX_ENDORSEMENTS).map((e, i) =>
      readEndorsement(e, `envelope.endorsements[${i}]`),
    ),
  };
  return { envelope, spans };
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
  const { envelope, spans } = readEnvelope(bytes);
  if (envelope.type !== 'tx') {
    throw new CodecError('CODEC_SCHEMA', 'envelope: expected a transaction, got a config envelope');
  }
  const proposal = decodeProposal(envelope.signedProposal.proposal);
  // The rw-set as it lies in the envelope is its canonical encoding (the
  // decode is strict and readRWSet takes exactly its fields), so hashing
  // that span equals rwsetHash(envelope.rwset) without encoding it again.
  const rw = spans.get('rwset');
  return {
    envelope,
    proposal,
    proposalHash: sha256(envelope.signedProposal.proposal),
    rwsetHash: rw ? sha256(bytes.subarray(rw.start, rw.end)) : rwsetHash(envelope.rwset),
    txid: computeTxid(proposal.creator.publicKey, proposal.nonce),
  };
}
