import type { AbstractLevel, AbstractSublevel } from 'abstract-level';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { WalletError } from './errors.js';

/**
 * Where encrypted vault records live, by wallet name. The store sees only
 * ciphertext records; reading one back is treated as reading hostile bytes
 * (vault.ts decodes them strictly). One interface, many backends: IndexedDB in
 * browsers, any abstract-level database elsewhere (classic-level for the CLI,
 * memory-level in tests, browser-level if wanted).
 */
export interface VaultStore {
  /** The stored record, or undefined when there is none. */
  get(name: string): Promise<Uint8Array | undefined>;
  put(name: string, record: Uint8Array): Promise<void>;
  delete(name: string): Promise<void>;
  /** Stored wallet names, sorted (at most MAX_WALLETS). */
  names(): Promise<string[]>;
  close(): Promise<void>;
}

export const MAX_WALLET_NAME = 64;
/** Bound on listings: a store shared with hostile code cannot make a listing unbounded. */
export const MAX_WALLETS = 256;

/** Names are shown to the holder and used as keys: 1-64 printable characters. */
export function checkWalletName(name: string): string {
  if (
    typeof name !== 'string' ||
    name.length === 0 ||
    name.length > MAX_WALLET_NAME ||
    /\p{Cc}|\p{Cs}/u.test(name) ||
    name.trim() !== name
  ) {
    throw new WalletError(
      'WALLET_BAD_NAME',
      `a wallet name has 1-${MAX_WALLET_NAME} printable characters without edge spaces`,
    );
  }
  return name;
}

async function guard<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof WalletError) throw err;
    throw new WalletError('WALLET_STORE_FAILED', `vault store: ${what} failed`, { cause: err });
  }
}

function asRecord(value: unknown, name: string): Uint8Array | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) return value;
  throw new WalletError('WALLET_CORRUPT', `the stored vault "${name}" is not bytes`);
}

interface VaultDb extends DBSchema {
  vaults: { key: string; value: Uint8Array };
}

export interface IndexedDbStoreOptions {
  /** Database name; one database holds every wallet of the origin. */
  dbName?: string;
}

export const DEFAULT_IDB_NAME = 'weft-wallet';
const IDB_STORE = 'vaults';

/** IndexedDB through `idb` (browsers). Values are Uint8Array, kept as such by structured clone. */
export async function openIndexedDbVaultStore(
  options: IndexedDbStoreOptions = {},
): Promise<VaultStore> {
  const db: IDBPDatabase<VaultDb> = await guard('open', () =>
    openDB<VaultDb>(options.dbName ?? DEFAULT_IDB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore(IDB_STORE);
      },
      // Another tab wants a newer schema: let it, rather than block it forever.
      blocking() {
        db.close();
      },
    }),
  );
  return {
    get: (name) =>
      guard('get', async () => asRecord(await db.get(IDB_STORE, checkWalletName(name)), name)),
    put: (name, record) =>
      guard('put', async () => {
        // A copy: structured clone of a view would store its whole backing buffer.
        await db.put(IDB_STORE, record.slice(), checkWalletName(name));
      }),
    delete: (name) => guard('delete', () => db.delete(IDB_STORE, checkWalletName(name))),
    names: () =>
      guard('list', async () => (await db.getAllKeys(IDB_STORE, null, MAX_WALLETS)).sort()),
    close: async () => db.close(),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: any abstract-level database, whatever its encodings
export type AnyLevel = AbstractLevel<any, any, any>;

export interface LevelStoreOptions {
  /** Sublevel holding the records, so the wallet can share a database with other data. */
  sublevel?: string;
}

/** Any abstract-level database (classic-level, memory-level, browser-level). */
export function levelVaultStore(db: AnyLevel, options: LevelStoreOptions = {}): VaultStore {
  const vaults: AbstractSublevel<AnyLevel, unknown, string, Uint8Array> = db.sublevel<
    string,
    Uint8Array
  >(options.sublevel ?? 'weft-wallet-vaults', { keyEncoding: 'utf8', valueEncoding: 'view' });
  return {
    get: (name) =>
      guard('get', async () => asRecord(await vaults.get(checkWalletName(name)), name)),
    put: (name, record) => guard('put', () => vaults.put(checkWalletName(name), record)),
    delete: (name) => guard('delete', () => vaults.del(checkWalletName(name))),
    names: () => guard('list', () => vaults.keys({ limit: MAX_WALLETS }).all()),
    // The caller opened the database and owns it; closing it is theirs to do.
    close: async () => {},
  };
}
