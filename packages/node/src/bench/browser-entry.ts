import { type Ed25519Backend, nobleEd25519, webCryptoEd25519 } from '@weft/core';
import { type CoreBenchReport, runCoreBench } from '@weft/core/bench';

// The browser side of `pnpm bench:core`: bundled by browser-bench.ts and
// loaded into Chromium, where it defines `weftCoreBench` for the driver to
// call. Browser-only code: no Node built-ins here.

export interface BrowserCoreBenchReport extends CoreBenchReport {
  userAgent: string;
  cores: number;
}

/** What this page puts on (and expects on) globalThis; the driver uses the same names. */
export interface BenchPageGlobals {
  /** Progress lines back to the driver (exposed by it; absent when the page is opened by hand). */
  weftBenchLog?: (line: string) => void;
  /** Runs the core benchmark with every Ed25519 backend this browser has. */
  weftCoreBench: () => Promise<BrowserCoreBenchReport>;
}

/** 'chromium 156.0.7490.2' from a Chrome or HeadlessChrome user agent. */
function runtimeName(userAgent: string): string {
  const version = /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(userAgent)?.[1];
  return version ? `chromium ${version}` : `browser (${userAgent})`;
}

const page = globalThis as unknown as BenchPageGlobals;

page.weftCoreBench = async () => {
  const log = (line: string) => {
    page.weftBenchLog?.(line);
    console.log(line);
  };
  const webcrypto = await webCryptoEd25519();
  if (!webcrypto) log('WebCrypto Ed25519 is not available here; measuring noble only');
  const backends: Ed25519Backend[] = [nobleEd25519, ...(webcrypto ? [webcrypto] : [])];
  const report = await runCoreBench({
    runtime: runtimeName(navigator.userAgent),
    verifyBackends: backends,
    validateBackends: backends,
    // Only builds the block; the fastest backend here keeps that short.
    fixtureBackend: webcrypto ?? nobleEd25519,
    log,
  });
  return { ...report, userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency };
};
