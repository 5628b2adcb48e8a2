import {
  type Block,
  type ChainTip,
  decode,
  decodeBlock,
  decodeLightHeader,
  encode,
  encodeBlock,
  encodeLightHeader,
  HASH_LENGTH,
  type LightHeader,
  readBytes,
  readRecord,
  readUint,
  toHex,
} from '@weft/core';
import type { AbstractLevel } from 'abstract-level';

/**
 * Any abstract-level database: memory-level in tests, browser-level
 * (IndexedDB) in browsers, classic-level on disk in Node. Only its type is
 * imported, so this package loads without any particular backend.
 */
// biome-ignore lint/suspicious/noExplicitAny: any key/value defaults; this store sets its own encodings
export type LevelDatabase = AbstractLevel<any, any, any>;

/** One header the chain verified, with its hash (H(canonical header)). */
export interface StoredHeader extends LightHeader {
  hash: Uint8Array;
}

/**
 * Where a HeaderChain keeps one chain's verified headers: the genesis
 * block, one entry per header, and the tip, which is always written in the
 * same atomic batch as the headers it covers (so a crash never leaves a tip
 * ahead of its headers). Implementations: levelHeaderStore (any
 * abstract-level database) and openIndexedDbHeaderStore (browsers).
 */
export interface HeaderStore {
  genesis(): Promise<Block | undefined>;
  tip(): Promise<ChainTip | undefined>;
  header(n: number): Promise<LightHeader | undefined>;
  /** Stores the genesis block as header 0 and the tip at it, in one batch. */
  putGenesis(block: Block, tip: ChainTip): Promise<void>;
  /** Appends verified headers and moves the tip to the last of them, in one batch. */
  append(headers: readonly LightHeader[], tip: ChainTip): Promise<void>;
  /** Forgets this chain. */
  clear(): Promise<void>;
}

export const GENESIS_KEY = 'genesis';
export const TIP_KEY = 'tip';
/** Fixed width, so numbers sort as strings do (DESIGN section 7). */
export const headerKey = (n: number) => `h/${n.toString(16).padStart(16, '0')}`;

/**
 * A chain's headers in an abstract-level database, in their own sublevel
 * named after the genesis hash, so chains (and other users of the
 * database, such as the wallet) never share keys.
 */
export function levelHeaderStore(db: LevelDatabase, genesisHash: Uint8Array): HeaderStore {
  return new LevelHeaderStore(db, genesisHash);
}

class LevelHeaderStore implements HeaderStore {
  readonly #db;

  constructor(db: LevelDatabase, genesisHash: Uint8Array) {
    this.#db = db.sublevel<string, Uint8Array>(`weft-light-${toHex(genesisHash)}`, {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
    });
  }

  async genesis(): Promise<Block | undefined> {
    return decodeOptional(await this.#db.get(GENESIS_KEY), decodeBlock);
  }

  async tip(): Promise<ChainTip | undefined> {
    return decodeOptional(await this.#db.get(TIP_KEY), decodeTip);
  }

  async header(n: number): Promise<LightHeader | undefined> {
    return decodeOptional(await this.#db.get(headerKey(n)), decodeLightHeader);
  }

  async putGenesis(block: Block, tip: ChainTip): Promise<void> {
    await this.#db.batch(genesisRecords(block, tip).map(([key, value]) => put(key, value)));
  }

  async append(headers: readonly LightHeader[], tip: ChainTip): Promise<void> {
    if (headers.length === 0) return;
    await this.#db.batch(appendRecords(headers, tip).map(([key, value]) => put(key, value)));
  }

  async clear(): Promise<void> {
    await this.#db.clear();
  }
}

const put = (key: string, value: Uint8Array) => ({ type: 'put' as const, key, value });

/** The records (key, bytes) a genesis write consists of; shared by every store. */
export function genesisRecords(block: Block, tip: ChainTip): [string, Uint8Array][] {
  return [
    [GENESIS_KEY, encodeBlock(block)],
    [headerKey(0), encodeLightHeader(block)],
    [TIP_KEY, encodeTip(tip)],
  ];
}

/** The records an append consists of, the tip last. */
export function appendRecords(
  headers: readonly LightHeader[],
  tip: ChainTip,
): [string, Uint8Array][] {
  const out = headers.map((h): [string, Uint8Array] => [
    headerKey(h.header.number),
    encodeLightHeader(h),
  ]);
  out.push([TIP_KEY, encodeTip(tip)]);
  return out;
}

export function decodeOptional<T>(
  bytes: Uint8Array | undefined,
  decodeFn: (b: Uint8Array) => T,
): T | undefined {
  return bytes === undefined ? undefined : decodeFn(bytes);
}

function encodeTip(tip: ChainTip): Uint8Array {
  return encode({ number: tip.number, hash: tip.hash, timestamp: tip.timestamp });
}

export function decodeTip(bytes: Uint8Array): ChainTip {
  const r = readRecord(decode(bytes, { maxBytes: 128 }), 'tip', ['number', 'hash', 'timestamp']);
  return {
    number: readUint(r.number, 'tip.number'),
    hash: readBytes(r.hash, 'tip.hash', HASH_LENGTH),
    timestamp: readUint(r.timestamp, 'tip.timestamp'),
  };
}
