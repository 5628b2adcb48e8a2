import type { Ed25519Backend, Signer } from '@weft/core';
import { WalletError } from './errors.js';
import { deriveWalletKey, type KeyBranch, type WalletKey, weftKeyPath } from './keys.js';
import {
  createMnemonic,
  type MnemonicWordCount,
  mnemonicToSeed,
  parseMnemonic,
} from './mnemonic.js';
import { createVault, openVault, sealVault, type VaultKey, type VaultPolicy } from './vault.js';
import type { VaultContents, WalletMetadata } from './vault-contents.js';
import { checkWalletName, type VaultStore } from './vault-store.js';

/** Clock and timers, injectable so tests drive auto-lock without waiting. */
export interface SessionTimers {
  /** Milliseconds, monotonic where the runtime allows. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: SessionTimers = {
  now: () => globalThis.performance.now(),
  setTimeout(fn, ms) {
    const handle = globalThis.setTimeout(fn, ms);
    // Node: an idle wallet must not keep a CLI process alive. Browsers return a number.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;
/** setTimeout's largest delay; Infinity turns auto-lock off. */
const MAX_TIMER_MS = 0x7fffffff;

export type LockReason = 'manual' | 'idle';

export interface WalletSessionOptions {
  store: VaultStore;
  name: string;
  /** Lock after this long without use (default 5 minutes; Infinity: never). */
  idleTimeoutMs?: number;
  timers?: SessionTimers;
  /** PBKDF2 policy; leave unset in production (600,000 iterations). */
  policy?: VaultPolicy;
  backend?: Ed25519Backend;
  onLock?: (reason: LockReason) => void;
}

export interface CreateWalletOptions extends WalletSessionOptions {
  passphrase: string;
  /** Restore from this sentence; a new 24-word one is generated when absent. */
  mnemonic?: string;
  words?: MnemonicWordCount;
  bip39Passphrase?: string;
  accountName?: string;
  labels?: string[];
}

export interface UnlockReport {
  /** The stored vault was below the PBKDF2 policy and was re-encrypted. */
  kdfUpgraded: boolean;
  /** Set when re-encryption worked but storing it failed; the wallet is unlocked anyway. */
  upgradeError?: Error;
}

/** Secrets of an unlocked session; every byte array here is zeroed on lock. */
interface Unlocked {
  contents: VaultContents;
  key: VaultKey;
  seed: Uint8Array;
  secrets: Uint8Array[];
  keys: Map<string, WalletKey>;
}

/**
 * An unlocked (or locked) wallet over a vault store. Locking zeroes the seed and
 * derived secrets and drops every reference to the mnemonic and the AES key;
 * Signers handed out stop working at lock, even after a later unlock. (JavaScript
 * cannot wipe strings or library-internal copies: dropping references is the best
 * a page can do.) Changes are serialised so concurrent calls cannot lose an update.
 */
export class WalletSession {
  readonly name: string;
  private readonly store: VaultStore;
  private readonly timers: SessionTimers;
  private readonly idleMs: number;
  private readonly options: WalletSessionOptions;
  private state: Unlocked | null = null;
  /** Counts lock() calls (manual or idle): an unlock requested before a lock must not finish. */
  private locks = 0;
  private lastActivity = 0;
  private timer: unknown;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: WalletSessionOptions) {
    this.name = checkWalletName(options.name);
    this.store = options.store;
    this.timers = options.timers ?? realTimers;
    this.options = options;
    const idle = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    if (!(idle === Number.POSITIVE_INFINITY || (Number.isSafeInteger(idle) && idle > 0))) {
      throw new RangeError('idleTimeoutMs must be a positive integer or Infinity');
    }
    this.idleMs = idle;
  }

  /** Creates and stores a new vault (generated or restored mnemonic); returns it unlocked. */
  static async create(options: CreateWalletOptions): Promise<WalletSession> {
    const session = new WalletSession(options);
    if ((await session.store.get(session.name)) !== undefined) {
      throw new WalletError('WALLET_EXISTS', `a wallet named "${session.name}" exists`);
    }
    const contents: VaultContents = {
      mnemonic: options.mnemonic ? parseMnemonic(options.mnemonic) : createMnemonic(options.words),
      bip39Passphrase: options.bip39Passphrase ?? '',
      accounts: [{ name: options.accountName ?? 'Main', nextIndex: 0 }],
      labels: options.labels ?? [],
      createdAt: Date.now(),
    };
    const { record, key } = await createVault(contents, options.passphrase, options.policy);
    await session.store.put(session.name, record);
    await session.adopt(contents, key, session.locks);
    return session;
  }

