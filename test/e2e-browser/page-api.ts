// What the end-to-end page (page.ts, bundled for Chromium) puts on
// globalThis, and what the Node driver calls through page.evaluate. Only
// JSON-shaped values cross: bytes as lowercase hex, bigints as decimal
// strings. To add a step (e.g. the wallet's), add a method here, implement it
// in page.ts and call it from the test with `page.call('name', ...)`.
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

export interface LightPageApi {
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

/** The global the page defines. */
export const PAGE_GLOBAL = 'weftE2E';
