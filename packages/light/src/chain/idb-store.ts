import {
  type Block,
  type ChainTip,
  decodeBlock,
  decodeLightHeader,
  type LightHeader,
  toHex,
} from '@weft/core';
import { type IDBPDatabase, openDB } from 'idb';
import { StoreError } from '../errors.js';
import {
  appendRecords,
  decodeOptional,
  decodeTip,
  GENESIS_KEY,
  genesisRecords,
  type HeaderStore,
  headerKey,
  TIP_KEY,
} from './store.js';

const RECORDS = 'records';

export interface IndexedDbHeaderStoreOptions {
  genesisHash: Uint8Array;
  /** The IndexedDB database (default 'weft-light-headers'); chains share it by key prefix. */
  dbName?: string;
}

export interface ClosableHeaderStore extends HeaderStore {
  close(): Promise<void>;
}

/**
 * A chain's headers in IndexedDB through `idb` (plain ESM, nothing to
 * bundle), for browsers: the same records as levelHeaderStore, keyed
 * `<genesis hex>/<key>` in one object store, each batch one readwrite
 * transaction, so a reload finds the headers and the tip together or not
 * at all. (browser-level works too, through levelHeaderStore, where a
 * bundler turns its CommonJS into ESM.)
 */
export async function openIndexedDbHeaderStore(
  options: IndexedDbHeaderStoreOptions,
): Promise<ClosableHeaderStore> {
  const db = await openDB(options.dbName ?? 'weft-light-headers', 1, {
    upgrade(d) {
      d.createObjectStore(RECORDS);
    },
  });
  return new IdbHeaderStore(db, `${toHex(options.genesisHash)}/`);
}

class IdbHeaderStore implements ClosableHeaderStore {
  constructor(
    readonly db: IDBPDatabase,
    readonly prefix: string,
  ) {}

  async genesis(): Promise<Block | undefined> {
    return decodeOptional(await this.#get(GENESIS_KEY), decodeBlock);
  }

  async tip(): Promise<ChainTip | undefined> {
    return decodeOptional(await this.#get(TIP_KEY), decodeTip);
  }

  async header(n: number): Promise<LightHeader | undefined> {
    return decodeOptional(await this.#get(headerKey(n)), decodeLightHeader);
  }

  putGenesis(block: Block, tip: ChainTip): Promise<void> {
    return this.#write(genesisRecords(block, tip));
  }

  async append(headers: readonly LightHeader[], tip: ChainTip): Promise<void> {
    if (headers.length > 0) await this.#write(appendRecords(headers, tip));
  }

  async clear(): Promise<void> {
    // Every key of this chain: the prefix up to the highest code unit after it.
    await this.db.delete(RECORDS, IDBKeyRange.bound(this.prefix, `${this.prefix}\uffff`));
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async #get(key: string): Promise<Uint8Array | undefined> {
    const value: unknown = await this.db.get(RECORDS, this.prefix + key);
    if (value === undefined) return undefined;
    // Structured clone keeps Uint8Array; anything else is not ours.
    if (!(value instanceof Uint8Array))
      throw new StoreError('LIGHT_STORE_CORRUPT', `record ${key} is not bytes`);
    return value;
  }

  async #write(records: [string, Uint8Array][]): Promise<void> {
    const tx = this.db.transaction(RECORDS, 'readwrite');
    await Promise.all([
      ...records.map(([key, value]) => tx.store.put(value, this.prefix + key)),
      tx.done,
    ]);
  }
}
