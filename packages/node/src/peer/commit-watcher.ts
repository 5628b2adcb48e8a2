import { toHex } from '@weft/core';
import type { ChannelLedger } from '../ledger/index.js';

interface Waiter {
  txid: Uint8Array;
  resolve: (found: boolean) => void;
  timer: NodeJS.Timeout;
}

/**
 * Lets callers wait for a transaction to be committed by this peer. After
 * each committed block it asks the ledger, in one read, which of the
 * awaited txids it now holds: cheaper than parsing every envelope of
 * every block for its txid when only a few are awaited.
 */
export class CommitWatcher {
  readonly #ledger: ChannelLedger;
  readonly #waiters = new Map<string, Waiter[]>();
  #checking = false;
  #again = false;

  constructor(ledger: ChannelLedger) {
    this.#ledger = ledger;
  }

  /** Resolves true once `txid` is committed, false after `timeoutMs`. */
  async waitFor(txid: Uint8Array, timeoutMs: number): Promise<boolean> {
    if ((await this.#ledger.hasTxids([txid]))[0]) return true;
    const key = toHex(txid);
    const found = new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        txid,
        resolve,
        timer: setTimeout(() => this.#settle(key, waiter, false), timeoutMs),
      };
      const list = this.#waiters.get(key) ?? [];
      list.push(waiter);
      this.#waiters.set(key, list);
    });
    // It may have committed between the check above and registering.
    this.blockCommitted();
    return found;
  }

  /** Call after every committed block. */
  blockCommitted(): void {
    if (this.#checking) {
      this.#again = true;
      return;
    }
    if (this.#waiters.size === 0) return;
    this.#checking = true;
    void this.#check().finally(() => {
      this.#checking = false;
      if (this.#again) {
        this.#again = false;
        this.blockCommitted();
      }
    });
  }

  /** Releases every waiter with false (shutdown). */
  close(): void {
    for (const [key, list] of this.#waiters) for (const w of [...list]) this.#settle(key, w, false);
  }

  async #check(): Promise<void> {
    const keys = [...this.#waiters.keys()];
    const txids = keys.map((k) => this.#waiters.get(k)![0]!.txid);
    let found: boolean[];
    try {
      found = await this.#ledger.hasTxids(txids);
    } catch {
      return; // the ledger is closing or corrupt; waiters time out
    }
    keys.forEach((key, i) => {
      if (!found[i]) return;
      for (const w of [...(this.#waiters.get(key) ?? [])]) this.#settle(key, w, true);
    });
  }

  #settle(key: string, waiter: Waiter, found: boolean): void {
    clearTimeout(waiter.timer);
    const list = this.#waiters.get(key);
    if (list) {
      const rest = list.filter((w) => w !== waiter);
      if (rest.length) this.#waiters.set(key, rest);
      else this.#waiters.delete(key);
    }
    waiter.resolve(found);
  }
}
