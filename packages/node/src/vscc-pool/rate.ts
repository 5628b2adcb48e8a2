import { VsccPoolError } from './errors.js';
import type { FromWorker } from './protocol.js';
import type { Slot } from './workers.js';

interface Waiter {
  slot: Slot<unknown>;
  resolve: (perSec: number) => void;
  reject: (err: Error) => void;
}

/**
 * Raw signature capacity: each chosen worker verifies one native Ed25519
 * signature in a loop (worker.ts, verifyRate) and reports its count; the
 * rates add up. Kept apart from chunk bookkeeping: its replies carry ids
 * that are never tasks.
 */
export class RateMeter {
  readonly #waiters = new Map<number, Waiter>();

  measure(slots: readonly Slot<unknown>[], ms: number, nextId: () => number): Promise<number> {
    const rates = slots.map(
      (slot) =>
        new Promise<number>((resolve, reject) => {
          const id = nextId();
          this.#waiters.set(id, { slot, resolve, reject });
          slot.worker.postMessage({ type: 'rate', id, ms });
        }),
    );
    return Promise.all(rates).then((r) => r.reduce((a, b) => a + b, 0));
  }

  /** Takes a worker reply if it answers a measurement. */
  take(msg: Exclude<FromWorker, { type: 'ready' }>): boolean {
    const waiter = this.#waiters.get(msg.id);
    if (!waiter) return false;
    this.#waiters.delete(msg.id);
    if (msg.type === 'rate') waiter.resolve((msg.count * 1000) / msg.ms);
    else {
      const text = msg.type === 'failed' ? msg.message : 'unexpected reply';
      waiter.reject(new VsccPoolError('VSCC_POOL_TASK_FAILED', `verify-rate failed: ${text}`));
    }
    return true;
  }

  lost(slot: Slot<unknown>, cause: unknown): void {
    for (const [id, waiter] of this.#waiters) {
      if (waiter.slot !== slot) continue;
      this.#waiters.delete(id);
      const msg = `worker died while measuring: ${String(cause)}`;
      waiter.reject(new VsccPoolError('VSCC_POOL_WORKER_CRASHED', msg, { cause }));
    }
  }

  failAll(error: Error): void {
    for (const waiter of this.#waiters.values()) waiter.reject(error);
    this.#waiters.clear();
  }
}
