import {
  balancesOf,
  EMPTY_JOURNAL,
  FabcoinWallet,
  type SpendOrder,
  type SpendResult,
  type VaultPolicy,
  type VaultStore,
  WalletSession,
} from '@weft/light';
import type { ConnectionManager } from '../network/connection.js';
import type { LightClient } from '../network/light-client.js';
import { Observable } from '../state/observable.js';
import { describeError } from '../ui/errors.js';
import { askFaucet } from './faucet-client.js';
import { EMPTY_STATE, type OpenWallet, type WalletState } from './wallet-state.js';

export interface WalletServiceOptions {
  connection: ConnectionManager;
  openStore: () => Promise<VaultStore>;
  /** Auto-lock after this long without activity (default 5 minutes). */
  idleTimeoutMs?: number;
  /** PBKDF2 policy (tests lower it; production keeps the library's 600,000). */
  policy?: VaultPolicy;
}

/**
 * The wallet of the page: the vault store (IndexedDB), the unlocked
 * WalletSession (auto-locking), and a FabcoinWallet over the connected
 * network's verifier. Views read `state` and call the methods; every
 * figure in the state comes from the light client's verified answers.
 */
export class WalletService {
  readonly state = new Observable<WalletState>(EMPTY_STATE);
  readonly #o: WalletServiceOptions;
  #store: VaultStore | undefined;
  #session: WalletSession | undefined;
  #wallet: FabcoinWallet | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(options: WalletServiceOptions) {
    this.#o = options;
    options.connection.state.subscribe(() => {
      this.#wallet = undefined;
    });
  }

  async init(): Promise<void> {
    try {
      this.#store = await this.#o.openStore();
      const names = await this.#storedNames();
      this.state.update((s) => ({ ...s, names }));
    } catch (err) {
      this.state.update((s) => ({ ...s, storeError: describeError(err) }));
    }
  }

  get session(): WalletSession | undefined {
    return this.#session;
  }

  /** Creates (or restores) a wallet from `mnemonic` and opens it. */
  async create(name: string, passphrase: string, mnemonic: string): Promise<void> {
    const session = await WalletSession.create({
      ...this.#sessionOptions(name),
      passphrase,
      mnemonic,
    });
    // Listed before it is shown open: one state change, so no view (or
    // test) ever sees an open wallet that the list of wallets lacks.
    const names = await this.#storedNames();
    this.#adopt(session, { names });
  }

  async unlock(name: string, passphrase: string): Promise<void> {
    const session = new WalletSession(this.#sessionOptions(name));
    await session.unlock(passphrase);
    this.#adopt(session);
  }

  lock(): void {
    this.#session?.lock('manual');
  }

  /** Counts as activity for auto-lock (the views call it on input). */
  touch(): void {
    this.#session?.touch();
  }

  /** The Fabcoin wallet over the connected network; undefined when locked or offline. */
  wallet(): FabcoinWallet | undefined {
    const session = this.#session;
    const client = this.#o.connection.client;
    if (!session || session.isLocked || !client) return undefined;
    if (this.#wallet?.verifier !== client.verifier || this.#wallet.session !== session) {
      this.#wallet = new FabcoinWallet({ session, verifier: client.verifier });
    }
    return this.#wallet;
  }

  get client(): LightClient | undefined {
    return this.#o.connection.client;
  }

  /** Balances, coins and history from verified answers; one refresh at a time. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** A fresh owner key to be paid on (the previous one stays valid). */
  async newReceiveKey(): Promise<void> {
    const wallet = this.#require();
    const receive = await wallet.receive();
    this.#patch({ receive });
  }

  /** The owner key to offer, unless one is offered already: FabcoinWallet.currentReceive(). */
  async ensureReceiveKey(): Promise<void> {
    const wallet = this.#require();
    if (this.state.value.open?.receive) return;
    this.#patch({ receive: await wallet.currentReceive() });
  }

  /** Asks the dev network's faucet (weft up) for test coins on the receive key. */
  async requestFaucet(amount: bigint): Promise<{ txid: string; block: number }> {
    const faucet = this.client?.config.faucet;
    if (!faucet) throw new Error('This network has no faucet.');
    await this.ensureReceiveKey();
    const owner = this.state.value.open!.receive!.ownerKey;
    const minted = await askFaucet(
      new URL(faucet.replace(/^\//, ''), document.baseURI),
      owner,
      amount,
    );
    this.client?.poke();
    void this.refresh();
    return minted;
  }

  async enroll(org: string, id: string, secret: string): Promise<void> {
    const wallet = this.#require();
    const client = this.client!;
    const ca = client.config.cas[org] ?? client.config.nodes[0]!;
    await wallet.enroll({ transport: client.transport.enrollTransport(ca), org, id, secret });
    this.#patch({ enrollment: this.#enrollment() });
  }

  /** Signs, submits and follows a payment to a verified verdict (or the follow timeout). */
  async send(order: SpendOrder, signal?: AbortSignal): Promise<SpendResult> {
    const wallet = this.#require();
    try {
      const result = await wallet.spend(order, { signal });
      this.client?.poke();
      return result;
    } finally {
      // The journal holds the spend (pending or settled) whatever happened.
      if (!wallet.session.isLocked) this.#patch({ journal: wallet.history() }, wallet.session.name);
      void this.refresh();
    }
  }

  async #refresh(): Promise<void> {
    const wallet = this.wallet();
    if (!wallet) return;
    const name = wallet.session.name;
    this.#patch({ refreshing: true }, name);
    try {
      const height = await this.client!.syncNow();
      // One scan: the balances are computed as FabcoinWallet.balance() computes them.
      const { coins, complete } = await wallet.coins();
      const journal = wallet.history();
      const labels = wallet.session.metadata().labels;
      this.#patch(
        {
          balances: balancesOf({ coins, pending: journal.pending, labels }),
          coins,
          complete,
          journal,
          refreshing: false,
          refreshedHeight: height,
          error: undefined,
        },
        name,
      );
    } catch (err) {
      this.#patch({ refreshing: false, error: describeError(err) }, name);
    }
  }

  #adopt(session: WalletSession, also: Partial<WalletState> = {}): void {
    this.#session?.lock('manual');
    this.#session = session;
    this.#wallet = undefined;
    const meta = session.metadata();
    const open: OpenWallet = {
      name: session.name,
      journal: meta.journal ?? EMPTY_JOURNAL,
      refreshing: false,
      enrollment: this.#enrollment(),
    };
    this.state.update((s) => ({ ...s, ...also, open, lockedBecause: undefined }));
  }

  #enrollment(): OpenWallet['enrollment'] {
    const cert = this.#session?.metadata().enrollment?.certificate;
    return cert ? { org: cert.org, role: cert.role, notAfter: cert.notAfter } : undefined;
  }

  #sessionOptions(name: string) {
    if (!this.#store) throw new Error('the wallet store is not open');
    return {
      store: this.#store,
      name,
      idleTimeoutMs: this.#o.idleTimeoutMs,
      policy: this.#o.policy,
      onLock: (reason: 'manual' | 'idle') => {
        this.#wallet = undefined;
        this.state.update(({ open: _open, ...s }) => ({ ...s, lockedBecause: reason }));
      },
    };
  }

  #require(): FabcoinWallet {
    const wallet = this.wallet();
    if (!wallet) throw describeLocked(this.#session === undefined || this.#session.isLocked);
    return wallet;
  }

  /** Changes the open wallet's view (only if it is still `name`'s, when given). */
  #patch(change: Partial<OpenWallet>, name?: string): void {
    this.state.update((s) =>
      s.open && (name === undefined || s.open.name === name)
        ? { ...s, open: { ...s.open, ...change } }
        : s,
    );
  }

  async #storedNames(): Promise<string[]> {
    return (await this.#store?.names()) ?? [];
  }
}

function describeLocked(locked: boolean): Error {
  const err = new Error(locked ? 'The wallet is locked.' : 'Not connected to a network.');
  (err as Error & { code: string }).code = locked ? 'WALLET_LOCKED' : 'UI_OFFLINE';
  return err;
}
