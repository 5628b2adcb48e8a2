import { Worker } from 'node:worker_threads';
import { WeftError } from '@weft/core';
import { type ClientPools, clientPools, type WorkerHandle } from './client-pools.js';

/** Milliseconds a worker_threads worker may take to come online. */
const START_TIMEOUT_MS = 60_000;

/**
 * The client's worker pools in Node, on worker_threads (pool-worker.node.ts):
 * `headerWorkers` for header verification, `vsccWorkers` for the auditor's
 * VSCC. The light client stays isomorphic and takes them as its
 * verifyHeader and checkAll.
 */
export async function nodeWorkerPools(
  headerWorkers: number,
  vsccWorkers: number,
): Promise<ClientPools> {
  // The workers run TypeScript through tsx, as this process does. `--import tsx` in execArgv
  // is not enough on Node 20 (tsx registers its hooks on the main thread only; the worker
  // then fails to load and a pool would quietly verify on the page): register it through
  // its API first, as @weft/node's VSCC workers do from source.
  const file = new URL('./pool-worker.node.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(file)}); });`;
  const start = () => new Worker(bootstrap, { eval: true });
  const all = Array.from({ length: headerWorkers + vsccWorkers }, start);
  try {
    await Promise.all(
      all.map(
        (w) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new WeftError('BENCH_WORKER_TIMEOUT', 'a worker did not start')),
              START_TIMEOUT_MS,
            );
            w.once('online', () => resolve(clearTimeout(timer)));
            w.once('error', reject);
          }),
      ),
    );
  } catch (err) {
    await Promise.all(all.map((w) => w.terminate()));
    throw err;
  }
  const handle = (w: Worker): WorkerHandle => ({
    post: (message, transfer) => w.postMessage(message, transfer),
    listen: (onMessage, onError) => {
      w.on('message', onMessage);
      w.on('error', onError);
    },
    terminate: () => void w.terminate(),
  });
  return clientPools({
    headerWorkers: all.slice(0, headerWorkers).map(handle),
    vsccWorkers: all.slice(headerWorkers).map(handle),
  });
}
