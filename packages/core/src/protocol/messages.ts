import { MAX_BLOCK_BYTES } from '../config/channel.js';
import { PUBLIC_KEY_LENGTH } from '../crypto/ed25519.js';
import { HASH_LENGTH } from '../crypto/hash.js';
import { type CborValue, decode, encode } from '../encoding/cbor.js';
import {
  readArray,
  readBigUint,
  readBytes,
  readEnum,
  readRecord,
  readString,
  readUint,
} from '../encoding/fields.js';
import { CodecError } from '../errors.js';
import { type Endorsement, endorsementToCbor, readEndorsement } from '../tx/endorsement.js';
import { MAX_ENVELOPE_BYTES } from '../tx/envelope.js';
import {
  MAX_PROPOSAL_BYTES,
  readSignedProposal,
  type SignedProposal,
  signedProposalToCbor,
} from '../tx/proposal.js';
import { type RWSet, readRWSet, rwsetToCbor } from '../tx/rwset.js';
import { isTxCode, type TxCode } from '../validate/codes.js';

/**
 * Request and response bodies of the node protocols, canonical CBOR read
 * back strictly with a size bound. Streams (deliver, blocks) send one
 * encoded block per frame; their requests are here.
 */

const CHANNEL_MAX = 64;
/** A signed proposal with its auth signatures, and room for the map around it. */
export const MAX_SIGNED_PROPOSAL_MESSAGE = MAX_PROPOSAL_BYTES + 8 * 1024;
/** An endorsement response: an rw-set (bounded by the envelope) and one endorsement. */
export const MAX_ENDORSE_RESPONSE = MAX_ENVELOPE_BYTES;
export const MAX_SMALL_MESSAGE = 1024;
export { MAX_BLOCK_BYTES };

function decodeRecord(
  bytes: Uint8Array,
  what: string,
  maxBytes: number,
  required: readonly string[],
  optional: readonly string[] = [],
) {
  return readRecord(decode(bytes, { maxBytes }), what, required, optional);
}

// --- /weft/endorse/1.0.0 -------------------------------------------------

export interface EndorseRequest {
  channel: string;
  signedProposal: SignedProposal;
}

export function encodeEndorseRequest(r: EndorseRequest): Uint8Array {
  return encode({ channel: r.channel, signedProposal: signedProposalToCbor(r.signedProposal) });
}

export function decodeEndorseRequest(bytes: Uint8Array): EndorseRequest {
  const r = decodeRecord(bytes, 'endorse', MAX_SIGNED_PROPOSAL_MESSAGE, [
    'channel',
    'signedProposal',
  ]);
  return {
    channel: readString(r.channel, 'endorse.channel', CHANNEL_MAX),
    signedProposal: readSignedProposal(r.signedProposal, 'endorse.signedProposal'),
  };
}

export interface EndorseResponse {
  rwset: RWSet;
  endorsement: Endorsement;
}

export function encodeEndorseResponse(r: EndorseResponse): Uint8Array {
  return encode({ rwset: rwsetToCbor(r.rwset), endorsement: endorsementToCbor(r.endorsement) });
}

export function decodeEndorseResponse(bytes: Uint8Array): EndorseResponse {
  const r = decodeRecord(bytes, 'endorsed', MAX_ENDORSE_RESPONSE, ['rwset', 'endorsement']);
  return {
    rwset: readRWSet(r.rwset, 'endorsed.rwset'),
    endorsement: readEndorsement(r.endorsement, 'endorsed.endorsement'),
  };
}

// --- /weft/broadcast/1.0.0 -----------------------------------------------

export interface BroadcastRequest {
  channel: string;
  envelope: Uint8Array;
}

/** An envelope and the map around it. */
export const MAX_BROADCAST_REQUEST = MAX_ENVELOPE_BYTES + 256;

export function encodeBroadcastRequest(r: BroadcastRequest): Uint8Array {
  return encode({ channel: r.channel, envelope: r.envelope });
}

