import { accessSync, constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WeftError } from '@weft/core';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import type {
  BrowserBenchOptions,
  BrowserRuntimeReport,
  LightBenchPageGlobals,
} from './browser-entry.js';

// The Chromium half of `pnpm bench:light`: bundles browser-entry.ts (and its
// workers) with esbuild, serves them from 127.0.0.1 (a secure context, so
// WebCrypto is there), and drives the system Chromium with playwright-core,
// which never downloads a browser.

/** CHROME_PATH, else Debian's /usr/bin/chromium; never installs one. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROME_PATH || '/usr/bin/chromium';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new WeftError('BENCH_NO_CHROMIUM', `no Chromium at ${path}; set CHROME_PATH`);
  }
  return path;
}

/** Flags Debian's Chromium needs on this machine kind (shared/TOOLCHAIN.md). */
function chromiumArgs(): string[] {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return [
    ...(isRoot ? ['--no-sandbox'] : []),
    '--headless=new',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
}

/** The page's scripts, by URL path, as browser ES modules. */
async function bundle(): Promise<Map<string, string>> {
  const entry = (name: string) => fileURLToPath(new URL(name, import.meta.url));
  const result = await build({
    entryPoints: {
      bench: entry('./browser-entry.ts'),
      'pool-worker': entry('./pool-worker.browser.ts'),
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/',
    write: false,
    logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((f) => [f.path, f.text]));
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>weft light bench</title></head>
<body><script type="module" src="/bench.js"></script></body></html>
`;

async function serve(files: Map<string, string>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = path === '/' ? PAGE : files.get(path);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const type = path === '/' ? 'text/html' : 'text/javascript';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
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
  const { server, url } = await serve(await bundle());
  let browser: Browser | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WeftError('BENCH_TIMEOUT', `Chromium did not finish in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const run = async (): Promise<BrowserRuntimeReport> => {
    browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs() });
    const page = await browser.newPage();
    page.on('pageerror', (err) => log(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') log(`console: ${msg.text()}`);
    });
    const logName = 'weftBenchLog' satisfies keyof LightBenchPageGlobals;
    await page.exposeFunction(logName, (line: string) => log(line));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => 'weftLightBench' in globalThis);
    // The page marks its timed rounds with console.profile, so set-up and the limit stay out.
    const profiles: Promise<void>[] = [];
    if (profilePath) {
      const cdp = await page.context().newCDPSession(page);
      cdp.on('Profiler.consoleProfileFinished', ({ profile }) => {
        profiles.push(writeFile(profilePath, JSON.stringify(profile)));
        log(`chromium: CPU profile of the timed rounds written to ${profilePath}`);
      });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    const report = await page.evaluate(
      (opts) => (globalThis as unknown as LightBenchPageGlobals).weftLightBench(opts),
      { ...options, profile: profilePath !== undefined },
    );
    await Promise.all(profiles);
    return report;
  };
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
    await (browser as Browser | undefined)?.close().catch(() => {});
    await closeServer(server);
  }
}
