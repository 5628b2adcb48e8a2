// What the end-to-end page (page.ts, bundled for Chromium) puts on
// globalThis, and what the Node driver calls through page.evaluate. Only
// JSON-shaped values cross: bytes as lowercase hex, bigints as decimal
// strings. To add a step, add a method here, implement it in page.ts (or
// page-wallet.ts) and call it from the test with `page.call('name', ...)`.
// A method that throws in the page rejects `page.call` with a PageError
// carrying the error's code and class (browser.ts).
import type { AuditReport } from '@weft/core';

export interface OpenOptions {
  channel: string;
  /** The trust anchor, hex. */
  genesisHash: string;
  /** Full nodes' WebSocket multiaddrs, each ending in /p2p/<PeerId>. */
  nodes: string[];
  /** The IndexedDB database holding the verified headers. */
  dbName: string;
}

export interface OpenResult {
  /** Verified headers found in IndexedDB, before any request (0 on a first visit). */
  storedHeight: number;
}

export interface SyncResult {
  tip: number;
  height: number;
  /** The progress phases seen, in order, without repeats ('genesis' only when block 0 was fetched). */
  phases: string[];
}

export interface TxView {
  status: string;
  block?: number;
  index?: number;
  code?: string;
  /** Orgs of the peers whose attestations decided a valid/invalid verdict. */
  attesterOrgs?: string[];
  reason?: string;
  message?: string;
  /** The served inclusion proof the verdict was checked against. */
  treeSize?: number;
  proofLength?: number;
}

export interface CoinView {
  key: string;
  amount: string;
  label: string;
  status: string;
  block?: number;
}

export interface CoinsView {
  coins: CoinView[];
  balances: Record<string, string>;
  complete: boolean;
}

export interface AuditView {
  report: AuditReport;
  /** Progress events received (one per replayed block). */
  progressEvents: number;
}

/** Where a wallet's encrypted vault lives: an IndexedDB database and a name in it. */
export interface VaultRef {
  vaultDb: string;
  name: string;
}

export interface WalletCreateOptions extends VaultRef {
  passphrase: string;
  /** Restore from this sentence; a new 24-word one is generated when absent. */
  mnemonic?: string;
  labels?: string[];
}

/** What the page got from navigator.storage.persist() (light's requestPersistence). */
export interface PersistenceView {
  supported: boolean;
  persisted: boolean;
  error?: string;
}

export interface WalletCreated {
  /** The recovery sentence, shown once (revealed by asking for the passphrase again). */
  mnemonic: string;
  persistence: PersistenceView;
  /** Wallet names in the IndexedDB store afterwards. */
  stored: string[];
  /** The stored record, read back from IndexedDB. */
  vault: { bytes: number; kdf: string; iterations: number; containsMnemonic: boolean };
}

export interface WalletUnlocked {
  kdfUpgraded: boolean;
  persistence: PersistenceView;
  /** The org of the enrollment certificate kept in the vault. */
  enrolledOrg?: string;
}

export interface CertificateView {
  org: string;
  role: string;
  /** Hex. */
  publicKey: string;
}

export interface ReceiveView {
  index: number;
  ownerKey: string;
  certificate?: CertificateView;
}

export interface WalletCoinView extends CoinView {
  locked: boolean;
  ownerIndex: number;
}

export interface LabelBalanceView {
  spendable: string;
  locked: string;
  pending: string;
  unverifiable: string;
}

export interface BalanceView {
  labels: Record<string, LabelBalanceView>;
  complete: boolean;
}

export interface SpendView {
  txid: string;
  /** The verifier's status, never a gateway's claim. */
  status: string;
  verdict: TxView;
  inputs: string[];
  change: string;
  followError?: string;
}

export interface HistoryView {
  pending: number;
  history: { txid: string; outcome: string; amount: string; label: string; block?: number }[];
}

/** The Fabcoin wallet steps: vaults in IndexedDB, the page's verifier and transport. */
export interface WalletPageApi {
  /** Creates a vault (production PBKDF2 policy), unlocked; asks for persistent storage. */
  walletCreate(o: WalletCreateOptions): Promise<WalletCreated>;
  /** Unlocks a stored vault with the passphrase; asks for persistent storage. */
  walletUnlock(o: VaultRef & { passphrase: string }): Promise<WalletUnlocked>;
  /** Wallet names stored in an IndexedDB vault database. */
  walletNames(vaultDb: string): Promise<string[]>;
  /** Enrolls with a one-time secret at `ca` (a node of `org` running its CA). */
  walletEnroll(
    name: string,
    o: { ca: string; org: string; id: string; secret: string },
  ): Promise<CertificateView>;
  walletReceive(name: string): Promise<ReceiveView>;
  walletCoins(name: string): Promise<{ coins: WalletCoinView[]; complete: boolean }>;
  walletBalance(name: string): Promise<BalanceView>;
  /** Pays `amount` (decimal) of `label` to the owner key `to` (hex), followed to a verdict. */
  walletSpend(name: string, o: { to: string; label: string; amount: string }): Promise<SpendView>;
  walletHistory(name: string): Promise<HistoryView>;
}

export interface LightPageApi extends WalletPageApi {
  /** Opens the client: verified headers in IndexedDB, a Libp2pTransport over WebSockets. */
  open(o: OpenOptions): Promise<OpenResult>;
  /** Syncs and verifies headers up to the head a node reports. */
  sync(): Promise<SyncResult>;
  /** Follows a transaction (hex txid) to a verified verdict, then re-checks the served proof. */
  verifyTx(txid: string, timeoutMs: number): Promise<TxView>;
  /** An owner's (hex public key) coins, each verified against its transaction. */
  coins(owner: string): Promise<CoinsView>;
  /** The full-chain auditor over the nodes given to open(). */
  audit(): Promise<AuditView>;
  close(): Promise<void>;
}

/** An error thrown in the page, as it crosses to the driver. */
export interface PageErrorView {
  message: string;
  code?: string;
  /** Its class, as the page's instanceof checks found it (bundling renames classes). */
  kind: 'WalletError' | 'EnrollError' | 'TransportError' | 'VerificationError' | 'Error';
  /** A TransportError's node-sent ERROR frame. */
  remote?: boolean;
}

/** What each method of the global actually returns: the page never rejects across. */
export type PageResult<T> = { ok: true; value: T } | { ok: false; error: PageErrorView };

/** The global the page defines. */
export const PAGE_GLOBAL = 'weftE2E';