export function decodeBroadcastRequest(bytes: Uint8Array): BroadcastRequest {
  const r = decodeRecord(bytes, 'broadcast', MAX_BROADCAST_REQUEST, ['channel', 'envelope']);
  return {
    channel: readString(r.channel, 'broadcast.channel', CHANNEL_MAX),
    envelope: readBytes(r.envelope, 'broadcast.envelope', undefined, MAX_ENVELOPE_BYTES),
  };
}

/** Where the envelope was ordered. */
export interface BroadcastAck {
  channel: string;
  block: number;
  index: number;
}

export function encodeBroadcastAck(a: BroadcastAck): Uint8Array {
  return encode({ channel: a.channel, block: a.block, index: a.index });
}

export function decodeBroadcastAck(bytes: Uint8Array): BroadcastAck {
  const r = decodeRecord(bytes, 'ack', MAX_SMALL_MESSAGE, ['channel', 'block', 'index']);
  return {
    channel: readString(r.channel, 'ack.channel', CHANNEL_MAX),
    block: readUint(r.block, 'ack.block'),
    index: readUint(r.index, 'ack.index'),
  };
}

// --- /weft/deliver/1.0.0 and /weft/blocks/1.0.0 ---------------------------

/** Blocks of `channel` from `from`; deliver follows the head when `to` is absent. */
export interface BlocksRequest {
  channel: string;
  from: number;
  /** Exclusive end; absent: up to the head (blocks) or forever (deliver). */
  to?: number;
}

export function encodeBlocksRequest(r: BlocksRequest): Uint8Array {
  const body: Record<string, CborValue> = { channel: r.channel, from: r.from };
  if (r.to !== undefined) body.to = r.to;
  return encode(body);
}

export function decodeBlocksRequest(bytes: Uint8Array): BlocksRequest {
  const r = decodeRecord(bytes, 'blocks', MAX_SMALL_MESSAGE, ['channel', 'from'], ['to']);
  const out: BlocksRequest = {
    channel: readString(r.channel, 'blocks.channel', CHANNEL_MAX),
    from: readUint(r.from, 'blocks.from'),
  };
  if (r.to !== undefined) {
    out.to = readUint(r.to, 'blocks.to');
    if (out.to < out.from) throw new CodecError('CODEC_SCHEMA', 'blocks.to: before blocks.from');
  }
  return out;
}

// --- /weft/gateway/1.0.0 -------------------------------------------------

export type GatewayRequest =
  | { type: 'submit'; channel: string; signedProposal: SignedProposal; wait: boolean }
  | { type: 'status'; channel: string; txid: Uint8Array; wait: boolean }
  | { type: 'coins'; channel: string; owner: Uint8Array; after?: string; limit: number };

/** Coins per page a gateway answers with at most. */
export const MAX_GATEWAY_COIN_PAGE = 500;

export function encodeGatewayRequest(r: GatewayRequest): Uint8Array {
  switch (r.type) {
    case 'submit':
      return encode({
        type: r.type,
        channel: r.channel,
        signedProposal: signedProposalToCbor(r.signedProposal),
        wait: r.wait,
      });
    case 'status':
      return encode({ type: r.type, channel: r.channel, txid: r.txid, wait: r.wait });
    case 'coins': {
      const body: Record<string, CborValue> = {
        type: r.type,
        channel: r.channel,
        owner: r.owner,
        limit: r.limit,
      };
      if (r.after !== undefined) body.after = r.after;
      return encode(body);
    }
  }
}

const GATEWAY_FIELDS = {
  submit: ['signedProposal', 'wait'],
  status: ['txid', 'wait'],
  coins: ['owner', 'limit'],
} as const;

