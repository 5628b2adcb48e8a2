import type { Block } from '@weft/core';
import { OrdererError } from './errors.js';
import type { OrdererStore } from './orderer-store.js';

/** Bytes of blocks a deliver stream reads from the store at once: bounded memory whatever the lag. */
const DELIVER_CHUNK_BYTES = 32 * 1024 * 1024;
const MAX_CHUNK_BLOCKS = 64;

export type FeedStatus = 'open' | 'failed' | 'closed';

/**
 * The read side of an orderer: deliver streams over its store that follow
 * the head, and in-process listeners. Streams hold no blocks beyond the
 * chunk they are yielding; a new block only wakes them to read it.
 */
export class BlockFeed {
  readonly #store: OrdererStore;
  readonly #status: () => FeedStatus;
  readonly #chunk: number;
  readonly #wake = new Set<() => void>();
  readonly #reads = new Set<Promise<unknown>>();
  readonly #listeners = new Set<(block: Block) => void>();

  constructor(options: { store: OrdererStore; maxBlockBytes: number; status: () => FeedStatus }) {
    this.#store = options.store;
    this.#status = options.status;
    const fit = Math.floor(DELIVER_CHUNK_BYTES / Math.max(1, options.maxBlockBytes));
    this.#chunk = Math.max(1, Math.min(MAX_CHUNK_BLOCKS, fit));
  }

  /** A block was stored: tell listeners, wake streams. */
  published(block: Block): void {
    for (const listener of this.#listeners) {
      try {
        listener(block);
      } catch {
        // A listener's bug must not stop ordering; listeners report their own errors.
      }
    }
    this.wakeAll();
  }

  /** Wakes waiting streams so they notice a new block, a failure or close. */
  wakeAll(): void {
    for (const wake of [...this.#wake]) wake();
  }

  onBlock(listener: (block: Block) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once no stream is reading the store, so its database may be closed. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#reads]);
  }

  async *deliver(from: number, signal?: AbortSignal): AsyncGenerator<Block> {
    if (!Number.isSafeInteger(from) || from < 0) {
      throw new OrdererError('ORDERER_BAD_REQUEST', `deliver from ${from}: not a block number`);
    }
    let next = from;
    while (!signal?.aborted && this.#status() !== 'closed') {
      if (next < this.#store.height) {
        for (const block of await this.#read(this.#store.getBlocks(next, this.#chunk))) {
          if (signal?.aborted) return;
          yield block;
          next += 1;
        }
      } else if (this.#status() === 'failed') {
        // No block will come after a failure; what was stored has been served.
        return;
      } else {
        await this.#nextBlock(signal);
      }
    }
  }

  async #read<T>(read: Promise<T>): Promise<T> {
    this.#reads.add(read);
    try {
      return await read;
    } finally {
      this.#reads.delete(read);
    }
  }

  #nextBlock(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.#wake.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      this.#wake.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }
}
