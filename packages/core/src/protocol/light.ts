import {
  type Block,
  type BlockHeader,
  type BlockSignature,
  decodeBlock,
  encodeBlock,
  envelopeHash,
} from '../block/block.js';
import { encodeHeaderAndSignaturesDirect } from '../block/header-encoding.js';
import { concatBytes } from '../bytes.js';
import {
  type Attestation,
  decodeAttestation,
  encodeAttestation,
  MAX_ATTESTATION_BYTES,
} from '../commit/attestation.js';
import { codesBytes } from '../commit/commit-hash.js';
import { MAX_BLOCK_BYTES, MAX_TX_PER_BLOCK } from '../config/channel.js';
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
  schemaError,
} from '../encoding/fields.js';
import { readCoinKey } from '../fabcoin/coin.js';
import { MAX_LABEL_LENGTH } from '../fabcoin/request.js';
import { verifyInclusion } from '../merkle/index.js';
import { MAX_ENVELOPE_BYTES } from '../tx/envelope.js';
import { isTxCode, type TxCode } from '../validate/codes.js';

/**
 * `/weft/light/1.0.0`: what a light client (trusting only a channel's
 * genesis hash) asks a full node, and the answers it can check itself:
 * headers against the orderer-signature policy, transactions against a
 * header's dataHash (RFC 6962 proofs), codes against signed attestations.
 * One request per stream; `headers` answers with one DATA frame per
 * header, every other request with one DATA frame. Everything is
 * canonical CBOR read back strictly with a size bound.
 *
 * What a node can still do is withhold (answer less, or an error); see
 * each answer for what a client must check before believing it.
 */

const CHANNEL_MAX = 64;

export const MAX_LIGHT_REQUEST_BYTES = 1024;
/** Headers per `headers` request. */
export const MAX_LIGHT_HEADERS = 1000;
/** One header frame: a header (at most 512 bytes) and up to 64 signatures of about 120 bytes. */
export const MAX_LIGHT_HEADER_BYTES = 16 * 1024;
export const MAX_LIGHT_INFO_BYTES = 256;
/** A whole block, its codes (one byte per envelope) and the map around them. */
export const MAX_LIGHT_BLOCK_BYTES = MAX_BLOCK_BYTES + MAX_TX_PER_BLOCK + 64;
/** The longest audit path in a block of MAX_TX_PER_BLOCK envelopes. */
export const MAX_LIGHT_PROOF_LENGTH = Math.ceil(Math.log2(MAX_TX_PER_BLOCK));
/** An envelope, its block's codes, an audit path and the map around them. */
export const MAX_LIGHT_TX_BYTES =
  MAX_ENVELOPE_BYTES + MAX_TX_PER_BLOCK + MAX_LIGHT_PROOF_LENGTH * (HASH_LENGTH + 2) + 256;
/** Attestations per answer (one per signing peer of the block). */
export const MAX_LIGHT_ATTESTATIONS = 256;
export const MAX_LIGHT_ATTESTATIONS_BYTES =
  MAX_LIGHT_ATTESTATIONS * (MAX_ATTESTATION_BYTES + 3) + 32;
/** Coins per `coins` request. */
export const MAX_LIGHT_COIN_PAGE = 100;
/** A coin page; the node stops a page early (with `next`) rather than exceed it. */
export const MAX_LIGHT_COINS_BYTES = 4 * 1024 * 1024;

// --- requests ----------------------------------------------------------------

export type LightRequest =
  | { type: 'info'; channel: string }
  | { type: 'headers'; channel: string; from: number; count: number }
  | { type: 'block'; channel: string; number: number }
  | { type: 'tx'; channel: string; txid: Uint8Array }
  | { type: 'attestations'; channel: string; number: number }
  | { type: 'coins'; channel: string; owner: Uint8Array; limit: number; after?: string };

export const LIGHT_REQUEST_TYPES = [
  'info',
  'headers',
  'block',
  'tx',
  'attestations',
  'coins',
] as const;

const LIGHT_FIELDS: Record<LightRequest['type'], readonly string[]> = {
  info: [],
  headers: ['from', 'count'],
  block: ['number'],
  tx: ['txid'],
  attestations: ['number'],
  coins: ['owner', 'limit'],
};

export function encodeLightRequest(r: LightRequest): Uint8Array {
  const body: Record<string, CborValue> = { type: r.type, channel: r.channel };
  const fields = r.type === 'coins' ? [...LIGHT_FIELDS.coins, 'after'] : LIGHT_FIELDS[r.type];
  for (const f of fields) {
    const v = (r as Record<string, unknown>)[f];
    if (v !== undefined) body[f] = v as CborValue;
  }
  return encode(body);
}

