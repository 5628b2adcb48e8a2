import { toHex } from '../bytes.js';
import type { Version } from '../tx/rwset.js';

export interface VersionedValue {
  value: Uint8Array;
  version: Version;
}

/**
 * The committed world state a block is validated against, as seen before
 * the block. Peers back it with their ledger, the auditor with memory.
 */
export interface StateView {
  get(key: string): Promise<VersionedValue | undefined>;
  /** One answer per key, in order: validation reads a whole block's keys in one call. */
  getMany(keys: readonly string[]): Promise<(VersionedValue | undefined)[]>;
  /** Whether a transaction with this id is already in the ledger. */
  hasTxid(txid: Uint8Array): Promise<boolean>;
  /** One answer per txid, in order. */
  hasTxids(txids: readonly Uint8Array[]): Promise<boolean[]>;
}

/** A state write produced by validation, tagged with the version it creates. */
export interface StateWrite {
  key: string;
  value: Uint8Array | null;
  version: Version;
}

/** An in-memory StateView: tests, the browser auditor, replay. */
export class MemoryState implements StateView {
  readonly values = new Map<string, VersionedValue>();
  readonly txids = new Set<string>();

  async get(key: string): Promise<VersionedValue | undefined> {
    return this.values.get(key);
  }

  async getMany(keys: readonly string[]): Promise<(VersionedValue | undefined)[]> {
    return keys.map((key) => this.values.get(key));
  }

  async hasTxid(txid: Uint8Array): Promise<boolean> {
    return this.txids.has(toHex(txid));
  }

  async hasTxids(txids: readonly Uint8Array[]): Promise<boolean[]> {
    return txids.map((txid) => this.txids.has(toHex(txid)));
  }

  /** Applies a validated block: its writes and the ids of its recorded transactions. */
  apply(result: {
    writes: readonly StateWrite[];
    txids: readonly (Uint8Array | undefined)[];
  }): void {
    for (const w of result.writes) {
      if (w.value === null) this.values.delete(w.key);
      else this.values.set(w.key, { value: w.value, version: w.version });
    }
    for (const t of result.txids) if (t) this.txids.add(toHex(t));
  }
}
