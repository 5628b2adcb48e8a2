import { Worker } from 'node:worker_threads';
import type { WorkerInit } from './protocol.js';

// The worker is the sibling module of this one, with the same extension:
// worker.ts when running from source under tsx, worker.js once compiled.
const SOURCE_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const WORKER_URL = new URL(`./worker${SOURCE_EXT}`, import.meta.url).href;

/**
 * Starts one VSCC worker. From source, the worker needs a TypeScript loader,
 * and `--import tsx` in execArgv is not enough on Node 20: tsx registers its
 * hooks only on the main thread there (it checks isMainThread; Node 22.14+
 * lets it register in workers too). So a two-line bootstrap registers tsx
 * through its API, then imports the worker. Works the same under the test
 * runner and under a plain `node --import tsx script.ts`.
 */
export function spawnVsccWorker(init: WorkerInit): Worker {
  if (SOURCE_EXT === '.js') return new Worker(new URL(WORKER_URL), { workerData: init });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init });
}
