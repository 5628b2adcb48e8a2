import { accessSync, constants } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import type { BenchPageGlobals, BrowserCoreBenchReport } from './browser-entry.js';

// The core benchmark in Chromium: bundles browser-entry.ts with esbuild,
// serves it from a throwaway server on 127.0.0.1 (a secure context, so
// WebCrypto is there), drives the system Chromium with playwright-core
// (which never downloads a browser) and returns the page's report.

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export type ChromiumLookup = { path: string } | { skipped: string };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** CHROME_PATH, else /usr/bin/chromium; never installs or downloads one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const fromEnv = env.CHROME_PATH;
  if (fromEnv) {
    return isExecutable(fromEnv)
      ? { path: fromEnv }
      : { skipped: `CHROME_PATH=${fromEnv} is not an executable file` };
  }
  return isExecutable(DEFAULT_CHROMIUM)
    ? { path: DEFAULT_CHROMIUM }
    : { skipped: `no Chromium at ${DEFAULT_CHROMIUM}; set CHROME_PATH` };
}

/**
 * Flags Debian's Chromium needs on this machine kind (shared/TOOLCHAIN.md).
 * The tests' copy is test/support/chromium.js: keep the two alike (this is
 * @weft/node's own source, and @weft/test only a devDependency of it).
 */
export function chromiumArgs(): string[] {
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

/** browser-entry.ts and everything it imports as one ES module for the browser. */
async function bundleEntry(): Promise<string> {
  const entry = fileURLToPath(new URL('./browser-entry.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no output for the browser benchmark');
  return output.text;
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>weft core bench</title></head>
<body><script type="module" src="/bench.js"></script></body></html>
`;

/** Serves the page and the bundle on 127.0.0.1 at an ephemeral port. */
async function serve(bundle: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = path === '/' ? PAGE : path === '/bench.js' ? bundle : undefined;
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': path === '/' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8',
      'cache-control': 'no-store',
    });
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

export interface BrowserBenchOptions {
  executablePath: string;
  /** Whole run, browser start included; the browser is closed when it passes. */
  timeoutMs?: number;
  /** Progress lines from the page, and its errors. */
  log?: (line: string) => void;
}

/** Runs the core benchmark in a headless Chromium and returns its report. */
export async function runBrowserCoreBench(
  options: BrowserBenchOptions,
): Promise<BrowserCoreBenchReport> {
  const log = options.log ?? (() => {});
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const bundle = await bundleEntry();
  const { server, url } = await serve(bundle);
  let browser: Browser | undefined;
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the Chromium benchmark did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const run = async (): Promise<BrowserCoreBenchReport> => {
    browser = await chromium.launch({
      executablePath: options.executablePath,
      headless: true,
      args: chromiumArgs(),
      timeout: 60_000,
    });
    // Timed out while launching: the finally below has already run.
    if (settled) await browser.close();
    const page = await browser.newPage();
    page.on('pageerror', (err) => log(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning')
        log(`console.${msg.type()}: ${msg.text()}`);
    });
    const logName = 'weftBenchLog' satisfies keyof BenchPageGlobals;
    await page.exposeFunction(logName, (line: string) => log(line));
    await page.goto(url, { waitUntil: 'load' });
    return page.evaluate(async () => {
      const globals = globalThis as unknown as BenchPageGlobals;
      if (typeof globals.weftCoreBench !== 'function') {
        throw new Error('the benchmark bundle did not load (see the page errors above)');
      }
      return globals.weftCoreBench();
    });
  };
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    settled = true;
    clearTimeout(timer);
    await (browser as Browser | undefined)?.close().catch(() => {});
    await closeServer(server);
  }
}
