import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { WorkerInit } from './protocol.js';

/** What the pool passes to spawnVsccWorker: the worker's init data and its heap limits. */
export interface SpawnInit extends WorkerInit {
  resourceLimits?: ResourceLimits;
}

/**
 * V8 heap limits of a VSCC worker unless the pool is given others (see
 * VsccPoolOptions). Only the young generation is bounded: a chunk's garbage
 * dies young, and V8's default (16 MB semi-spaces on 64-bit) let each
 * worker's heap reach 60 MB while 30-35 MB was live. Measured as
 * vscc-pool/bench.ts does (500-spend block, 2 workers, 2 blocks in flight,
 * 2-vCPU AMD EPYC, workers' and V8 helper threads' CPU per transaction),
 * with 12 MB (4 MB semi-spaces): peak heap 30-37 MB per worker and
 * 312-320 µs/tx against 308-309 µs/tx unbounded, within the run-to-run
 * noise; 8 MB saved little more (26-36 MB), 4 MB cost ~9%. The old generation (loaded channels, certificate caches) is
 * left unbounded: hitting a limit there would kill the worker.
 */
export const DEFAULT_WORKER_LIMITS: Readonly<ResourceLimits> = { maxYoungGenerationSizeMb: 12 };

// The worker is the sibling module of this one, with the same extension:
// worker.ts when running from source under tsx, worker.js once compiled.
const SOURCE_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const WORKER_URL = new URL(`./worker${SOURCE_EXT}`, import.meta.url).href;

/** undefined: not tried yet; null: not available (the tsx bootstrap is used). */
let bundled: URL | null | undefined;

/**
 * From source: worker.ts and all it imports (only node: builtins stay
 * imports) as one ESM module, built once per process with the esbuild tsx
 * runs on, as a data: URL. A worker started from it needs no TypeScript
 * loader, and a loader is what a worker from source costs most: on Node 20
 * registering tsx in a worker starts a module-hooks thread (its own V8
 * isolate) for it. Measured idle, 2 workers: +81 MB RSS through tsx, +32 MB
 * from the bundle. The build (~0.5 s) runs in a short-lived child process,
 * so esbuild's service never lives in this one. Null if esbuild cannot be
 * found or the build fails: the caller falls back to tsx, which then
 * reports any error in the sources as the worker starts.
 */
function workerBundle(): URL | null {
  if (bundled !== undefined) return bundled;
  try {
    const esbuild = createRequire(import.meta.resolve('tsx/esm/api')).resolve('esbuild');
    const options = {
      entryPoints: [fileURLToPath(WORKER_URL)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      write: false,
      logLevel: 'silent',
    };
    const script = `require(${JSON.stringify(esbuild)}).build(${JSON.stringify(options)}).then((r) => process.stdout.write(r.outputFiles[0].contents))`;
    const code = execFileSync(process.execPath, ['-e', script], {
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 2 ** 20,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    bundled =
      code.length > 0 ? new URL(`data:text/javascript;base64,${code.toString('base64')}`) : null;
  } catch {
    bundled = null;
  }
  return bundled;
}

/**
 * Starts one VSCC worker. Compiled, from worker.js; from source, from the
 * bundle above. Without the bundle, the worker needs a TypeScript loader,
 * and `--import tsx` in execArgv is not enough on Node 20: tsx registers its
 * hooks only on the main thread there (it checks isMainThread; Node 22.14+
 * lets it register in workers too). So a two-line bootstrap registers tsx
 * through its API, then imports the worker. Works the same under the test
 * runner and under a plain `node --import tsx script.ts`.
 */
export function spawnVsccWorker(init: SpawnInit): Worker {
  const { resourceLimits, ...workerData } = init;
  if (SOURCE_EXT === '.js') return new Worker(new URL(WORKER_URL), { workerData, resourceLimits });
  const bundle = workerBundle();
  if (bundle) return new Worker(bundle, { workerData, resourceLimits });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}
