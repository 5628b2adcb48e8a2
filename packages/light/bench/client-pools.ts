import { WeftError } from '@weft/core';
import type { CheckAll } from '../src/auditor/lookahead.js';
import {
  type FromVsccWorker,
  type ToVsccWorker,
  vsccWorkerPool,
} from '../src/auditor/vscc-pool.js';
import {
  type FromHeaderWorker,
  type HeaderVerifier,
  headerWorkerPool,
  type ToHeaderWorker,
} from '../src/chain/header-pool.js';
import type { PoolPort } from '../src/chain/worker-pool.js';
import type { RateReply, ToBenchWorker } from './worker-serve.js';

/**
 * The client's worker pools, isomorphic: the host (node-pool.ts,
 * browser-entry.ts) wraps its workers as handles, and this makes the
 * header pool and the VSCC pool over them, plus the raw rate of the same
 * workers for the limit.
 */

/** One worker as the host sees it; `listen` may be called more than once. */
export interface WorkerHandle {
  post(message: ToBenchWorker, transfer: ArrayBuffer[]): void;
  listen(onMessage: (m: { type: string }) => void, onError: (err: unknown) => void): void;
  terminate(): void;
}

export interface ClientPools {
  verifyHeader?: HeaderVerifier;
  checkAll?: CheckAll;
  /** Raw verifications/s of each non-empty pool, its workers all verifying at once. */
  workerRates(ms: number): Promise<number[]>;
  close(): void;
}

/** Pool requests unanswered this long mark their worker hung (dropped, its work done on the page). */
export const POOL_TIMEOUT_MS = 30_000;

function port<Req extends ToBenchWorker, Rep>(w: WorkerHandle): PoolPort<Req, Rep> {
  return {
    post: (message, transfer) => w.post(message, transfer),
    listen: (onMessage, onError) =>
      w.listen((m) => {
        if (m.type !== 'rate') onMessage(m as Rep);
      }, onError),
    terminate: () => w.terminate(),
  };
}

/** A worker's raw rate on request; one listener for the worker's whole life. */
function rater(w: WorkerHandle): (ms: number) => Promise<number> {
  let waiting: { resolve: (rate: number) => void; reject: (err: unknown) => void } | undefined;
  w.listen(
    (m) => {
      if (m.type === 'rate') waiting?.resolve((m as RateReply).rate);
    },
    (err) => waiting?.reject(err),
  );
  return (ms) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new WeftError('BENCH_WORKER_TIMEOUT', 'a worker did not report its rate')),
        ms + POOL_TIMEOUT_MS,
      );
      const done =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          clearTimeout(timer);
          waiting = undefined;
          f(v);
        };
      waiting = { resolve: done(resolve), reject: done(reject) };
      w.post({ type: 'rate', ms }, []);
    });
}

export function clientPools(o: {
  headerWorkers: readonly WorkerHandle[];
  vsccWorkers: readonly WorkerHandle[];
}): ClientPools {
  const { headerWorkers, vsccWorkers } = o;
  const options = { timeoutMs: POOL_TIMEOUT_MS };
  const rates = [headerWorkers.map(rater), vsccWorkers.map(rater)];
  return {
    verifyHeader: headerWorkers.length
      ? headerWorkerPool(
          headerWorkers.map((w) => port<ToHeaderWorker, FromHeaderWorker>(w)),
          options,
        )
      : undefined,
    checkAll: vsccWorkers.length
      ? vsccWorkerPool(
          vsccWorkers.map((w) => port<ToVsccWorker, FromVsccWorker>(w)),
          options,
        )
      : undefined,
    workerRates: async (ms) => {
      const out: number[] = [];
      for (const pool of rates) {
        if (pool.length === 0) continue;
        const each = await Promise.all(pool.map((rate) => rate(ms)));
        out.push(each.reduce((a, b) => a + b, 0));
      }
      return out;
    },
    close: () => {
      for (const w of [...headerWorkers, ...vsccWorkers]) w.terminate();
    },
  };
}