  /** True when locked; notices an overdue idle lock even if its timer was delayed (sleep). */
  get isLocked(): boolean {
    return !this.open();
  }

  /** Opens the stored vault; raises WALLET_NOT_FOUND, WALLET_BAD_PASSPHRASE, WALLET_CORRUPT... */
  unlock(passphrase: string): Promise<UnlockReport> {
    // Taken now, not when the queue reaches it: a lock() right after this call cancels it.
    const locks = this.locks;
    return this.serial(async () => {
      const opened = await this.openStored(passphrase);
      const report: UnlockReport = { kdfUpgraded: false };
      if (opened.upgraded) {
        try {
          await this.store.put(this.name, opened.upgraded);
          report.kdfUpgraded = true;
        } catch (err) {
          report.upgradeError = err as Error;
        }
      }
      await this.adopt(opened.contents, opened.key, locks);
      return report;
    });
  }

  lock(reason: LockReason = 'manual'): void {
    this.locks++;
    if (this.wipe()) this.options.onLock?.(reason);
  }

  /** Records activity: the idle countdown restarts. */
  touch(): void {
    if (!this.open()) return;
    this.lastActivity = this.timers.now();
    this.arm();
  }

  /** A copy of the wallet's metadata (never the mnemonic); changing it changes nothing. */
  metadata(): WalletMetadata {
    const { mnemonic: _m, bip39Passphrase: _p, ...meta } = this.require().contents;
    return structuredClone(meta);
  }

  /** The coin owner key at `index` (receive and change keys). */
  ownerKey(index: number, account = 0): Promise<WalletKey> {
    return this.key('owner', account, index);
  }

  /** The client identity key (for an enrollment certificate). */
  identityKey(index = 0, account = 0): Promise<WalletKey> {
    return this.key('identity', account, index);
  }

  /** Allocates the account's next owner key and stores the new index before returning it. */
  nextOwnerKey(account = 0): Promise<WalletKey> {
    return this.serial(async () => {
      const { contents } = this.require();
      const acct = contents.accounts[account];
      if (!acct) throw new WalletError('WALLET_BAD_PATH', `no account ${account}`);
      const accounts = contents.accounts.map((a, i) =>
        i === account ? { ...a, nextIndex: a.nextIndex + 1 } : a,
      );
      await this.persist({ ...contents, accounts });
      return this.key('owner', account, acct.nextIndex);
    });
  }

  /**
   * Changes labels, accounts or the enrollment. Accounts may be added or renamed
   * but never removed, and no nextIndex may go back: either would hand out a used key.
   */
  updateMetadata(change: (current: WalletMetadata) => WalletMetadata): Promise<WalletMetadata> {
    return this.serial(async () => {
      const { contents } = this.require();
      const next = change(this.metadata());
      const shrinks =
        next.accounts.length < contents.accounts.length ||
        contents.accounts.some((a, i) => (next.accounts[i]?.nextIndex ?? 0) < a.nextIndex);
      if (shrinks) {
        throw new WalletError('WALLET_BAD_METADATA', 'accounts and key indexes only grow');
      }
      await this.persist({
        ...next,
        mnemonic: contents.mnemonic,
        bip39Passphrase: contents.bip39Passphrase,
      });
      return this.metadata();
    });
  }

  /** The mnemonic, for a backup; asks for the passphrase again (checked against the store). */
  revealMnemonic(passphrase: string): Promise<string> {
    return this.serial(async () => {
      this.require();
      return (await this.openStored(passphrase)).contents.mnemonic;
    });
  }

  /** Re-encrypts the vault under a new passphrase (new salt, the policy's iterations). */
  changePassphrase(current: string, next: string): Promise<void> {
    return this.serial(async () => {
      const opened = await this.openStored(current);
      const { record, key } = await createVault(opened.contents, next, this.options.policy);
      await this.store.put(this.name, record);
      // The session's contents are the stored ones (changes are serialised): same plaintext.
      if (this.state) this.state.key = key;
    });
  }

