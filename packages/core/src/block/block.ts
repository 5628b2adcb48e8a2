import { MAX_BLOCK_BYTES, MAX_TX_PER_BLOCK } from '../config/channel.js';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from '../crypto/ed25519.js';
import { HASH_LENGTH, sha256 } from '../crypto/hash.js';
import type { Signer } from '../crypto/signing.js';
import { type CborValue, decode, encode } from '../encoding/cbor.js';
import { readArray, readBytes, readRecord, readString, readUint } from '../encoding/fields.js';
import { merkleRoot } from '../merkle/index.js';
import { MAX_ENVELOPE_BYTES } from '../tx/envelope.js';
import { encodeHeaderDirect, hashHeaderDirect } from './header-encoding.js';

/**
 * What orderers sign. `timestamp` (orderer clock, ms) is not in DESIGN's
 * header list: it is here because certificate expiry must be judged at a
 * time every peer agrees on, and explorers show block times.
 */
export interface BlockHeader {
  channel: string;
  number: number;
  previousHash: Uint8Array;
  /** RFC 6962 root over H(envelope) of every envelope in the block. */
  dataHash: Uint8Array;
  /** Number of the config block in force (0 until configs change). */
  lastConfig: number;
  timestamp: number;
}

export interface BlockSignature {
  /** The orderer's public key; the config says who that is. */
  signer: Uint8Array;
  /** Signature over the block hash, domain 'block'. */
  signature: Uint8Array;
}

export interface Block {
  header: BlockHeader;
  data: Uint8Array[];
  signatures: BlockSignature[];
}

export const MAX_BLOCK_SIGNATURES = 64;
export const ZERO_HASH = new Uint8Array(HASH_LENGTH);

export function headerToCbor(h: BlockHeader): CborValue {
  return {
    channel: h.channel,
    number: h.number,
    previousHash: h.previousHash,
    dataHash: h.dataHash,
    lastConfig: h.lastConfig,
    timestamp: h.timestamp,
  };
}

export function readHeader(value: unknown, what = 'header'): BlockHeader {
  const r = readRecord(value, what, [
    'channel',
    'number',
    'previousHash',
    'dataHash',
    'lastConfig',
    'timestamp',
  ]);
  return {
    channel: readString(r.channel, `${what}.channel`, 64),
    number: readUint(r.number, `${what}.number`),
    previousHash: readBytes(r.previousHash, `${what}.previousHash`, HASH_LENGTH),
    dataHash: readBytes(r.dataHash, `${what}.dataHash`, HASH_LENGTH),
    lastConfig: readUint(r.lastConfig, `${what}.lastConfig`),
    timestamp: readUint(r.timestamp, `${what}.timestamp`),
  };
}

export function encodeHeader(h: BlockHeader): Uint8Array {
  return encodeHeaderDirect(h) ?? encode(headerToCbor(h));
}

export const MAX_HEADER_BYTES = 512;

export function decodeHeader(bytes: Uint8Array): BlockHeader {
  return readHeader(decode(bytes, { maxBytes: MAX_HEADER_BYTES }));
}

/** The block hash: H(canonical header). Signatures and data hang off it. */
export function blockHash(h: BlockHeader): Uint8Array {
  return hashHeaderDirect(h, sha256) ?? sha256(encode(headerToCbor(h)));
}

/** Merkle leaves are the envelopes' hashes, so a proof needs only H(envelope). */
export function envelopeHash(envelope: Uint8Array): Uint8Array {
  return sha256(envelope);
}

export function computeDataHash(data: readonly Uint8Array[]): Uint8Array {
  return merkleRoot(data.map(envelopeHash));
}

export function blockToCbor(b: Block): CborValue {
  return {
    header: headerToCbor(b.header),
    data: b.data,
    signatures: b.signatures.map((s) => ({ signer: s.signer, signature: s.signature })),
  };
}

export function encodeBlock(b: Block): Uint8Array {
  return encode(blockToCbor(b));
}

export function decodeBlock(bytes: Uint8Array, maxBytes = MAX_BLOCK_BYTES): Block {
  const r = readRecord(decode(bytes, { maxBytes }), 'block', ['header', 'data', 'signatures']);
  return {
    header: readHeader(r.header, 'block.header'),
    data: readArray(r.data, 'block.data', MAX_TX_PER_BLOCK).map((d, i) =>
      readBytes(d, `block.data[${i}]`, undefined, MAX_ENVELOPE_BYTES),
    ),
    signatures: readArray(r.signatures, 'block.signatures', MAX_BLOCK_SIGNATURES).map((s, i) => {
      const f = readRecord(s, `block.signatures[${i}]`, ['signer', 'signature']);
      return {
        signer: readBytes(f.signer, `block.signatures[${i}].signer`, PUBLIC_KEY_LENGTH),
        signature: readBytes(f.signature, `block.signatures[${i}].signature`, SIGNATURE_LENGTH),
      };
    }),
  };
}

/** An orderer's signature over a header. */
export async function signHeader(header: BlockHeader, signer: Signer): Promise<BlockSignature> {
  return { signer: signer.publicKey, signature: await signer.sign('block', blockHash(header)) };
}

/** Assembles a block from envelopes; the caller (an orderer) signs it afterwards. */
export function buildHeader(options: {
  channel: string;
  number: number;
  previousHash: Uint8Array;
  data: readonly Uint8Array[];
  lastConfig: number;
  timestamp: number;
}): BlockHeader {
  return {
    channel: options.channel,
    number: options.number,
    previousHash: options.previousHash,
    dataHash: computeDataHash(options.data),
    lastConfig: options.lastConfig,
    timestamp: options.timestamp,
  };
}
