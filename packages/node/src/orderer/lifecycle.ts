import type { FeedStatus } from './block-feed.js';
import { OrdererError } from './errors.js';

/**
 * Whether an orderer still orders a channel, and the typed errors its
 * callers get once it does not: closed by its owner (ORDERER_CLOSED), or
 * stopped by a failure it cannot recover from (ORDERER_FAILED, the failure
 * as cause), after which its stored chain stays as it was. Also bounds the
 * broadcasts in flight (ORDERER_BUSY past `maxPending`).
 */
export class OrdererLifecycle {
  #closed = false;
  #failed = false;
  #failure: unknown;
  #inflight = 0;

  constructor(
    readonly channel: string,
    readonly maxPending: number,
  ) {}

  /** Runs one broadcast if the orderer is open and not too busy, counting it while it runs. */
  async broadcast<T>(run: () => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.#inflight >= this.maxPending) {
      throw new OrdererError(
        'ORDERER_BUSY',
        `${this.#inflight} broadcasts in flight; retry later`,
        {
          channel: this.channel,
        },
      );
    }
    this.#inflight += 1;
    try {
      return await run();
    } finally {
      this.#inflight -= 1;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  get failed(): boolean {
    return this.#failed;
  }

  /** What stopped the orderer, when something did. */
  get failure(): unknown {
    return this.#failure;
  }

  /** For deliver streams: they end on close, and after a failure once the stored blocks are served. */
  get status(): FeedStatus {
    return this.#closed ? 'closed' : this.#failed ? 'failed' : 'open';
  }

  close(): void {
    this.#closed = true;
  }

  /** Records the first failure; false when one was recorded already (nothing to do). */
  fail(err: unknown): boolean {
    if (this.#failed) return false;
    this.#failed = true;
    this.#failure = err;
    return true;
  }

  failedError(): OrdererError {
    const cause = this.#failure as { message?: unknown } | undefined;
    const why = typeof cause?.message === 'string' ? cause.message : 'a block was not stored';
    return new OrdererError('ORDERER_FAILED', `orderer of ${this.channel} stopped: ${why}`, {
      channel: this.channel,
      cause: this.#failure,
    });
  }

  closedError(what = 'is closed'): OrdererError {
    return new OrdererError('ORDERER_CLOSED', `orderer of ${this.channel} ${what}`, {
      channel: this.channel,
    });
  }

  /** Throws ORDERER_CLOSED or ORDERER_FAILED unless the orderer is open. */
  assertOpen(): void {
    if (this.#closed) throw this.closedError();
    if (this.#failed) throw this.failedError();
  }
}
