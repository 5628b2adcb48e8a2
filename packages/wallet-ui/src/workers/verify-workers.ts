import { checkAllInline, verifyHeader } from '@weft/core';
import {
  type CheckAll,
  type FromHeaderWorker,
  type FromVsccWorker,
  type HeaderVerifier,
  headerWorkerPool,
  type PoolPort,
  type ToHeaderWorker,
  type ToVsccWorker,
  vsccWorkerPool,
} from '@weft/light';

/** Enough to use a phone's or laptop's cores; more would mostly wait for the page to feed them. */
const MAX_WORKERS = 4;

/**
 * Workers to start: one per core but the page's own (which is busy with
 * the network, decoding and storing throughout), at least one, at most
 * MAX_WORKERS.
 */
export function workerCount(cores = globalThis.navigator?.hardwareConcurrency): number {
  return Math.max(1, Math.min(MAX_WORKERS, (cores || 2) - 1));
}

type Pool = 'headers' | 'vscc';

/** Which pool a worker's reply belongs to (verify-worker.ts answers both). */
const POOL_OF: Record<string, Pool> = {
  'headers-verified': 'headers',
  'headers-failed': 'headers',
  checked: 'vscc',
  failed: 'vscc',
};

interface Listener {
  onMessage(m: unknown): void;
  onError(err: unknown): void;
}

/** One verify worker shared by the header pool and the VSCC pool, one port each. */
class VerifyWorker {
  readonly #worker: Worker;
  readonly #listeners = new Map<Pool, Listener>();
  /** It has said it is ready (its WebCrypto probed), or it is gone. */
  settled = false;
  #dead = false;

  constructor(worker: Worker) {
    this.#worker = worker;
    // Set at once, so the ready message cannot arrive before anyone listens.
    worker.onmessage = (e: MessageEvent<{ type?: string } | undefined>) => {
      const type = e.data?.type ?? '';
      if (type === 'ready') this.settled = true;
      else this.#listeners.get(POOL_OF[type]!)?.onMessage(e.data);
    };
    worker.onerror = (e) => {
      // Handled: the pools drop the worker and verify its work on the page.
      e.preventDefault();
      this.terminate(e);
    };
    worker.onmessageerror = (e) => this.terminate(e);
  }

  port<Req, Rep>(pool: Pool): PoolPort<Req, Rep> {
    return {
      post: (message, transfer) => this.#worker.postMessage(message, transfer),
      listen: (onMessage, onError) => {
        this.#listeners.set(pool, { onMessage: onMessage as (m: unknown) => void, onError });
      },
      terminate: () => this.terminate(new Error(`dropped by the ${pool} pool`)),
    };
  }

  /** Stops the worker; both pools learn it is gone (one may have dropped it: it failed or hung). */
  terminate(reason: unknown = new Error('closed')): void {
    if (this.#dead) return;
    this.#dead = true;
    this.settled = true;
    this.#worker.terminate();
    for (const l of this.#listeners.values()) l.onError(reason);
  }
}

/**
 * The page's verify workers (verify-worker.ts, a module worker Vite bundles
 * on its own): header signatures while the chain syncs, the auditor's
 * stateless VSCC half while it replays, through @weft/light's pools. Until
 * every worker has started (its script loaded, its WebCrypto probed), work
 * is done on the page as it would be without workers, so a short sync never
 * waits for them. Where workers cannot start at all (no Worker, a refused
 * script), there are none and everything is verified on the page; a worker
 * that fails or hangs later is dropped by its pool, which verifies its work
 * on the page.
 */
export class VerifyWorkers {
  readonly #workers: VerifyWorker[];
  /** For HeaderChain's `verifyHeader` option. */
  readonly verifyHeader: HeaderVerifier;
  /** For audit's `checkAll` option. */
  readonly checkAll: CheckAll;

  private constructor(workers: VerifyWorker[]) {
    this.#workers = workers;
    const headers = headerWorkerPool(
      workers.map((w) => w.port<ToHeaderWorker, FromHeaderWorker>('headers')),
    );
    const vscc = vsccWorkerPool(workers.map((w) => w.port<ToVsccWorker, FromVsccWorker>('vscc')));
    const onWorkers = (o: Parameters<HeaderVerifier>[0]) =>
      this.ready ? headers(o) : verifyHeader(o);
    this.verifyHeader = Object.assign(onWorkers, { window: headers.window });
    this.checkAll = (data, ctx) => (this.ready ? vscc(data, ctx) : checkAllInline(data, ctx));
  }

  static start(count = workerCount()): VerifyWorkers {
    const workers: VerifyWorker[] = [];
    if (typeof Worker === 'function') {
      for (let i = 0; i < count; i++) {
        try {
          const worker = new Worker(new URL('./verify-worker.ts', import.meta.url), {
            type: 'module',
            name: `weft-verify-${i}`,
          });
          workers.push(new VerifyWorker(worker));
        } catch {
          break;
        }
      }
    }
    return new VerifyWorkers(workers);
  }

  /** Every worker has started or is gone: from now on the pools get the work. */
  get ready(): boolean {
    return this.#workers.every((w) => w.settled);
  }

  /** Workers started (0: everything is verified on the page). */
  get size(): number {
    return this.#workers.length;
  }

  terminate(): void {
    for (const w of this.#workers) w.terminate();
  }
}