export function decodeGatewayRequest(bytes: Uint8Array): GatewayRequest {
  const value = decode(bytes, { maxBytes: MAX_SIGNED_PROPOSAL_MESSAGE });
  const head = readRecord(
    value,
    'gateway',
    ['type', 'channel'],
    ['signedProposal', 'txid', 'wait', 'owner', 'after', 'limit'],
  );
  const type = readEnum(head.type, 'gateway.type', ['submit', 'status', 'coins'] as const);
  const optional = type === 'coins' ? ['after'] : [];
  const r = readRecord(
    value,
    `gateway ${type}`,
    ['type', 'channel', ...GATEWAY_FIELDS[type]],
    optional,
  );
  const channel = readString(r.channel, 'gateway.channel', CHANNEL_MAX);
  if (type === 'coins') {
    const limit = readUint(r.limit, 'gateway.limit');
    if (limit < 1 || limit > MAX_GATEWAY_COIN_PAGE)
      throw new CodecError('CODEC_SCHEMA', `gateway.limit: 1..${MAX_GATEWAY_COIN_PAGE}`);
    const out: GatewayRequest = {
      type,
      channel,
      owner: readBytes(r.owner, 'gateway.owner', PUBLIC_KEY_LENGTH),
      limit,
    };
    if (r.after !== undefined) out.after = readString(r.after, 'gateway.after', 128);
    return out;
  }
  if (typeof r.wait !== 'boolean')
    throw new CodecError('CODEC_SCHEMA', 'gateway.wait: expected a boolean');
  if (type === 'submit') {
    return {
      type,
      channel,
      signedProposal: readSignedProposal(r.signedProposal, 'gateway.signedProposal'),
      wait: r.wait,
    };
  }
  return { type, channel, txid: readBytes(r.txid, 'gateway.txid', HASH_LENGTH), wait: r.wait };
}

/** A page of an owner's unspent coins, as the gateway's ledger has them (unverified). */
export interface CoinPageMessage {
  coins: { key: string; amount: bigint; label: string }[];
  next?: string;
}

export function encodeCoinPage(p: CoinPageMessage): Uint8Array {
  const body: Record<string, CborValue> = {
    coins: p.coins.map((c) => ({ key: c.key, amount: c.amount, label: c.label })),
  };
  if (p.next !== undefined) body.next = p.next;
  return encode(body);
}

export function decodeCoinPage(bytes: Uint8Array): CoinPageMessage {
  const r = decodeRecord(bytes, 'coins', MAX_GATEWAY_COIN_PAGE * 256, ['coins'], ['next']);
  const coins = readArray(r.coins, 'coins.coins', MAX_GATEWAY_COIN_PAGE).map((c, i) => {
    const f = readRecord(c, `coins[${i}]`, ['key', 'amount', 'label']);
    return {
      key: readString(f.key, `coins[${i}].key`, 128),
      amount: readBigUint(f.amount, `coins[${i}].amount`),
      label: readString(f.label, `coins[${i}].label`, 64),
    };
  });
  const out: CoinPageMessage = { coins };
  if (r.next !== undefined) out.next = readString(r.next, 'coins.next', 128);
  return out;
}

/** Where a transaction stands, as the gateway's own ledger says. */
export type TxStatus =
  | { txid: Uint8Array; status: 'committed'; code: TxCode; block: number; index: number }
  | { txid: Uint8Array; status: 'submitted' | 'unknown' };

export function encodeTxStatus(s: TxStatus): Uint8Array {
  return encode(
    s.status === 'committed'
      ? { txid: s.txid, status: s.status, code: s.code, block: s.block, index: s.index }
      : { txid: s.txid, status: s.status },
  );
}

export function decodeTxStatus(bytes: Uint8Array): TxStatus {
  const r = decodeRecord(
    bytes,
    'status',
    MAX_SMALL_MESSAGE,
    ['txid', 'status'],
    ['code', 'block', 'index'],
  );
  const txid = readBytes(r.txid, 'status.txid', HASH_LENGTH);
  const status = readEnum(r.status, 'status.status', [
    'committed',
    'submitted',
    'unknown',
  ] as const);
  if (status !== 'committed') {
    if (r.code !== undefined || r.block !== undefined || r.index !== undefined)
      throw new CodecError('CODEC_SCHEMA', `status: a ${status} transaction has no code or block`);
    return { txid, status };
  }
  const code = readUint(r.code, 'status.code');
  if (!isTxCode(code)) throw new CodecError('CODEC_SCHEMA', `status.code: unknown code ${code}`);
  return {
    txid,
    status,
    code: code as TxCode,
    block: readUint(r.block, 'status.block'),
    index: readUint(r.index, 'status.index'),
  };
}