function readRange(value: unknown, what: string, max: number): number {
  const n = readUint(value, what);
  if (n < 1 || n > max) schemaError(`${what}: 1..${max}`);
  return n;
}

export function decodeLightRequest(bytes: Uint8Array): LightRequest {
  const value = decode(bytes, { maxBytes: MAX_LIGHT_REQUEST_BYTES });
  const head = readRecord(
    value,
    'light',
    ['type', 'channel'],
    ['from', 'count', 'number', 'txid', 'owner', 'limit', 'after'],
  );
  const type = readEnum(head.type, 'light.type', LIGHT_REQUEST_TYPES);
  const optional = type === 'coins' ? ['after'] : [];
  const r = readRecord(
    value,
    `light ${type}`,
    ['type', 'channel', ...LIGHT_FIELDS[type]],
    optional,
  );
  const channel = readString(r.channel, 'light.channel', CHANNEL_MAX);
  switch (type) {
    case 'info':
      return { type, channel };
    case 'headers':
      return {
        type,
        channel,
        from: readUint(r.from, 'light.from'),
        count: readRange(r.count, 'light.count', MAX_LIGHT_HEADERS),
      };
    case 'block':
    case 'attestations':
      return { type, channel, number: readUint(r.number, 'light.number') };
    case 'tx':
      return { type, channel, txid: readBytes(r.txid, 'light.txid', HASH_LENGTH) };
    case 'coins': {
      const out: LightRequest = {
        type,
        channel,
        owner: readBytes(r.owner, 'light.owner', PUBLIC_KEY_LENGTH),
        limit: readRange(r.limit, 'light.limit', MAX_LIGHT_COIN_PAGE),
      };
      if (r.after !== undefined) out.after = readCoinKey(r.after, 'light.after');
      return out;
    }
  }
}

// --- info ------------------------------------------------------------------------

/**
 * The node's view of the channel: `height` blocks (0..height-1) and the
 * genesis hash, which a client compares with its trust anchor. The height
 * is a claim: a node can only understate it (a header it does not have
 * cannot be forged).
 */
export interface LightInfo {
  channel: string;
  height: number;
  genesisHash: Uint8Array;
}

export function encodeLightInfo(i: LightInfo): Uint8Array {
  return encode({ channel: i.channel, height: i.height, genesisHash: i.genesisHash });
}

export function decodeLightInfo(bytes: Uint8Array): LightInfo {
  const r = readRecord(decode(bytes, { maxBytes: MAX_LIGHT_INFO_BYTES }), 'lightInfo', [
    'channel',
    'height',
    'genesisHash',
  ]);
  const height = readUint(r.height, 'lightInfo.height');
  if (height < 1) schemaError('lightInfo.height: a channel always has its genesis block');
  return {
    channel: readString(r.channel, 'lightInfo.channel', CHANNEL_MAX),
    height,
    genesisHash: readBytes(r.genesisHash, 'lightInfo.genesisHash', HASH_LENGTH),
  };
}

// --- headers ---------------------------------------------------------------------

/**
 * A block without its envelopes: all that its hash (H(canonical header))
 * and its orderer signatures (over that hash) cover, so a client checks
 * the link to the previous header and the block-signature policy from it
 * alone; the envelopes are bound through `header.dataHash`.
 */
export interface LightHeader {
  header: BlockHeader;
  signatures: BlockSignature[];
}

/** Everything before the header in a block encoding with no data: {data: [], header: ... */
const HEADER_ONLY_PREFIX = concatBytes(
  Uint8Array.of(0xa3),
  encode('data'),
  encode([]),
  encode('header'),
);
const SIGNATURES_KEY = encode('signatures');

/**
 * Encoded as core's block encoding with `data` empty (the ledger's stored
 * block head), assembled around encodeHeader's direct bytes rather than
 * encoded generically: light clients store and nodes serve one per block.
 * The keys data < header < signatures are in canonical order.
 */
export function encodeLightHeader(h: LightHeader): Uint8Array {
  return (
    encodeHeaderAndSignaturesDirect(HEADER_ONLY_PREFIX, h.header, SIGNATURES_KEY, h.signatures) ??
    encodeBlock({ header: h.header, data: [], signatures: h.signatures })
  );
}

