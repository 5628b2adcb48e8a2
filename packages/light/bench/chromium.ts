import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { WeftError } from '@weft/core';
import {
  bundleForBrowser,
  chromiumPath as chromiumPathOf,
  isExecutable,
  launchChromium,
  pageHtml,
  servePage,
} from '@weft/test/chromium';
import type { Browser } from 'playwright-core';
import type {
  BrowserBenchOptions,
  BrowserRuntimeReport,
  LightBenchPageGlobals,
} from './browser-entry.js';

// The Chromium half of `pnpm bench:light`: bundles browser-entry.ts (and its
// workers) with esbuild, serves them from 127.0.0.1 (a secure context, so
// WebCrypto is there), and drives the system Chromium with playwright-core,
// which never downloads a browser (all through @weft/test/chromium).

/** CHROME_PATH, else Debian's /usr/bin/chromium; never installs one. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = chromiumPathOf(env);
  if (!isExecutable(path)) {
    throw new WeftError('BENCH_NO_CHROMIUM', `no Chromium at ${path}; set CHROME_PATH`);
  }
  return path;
}

/** The page's scripts, by URL path, as browser ES modules. */
async function bundle(): Promise<Map<string, string>> {
  const entry = (name: string) => fileURLToPath(new URL(name, import.meta.url));
  const { files } = await bundleForBrowser({
    bench: entry('./browser-entry.ts'),
    'pool-worker': entry('./pool-worker.browser.ts'),
  });
  return files;
}

export interface ChromiumRunOptions extends BrowserBenchOptions {
  log?: (line: string) => void;
  /** The whole run, browser start included (default 10 minutes). */
  timeoutMs?: number;
  /** Writes a DevTools CPU profile of the page's main thread during the timed rounds here. */
  profilePath?: string;
}

/** Runs the light benchmark in a headless Chromium and returns its report. */
export async function runChromiumLightBench(o: ChromiumRunOptions): Promise<BrowserRuntimeReport> {
  const { log = () => {}, timeoutMs = 10 * 60_000, profilePath, ...options } = o;
  const executablePath = chromiumPath();
  const site = await servePage(pageHtml('weft light bench', '/bench.js'), await bundle());
  let browser: Browser | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WeftError('BENCH_TIMEOUT', `Chromium did not finish in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const run = async (): Promise<BrowserRuntimeReport> => {
    browser = await launchChromium(executablePath);
    const page = await browser.newPage();
    page.on('pageerror', (err) => log(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') log(`console: ${msg.text()}`);
    });
    const logName = 'weftBenchLog' satisfies keyof LightBenchPageGlobals;
    await page.exposeFunction(logName, (line: string) => log(line));
    await page.goto(site.url, { waitUntil: 'load' });
    await page.waitForFunction(() => 'weftLightBench' in globalThis);
    // The page marks its timed rounds with console.profile, so set-up and the limit stay out.
    // The profile's event may arrive after the page's call returns: wait for it, not a snapshot.
    let written: Promise<void> | undefined;
    if (profilePath) {
      const cdp = await page.context().newCDPSession(page);
      written = new Promise((resolve, reject) => {
        cdp.once('Profiler.consoleProfileFinished', ({ profile }) => {
          writeFile(profilePath, JSON.stringify(profile)).then(resolve, reject);
          log(`chromium: CPU profile of the timed rounds written to ${profilePath}`);
        });
      });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    const report = await page.evaluate(
      (opts) => (globalThis as unknown as LightBenchPageGlobals).weftLightBench(opts),
      { ...options, profile: profilePath !== undefined },
    );
    await written;
    return report;
  };
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
    await (browser as Browser | undefined)?.close().catch(() => {});
    await site.close();
  }
}
