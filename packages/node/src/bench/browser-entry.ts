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

/** The subset of User-Agent Client Hints used here (not yet in TypeScript's DOM lib). */
interface UserAgentData {
  getHighEntropyValues(hints: string[]): Promise<{
    fullVersionList?: { brand: string; version: string }[];
  }>;
}

/**
 * 'chromium 156.0.7490.2'. The user agent string is reduced to
 * 'Chrome/156.0.0.0', so the full version comes from the client hints where
 * they are available (secure contexts), else from the user agent.
 */
async function runtimeName(): Promise<string> {
  const { userAgent } = navigator;
  const major = /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(userAgent)?.[1];
  const uaData = (navigator as { userAgentData?: UserAgentData }).userAgentData;
  try {
    const { fullVersionList = [] } =
      (await uaData?.getHighEntropyValues(['fullVersionList'])) ?? {};
    const brand = fullVersionList.find((b) =>
      /^(Chromium|HeadlessChrome|Google Chrome)$/.test(b.brand),
    );
    if (brand) return `chromium ${brand.version}`;
  } catch {
    // No client hints: fall back to the user agent.
  }
  return major ? `chromium ${major}` : `browser (${userAgent})`;
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
    runtime: await runtimeName(),
    verifyBackends: backends,
    validateBackends: backends,
    // Only builds the block; the fastest backend here keeps that short.
    fixtureBackend: webcrypto ?? nobleEd25519,
    log,
  });
  return { ...report, userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency };
};