export function decodeLightHeader(bytes: Uint8Array): LightHeader {
  const b = decodeBlock(bytes, MAX_LIGHT_HEADER_BYTES);
  if (b.data.length > 0) schemaError('lightHeader: holds envelopes');
  return { header: b.header, signatures: b.signatures };
}

// --- block -----------------------------------------------------------------------

/** A whole block and its codes (one per envelope; checked against attestations' codesHash). */
export interface LightBlock {
  block: Block;
  codes: TxCode[];
}

function readCodes(value: unknown, what: string): TxCode[] {
  const codes = Array.from(readBytes(value, what, undefined, MAX_TX_PER_BLOCK));
  for (const c of codes) if (!isTxCode(c)) schemaError(`${what}: unknown code ${c}`);
  return codes as TxCode[];
}

/** `blockBytes`: the block's encoding when the caller has it already (a ledger does). */
export function encodeLightBlock(b: LightBlock, blockBytes = encodeBlock(b.block)): Uint8Array {
  return encode({ block: blockBytes, codes: codesBytes(b.codes) });
}

export function decodeLightBlock(bytes: Uint8Array): LightBlock {
  const r = readRecord(decode(bytes, { maxBytes: MAX_LIGHT_BLOCK_BYTES }), 'lightBlock', [
    'block',
    'codes',
  ]);
  const block = decodeBlock(readBytes(r.block, 'lightBlock.block', undefined, MAX_BLOCK_BYTES));
  const codes = readCodes(r.codes, 'lightBlock.codes');
  if (codes.length !== block.data.length)
    schemaError(`lightBlock.codes: ${codes.length} codes for ${block.data.length} envelopes`);
  return { block, codes };
}

// --- tx --------------------------------------------------------------------------

/**
 * A transaction with its RFC 6962 inclusion proof: the Merkle leaf is
 * H(envelope) (leaf hash H(0x00 || H(envelope)), as computeDataHash
 * builds a block's dataHash), `proof` its audit path to the root, deepest
 * sibling first. `codes` are all of block `block`'s codes; this
 * transaction's is `codes[index]`, and `treeSize` (the block's envelope
 * count) always equals `codes.length`.
 *
 * A client believes it after checking: the proof reaches the dataHash of
 * a verified header of block `block` (lightTxIncluded); codesHash(codes)
 * equals the codesHash that attestations satisfying the channel's policy
 * signed for that block, which also fixes treeSize (with a wrong tree
 * size an audit path can place a leaf at another index); and that the
 * envelope is the transaction it asked for (parseTx(envelope).txid).
 */
export interface LightTx {
  envelope: Uint8Array;
  block: number;
  index: number;
  treeSize: number;
  proof: Uint8Array[];
  codes: TxCode[];
}

export function lightTxToCbor(t: LightTx): CborValue {
  return {
    envelope: t.envelope,
    block: t.block,
    index: t.index,
    treeSize: t.treeSize,
    proof: t.proof,
    codes: codesBytes(t.codes),
  };
}

export function readLightTx(value: unknown, what = 'lightTx'): LightTx {
  const r = readRecord(value, what, ['envelope', 'block', 'index', 'treeSize', 'proof', 'codes']);
  const treeSize = readRange(r.treeSize, `${what}.treeSize`, MAX_TX_PER_BLOCK);
  const index = readUint(r.index, `${what}.index`);
  if (index >= treeSize) schemaError(`${what}.index: ${index} is outside a tree of ${treeSize}`);
  const codes = readCodes(r.codes, `${what}.codes`);
  if (codes.length !== treeSize)
    schemaError(`${what}.codes: ${codes.length} codes for a tree of ${treeSize}`);
  return {
    envelope: readBytes(r.envelope, `${what}.envelope`, undefined, MAX_ENVELOPE_BYTES),
    block: readUint(r.block, `${what}.block`),
    index,
    treeSize,
    proof: readArray(r.proof, `${what}.proof`, MAX_LIGHT_PROOF_LENGTH).map((p, i) =>
      readBytes(p, `${what}.proof[${i}]`, HASH_LENGTH),
    ),
    codes,
  };
}

export function encodeLightTx(t: LightTx): Uint8Array {
  return encode(lightTxToCbor(t));
}

export function decodeLightTx(bytes: Uint8Array): LightTx {
  return readLightTx(decode(bytes, { maxBytes: MAX_LIGHT_TX_BYTES }));
}

