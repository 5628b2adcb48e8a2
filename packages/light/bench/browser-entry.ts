import { nobleEd25519, WeftError, webCryptoEd25519 } from '@weft/core';
import { clientPools, type WorkerHandle } from './client-pools.js';
import { type LightBenchOptions, type RuntimeReport, runLightBench } from './light-bench.js';

// The Chromium side of `pnpm bench:light`: bundled and served by
// chromium.ts, it defines `weftLightBench` for the driver to call. Browser
// code only: no Node built-ins.

export type BrowserBenchOptions = Omit<LightBenchOptions, 'log' | 'client'> & {
  backend: 'webcrypto' | 'noble';
  /** Header verification workers for the client (0: on the page's thread; default one per core). */
  workers?: number;
  /** VSCC workers for the auditor (0: VSCC on the page's thread; default one per core). */
  vsccWorkers?: number;
};

export interface BrowserRuntimeReport extends RuntimeReport {
  cores: number;
  userAgent: string;
}

/** What this page puts on (and expects on) globalThis; the driver uses the same names. */
export interface LightBenchPageGlobals {
  /** Progress lines back to the driver (exposed by it). */
  weftBenchLog?: (line: string) => void;
  weftLightBench: (options: BrowserBenchOptions) => Promise<BrowserRuntimeReport>;
}

const page = globalThis as unknown as LightBenchPageGlobals;

page.weftLightBench = async (options) => {
  const log = (line: string) => page.weftBenchLog?.(line);
  // The backend a browser light client picks: WebCrypto where the browser has Ed25519.
  const backend = options.backend === 'noble' ? nobleEd25519 : await webCryptoEd25519();
  if (!backend) throw new WeftError('BENCH_NO_BACKEND', 'this browser has no WebCrypto Ed25519');
  const version = /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(navigator.userAgent)?.[1];
  // Separate workers per pool, so each port carries one protocol.
  const start = (): WorkerHandle => {
    const w = new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module' });
    return {
      post: (message, transfer) => w.postMessage(message, transfer),
      listen: (onMessage, onError) => {
        w.addEventListener('message', (e) => onMessage(e.data));
        w.addEventListener('error', (e) => onError(e));
      },
      terminate: () => w.terminate(),
    };
  };
  // Chromium's WebCrypto verifies on the calling thread: a worker per core is what spreads it.
  // The workers verify with WebCrypto: with noble chosen, everything stays on the page.
  const cores = backend.name === 'webcrypto' ? navigator.hardwareConcurrency || 2 : 0;
  const headerWorkers = cores && (options.workers ?? cores);
  const vsccWorkers = cores && (options.vsccWorkers ?? cores);
  const pools = clientPools({
    headerWorkers: Array.from({ length: headerWorkers }, start),
    vsccWorkers: Array.from({ length: vsccWorkers }, start),
  });
  try {
    const report = await runLightBench(`chromium ${version ?? '?'}`, backend, {
      ...options,
      client: { ...pools, workers: headerWorkers, vsccWorkers },
      log,
    });
    return { ...report, cores: navigator.hardwareConcurrency, userAgent: navigator.userAgent };
  } finally {
    pools.close();
  }
};