  private async key(branch: KeyBranch, account: number, index: number): Promise<WalletKey> {
    const state = this.require();
    const path = weftKeyPath({ account, branch, index });
    const cached = state.keys.get(path);
    if (cached) return cached;
    const { key, secretKey } = await deriveWalletKey(
      state.seed,
      { account, branch, index },
      this.options.backend,
    );
    if (this.state !== state) {
      secretKey.fill(0);
      throw new WalletError('WALLET_LOCKED', 'the wallet locked while deriving a key');
    }
    state.secrets.push(secretKey);
    const guarded: WalletKey = { ...key, signer: this.guard(key.signer, state) };
    state.keys.set(path, guarded);
    return guarded;
  }

  /** A Signer that works only while this unlock lasts, and counts as activity. */
  private guard(inner: Signer, owner: Unlocked): Signer {
    return {
      publicKey: inner.publicKey,
      sign: async (domain, bytes) => {
        this.require();
        if (this.state !== owner) throw new WalletError('WALLET_LOCKED', 'this key was locked');
        return inner.sign(domain, bytes);
      },
    };
  }

  private async adopt(contents: VaultContents, key: VaultKey, locks: number): Promise<void> {
    const seed = await mnemonicToSeed(contents.mnemonic, contents.bip39Passphrase);
    if (this.locks !== locks) {
      seed.fill(0);
      throw new WalletError('WALLET_LOCKED', 'the wallet was locked while unlocking');
    }
    this.wipe();
    // Activity first: the idle check in touch() must not see the previous unlock's time.
    this.lastActivity = this.timers.now();
    this.state = { contents, key, seed, secrets: [], keys: new Map() };
    this.arm();
  }

  private async persist(contents: VaultContents): Promise<void> {
    const state = this.require();
    const record = await sealVault(contents, state.key);
    await this.store.put(this.name, record);
    state.contents = contents;
  }

  /** The stored vault, opened with `passphrase` (WALLET_NOT_FOUND when there is none). */
  private async openStored(passphrase: string) {
    const record = await this.store.get(this.name);
    if (record === undefined) throw new WalletError('WALLET_NOT_FOUND', `no wallet "${this.name}"`);
    return openVault(record, passphrase, this.options.policy);
  }

  /** Ends the current unlock (if any): zeroes secrets, drops references. */
  private wipe(): boolean {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const state = this.state;
    if (!state) return false;
    this.state = null;
    state.seed.fill(0);
    for (const s of state.secrets) s.fill(0);
    state.secrets.length = 0;
    state.keys.clear();
    return true;
  }

  private expireIfIdle(): void {
    if (this.state && this.timers.now() - this.lastActivity >= this.idleMs) this.lock('idle');
  }

  private open(): boolean {
    this.expireIfIdle();
    return this.state !== null;
  }

  /** The unlocked state, counting the call as activity; WALLET_LOCKED otherwise. */
  private require(): Unlocked {
    if (!this.open()) throw new WalletError('WALLET_LOCKED', `wallet "${this.name}" is locked`);
    this.touch();
    return this.state!;
  }

  private arm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.idleMs > MAX_TIMER_MS) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.expireIfIdle();
      if (this.state) this.arm();
    }, this.idleMs);
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

export interface PersistenceReport {
  /** The runtime has navigator.storage.persist (browsers; not Node). */
  supported: boolean;
  /** Storage is persistent: the browser will not evict the vault under pressure. */
  persisted: boolean;
  error?: string;
}

/**
 * Asks the browser not to evict this origin's storage (the vault). Never throws:
 * Node has no navigator.storage, and browsers may refuse without a user gesture.
 */
export async function requestPersistence(
  nav: unknown = (globalThis as { navigator?: unknown }).navigator,
): Promise<PersistenceReport> {
  const storage = (nav as { storage?: Partial<StorageManager> } | undefined)?.storage;
  if (typeof storage?.persist !== 'function') return { supported: false, persisted: false };
  try {
    if (typeof storage.persisted === 'function' && (await storage.persisted())) {
      return { supported: true, persisted: true };
    }
    return { supported: true, persisted: (await storage.persist()) === true };
  } catch (err) {
    return { supported: true, persisted: false, error: String(err) };
  }
}