/** Whether `tx`'s proof places its envelope at `index` under `header` (of block `tx.block`). */
export function lightTxIncluded(tx: LightTx, header: BlockHeader): boolean {
  return (
    header.number === tx.block &&
    tx.codes.length === tx.treeSize &&
    verifyInclusion({
      leafData: envelopeHash(tx.envelope),
      index: tx.index,
      treeSize: tx.treeSize,
      proof: tx.proof,
      root: header.dataHash,
    })
  );
}

// --- attestations ----------------------------------------------------------------

/**
 * Every stored attestation of a block (at most MAX_LIGHT_ATTESTATIONS), as
 * gathered by the node; each is signed, so a client checks them with
 * checkAttestations and the node can only withhold some.
 */
export function encodeLightAttestations(list: readonly Attestation[]): Uint8Array {
  return encode({ attestations: list.map(encodeAttestation) });
}

export function decodeLightAttestations(bytes: Uint8Array): Attestation[] {
  const r = readRecord(
    decode(bytes, { maxBytes: MAX_LIGHT_ATTESTATIONS_BYTES }),
    'lightAttestations',
    ['attestations'],
  );
  return readArray(r.attestations, 'lightAttestations.attestations', MAX_LIGHT_ATTESTATIONS).map(
    (a, i) =>
      decodeAttestation(
        readBytes(a, `lightAttestations.attestations[${i}]`, undefined, MAX_ATTESTATION_BYTES),
      ),
  );
}

// --- coins -----------------------------------------------------------------------

/**
 * An unspent coin as the node claims it, with the transaction that
 * created it. A client checks `tx` as for `tx` requests, that
 * `key` is `txidhex.j` of that envelope's txid, that output j of its
 * request is this amount, label and the owner asked for, and that
 * codes[index] is VALID. That the coin is still unspent is only the
 * node's claim: a lying node can withhold coins or offer one already
 * spent, and a spend of that is then rejected by the network
 * (MVCC_READ_CONFLICT), so nothing is lost but the attempt.
 */
export interface LightCoin {
  key: string;
  amount: bigint;
  label: string;
  tx: LightTx;
}

/** A page of an owner's unspent coins in coin-key order; `next` is passed as `after`. */
export interface LightCoinPage {
  coins: LightCoin[];
  next?: string;
}

function lightCoinToCbor(c: LightCoin): CborValue {
  return { key: c.key, amount: c.amount, label: c.label, tx: lightTxToCbor(c.tx) };
}

export function encodeLightCoinPage(p: LightCoinPage): Uint8Array {
  const body: Record<string, CborValue> = { coins: p.coins.map(lightCoinToCbor) };
  if (p.next !== undefined) body.next = p.next;
  return encode(body);
}

export function decodeLightCoinPage(bytes: Uint8Array): LightCoinPage {
  const r = readRecord(
    decode(bytes, { maxBytes: MAX_LIGHT_COINS_BYTES }),
    'lightCoins',
    ['coins'],
    ['next'],
  );
  const coins = readArray(r.coins, 'lightCoins.coins', MAX_LIGHT_COIN_PAGE).map((c, i) => {
    const what = `lightCoins.coins[${i}]`;
    const f = readRecord(c, what, ['key', 'amount', 'label', 'tx']);
    return {
      key: readCoinKey(f.key, `${what}.key`),
      amount: readBigUint(f.amount, `${what}.amount`),
      label: readString(f.label, `${what}.label`, MAX_LABEL_LENGTH),
      tx: readLightTx(f.tx, `${what}.tx`),
    };
  });
  const out: LightCoinPage = { coins };
  if (r.next !== undefined) out.next = readCoinKey(r.next, 'lightCoins.next');
  return out;
}

/** The map head, its keys, the array head and the longest `next`, with room to spare. */
const COIN_PAGE_OVERHEAD = 128;

/**
 * The page a node sends for `coins` (in order) and the ledger's `next`:
 * as many coins as fit MAX_LIGHT_COINS_BYTES, and when some are left out,
 * `next` names the last one sent so the client continues after it. Always
 * at least one coin when there is one (one coin is far below the bound).
 */
export function fitLightCoinPage(coins: readonly LightCoin[], next?: string): LightCoinPage {
  let size = COIN_PAGE_OVERHEAD;
  const out: LightCoin[] = [];
  for (const c of coins) {
    // An array's encoding is its head followed by its items' encodings.
    size += encode(lightCoinToCbor(c)).length;
    if (size > MAX_LIGHT_COINS_BYTES && out.length > 0)
      return { coins: out, next: out[out.length - 1]!.key };
    out.push(c);
  }
  return next === undefined ? { coins: out } : { coins: out, next };
}
