import { WeftError } from '@weft/core';

export class ReorderError extends WeftError {}

export interface ReorderBufferOptions {
  /** The number of the first item to release. */
  next: number;
  /** How far past `next` an item may be held; anything further is refused (a peer far ahead is fetched later). */
  window: number;
}

/**
 * Holds numbered items (blocks) that arrive in any order and releases them
 * strictly in sequence. Duplicates and items already released are ignored,
 * so gossip, pull and deliver can all feed the same buffer.
 */
export class ReorderBuffer<T> {
  #next: number;
  readonly #window: number;
  readonly #held = new Map<number, T>();

  constructor(options: ReorderBufferOptions) {
    if (!Number.isSafeInteger(options.next) || options.next < 0) {
      throw new ReorderError('REORDER_BAD_START', `cannot start at ${options.next}`);
    }
    if (!Number.isSafeInteger(options.window) || options.window < 1) {
      throw new ReorderError('REORDER_BAD_WINDOW', `window ${options.window} must be at least 1`);
    }
    this.#next = options.next;
    this.#window = options.window;
  }

  /** The number the buffer releases next. */
  get next(): number {
    return this.#next;
  }

  get size(): number {
    return this.#held.size;
  }

  /**
   * Offers an item. Returns 'held' (kept until its turn), 'stale' (already
   * released), 'duplicate' (an item with that number is held) or 'ahead'
   * (beyond the window; not kept).
   */
  offer(number: number, item: T): 'held' | 'stale' | 'duplicate' | 'ahead' {
    if (number < this.#next) return 'stale';
    if (number >= this.#next + this.#window) return 'ahead';
    if (this.#held.has(number)) return 'duplicate';
    this.#held.set(number, item);
    return 'held';
  }

  /** The held item whose turn it is, if it has arrived; it stays held until advance() or discardNext(). */
  peek(): T | undefined {
    return this.#held.get(this.#next);
  }

  /** The item at `next` was accepted: release it and move on. */
  advance(): void {
    if (!this.#held.delete(this.#next)) {
      throw new ReorderError('REORDER_NOTHING_HELD', `no item ${this.#next} to release`);
    }
    this.#next++;
  }

  /** The item at `next` was bad (failed verification): drop it so another copy can take its place. */
  discardNext(): void {
    this.#held.delete(this.#next);
  }
}
