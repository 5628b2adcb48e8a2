import { type Block, equalBytes } from '@weft/core';
import { OrdererError } from '../errors.js';
import type { BroadcastResult } from '../solo-open.js';

interface Waiter {
  txid: Uint8Array;
  envelope: Uint8Array;
  resolve(result: BroadcastResult): void;
  reject(err: unknown): void;
}

/**
 * Broadcasts a jetstream orderer took and has not answered, by txid (hex):
 * each is answered when a block holding its txid is stored here, whichever
 * orderer's client put that copy in the log.
 */
export class BroadcastWaiters {
  readonly #channel: string;
  readonly #waiters = new Map<string, Waiter>();

  constructor(channel: string) {
    this.#channel = channel;
  }

  has(txid: string): boolean {
    return this.#waiters.has(txid);
  }

  /** Waits for `txid`; the caller has checked it is not waited for already. */
  wait(txid: string, w: Pick<Waiter, 'txid' | 'envelope'>): Promise<BroadcastResult> {
    const done = new Promise<BroadcastResult>((resolve, reject) => {
      this.#waiters.set(txid, { ...w, resolve, reject });
    });
    // The broadcaster awaits it only after publishing; a close meanwhile must
    // not count as an unhandled rejection (the broadcaster still gets it).
    done.catch(() => {});
    return done;
  }

  reject(txid: string, err: unknown): void {
    this.#take(txid)?.reject(err);
  }

  /** Answers the waiters of a stored block's envelopes (`txids` hex, in data order). */
  stored(block: Block, txids: readonly string[]): void {
    const n = block.header.number;
    for (const [index, txid] of txids.entries()) {
      const w = this.#take(txid);
      if (!w) continue;
      // Same txid, other bytes: the creator's other envelope was ordered, not this one.
      if (equalBytes(w.envelope, block.data[index] as Uint8Array)) {
        w.resolve({ txid: w.txid, block: n, index });
      } else w.reject(this.duplicate(txid));
    }
  }

  rejectAll(err: unknown): void {
    for (const txid of [...this.#waiters.keys()]) this.reject(txid, err);
  }

  duplicate(txid: string): OrdererError {
    return new OrdererError('ORDERER_DUPLICATE_TXID', `txid ${txid} was already ordered`, {
      channel: this.#channel,
    });
  }

  #take(txid: string): Waiter | undefined {
    const w = this.#waiters.get(txid);
    this.#waiters.delete(txid);
    return w;
  }
}
