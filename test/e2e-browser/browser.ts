// The Node side of the Chromium end: bundles page.ts (and the real @weft/light
// it imports: libp2p, WebSockets, idb) with esbuild for the browser, serves
// it from a throwaway server on 127.0.0.1 (a secure context: WebCrypto and
// IndexedDB), and drives Debian's Chromium with playwright-core, which never
// downloads a browser. Bundling is the robust route for libp2p's CommonJS
// dependencies (netmask...), which an unbundled ES-module dev server cannot
// serve; the wallet UI's Vite build takes the same route.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type LightPageApi, PAGE_GLOBAL, type PageErrorView, type PageResult } from './page-api.js';

export interface PageBundle {
  code: string;
  /** esbuild's warnings, formatted (e.g. a side-effect import dropped by a `sideEffects` field). */
  warnings: string[];
}

/** page.ts and everything it imports as one ES module for Chromium. */
export async function bundlePage(): Promise<PageBundle> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    // Errors fail the build; warnings are returned, for the test to assert there are none.
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no output for the page');
  const warnings = result.warnings.map(
    (w) => `${w.id}: ${w.text}${w.location ? ` (${w.location.file}:${w.location.line})` : ''}`,
  );
  return { code: output.text, warnings };
}

const HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>weft light e2e</title></head>
<body><script type="module" src="/page.js"></script></body></html>
`;

async function serve(bundle: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = path === '/' ? HTML : path === '/page.js' ? bundle : undefined;
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
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** The flags of test/web-test-runner.config.mjs (shared/TOOLCHAIN.md). */
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

type Api = LightPageApi;

/** An error thrown in the page by a LightPageApi method, with its code and class. */
export class PageError extends Error {
  readonly code: string | undefined;
  /** The error as the page described it. */
  readonly view: PageErrorView;
  constructor(method: string, view: PageErrorView) {
    super(`${method}: ${view.message}`);
    this.name = 'PageError';
    this.code = view.code;
    this.view = view;
  }
}

export interface LightPage {
  /** Calls a LightPageApi method in the page; rejects with a PageError if it threw. */
  call<K extends keyof Api>(
    name: K,
    ...args: Parameters<Api[K]>
  ): Promise<Awaited<ReturnType<Api[K]>>>;
  /** Reloads the page (same browser profile, so IndexedDB survives) and waits for the API. */
  reload(): Promise<void>;
  /**
   * Grants the page's origin persistent storage, as a holder accepting the
   * browser's prompt would: navigator.storage.persist() then answers true.
   */
  grantPersistentStorage(): Promise<void>;
  /** Page errors and console errors seen so far. */
  readonly errors: string[];
  /** esbuild's warnings for the page bundle. */
  readonly bundleWarnings: string[];
  close(): Promise<void>;
}

/** Bundles, serves and opens the page in a fresh headless Chromium. */
export async function openLightPage(options: {
  executablePath: string;
  log?: (line: string) => void;
}): Promise<LightPage> {
  const log = options.log ?? (() => {});
  const bundle = await bundlePage();
  const { server, url } = await serve(bundle.code);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: options.executablePath,
      headless: true,
      args: chromiumArgs(),
      timeout: 60_000,
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => {
      errors.push(err.message);
      log(`page error: ${err.message}`);
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
      if (msg.type() === 'error' || msg.type() === 'warning')
        log(`console.${msg.type()}: ${msg.text()}`);
    });
    const ready = () =>
      page.waitForFunction((name) => name in globalThis, PAGE_GLOBAL, { timeout: 30_000 });
    await page.goto(url, { waitUntil: 'load' });
    await ready();
    const opened = browser;
    return {
      errors,
      bundleWarnings: bundle.warnings,
      call: (name, ...args) => callPage(page, name, args),
      async grantPersistentStorage() {
        // Playwright's grantPermissions has no such permission for Chromium: CDP's
        // durableStorage, over a session left open (detaching it drops the grant).
        const target = await page.context().newCDPSession(page);
        const { targetInfo } = await target.send('Target.getTargetInfo');
        await target.detach();
        const cdp = await opened.newBrowserCDPSession();
        await cdp.send('Browser.grantPermissions', {
          origin: new URL(url).origin,
          browserContextId: targetInfo.browserContextId,
          permissions: ['durableStorage'],
        });
      },
      async reload() {
        await page.reload({ waitUntil: 'load' });
        await ready();
      },
      async close() {
        await opened.close();
        await closeServer(server);
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await closeServer(server);
    throw err;
  }
}

async function callPage<K extends keyof Api>(
  page: Page,
  name: K,
  args: unknown[],
): Promise<Awaited<ReturnType<Api[K]>>> {
  const result = (await page.evaluate(
    async ({ global, name, args }) => {
      const api = (globalThis as unknown as Record<string, Record<string, unknown>>)[global];
      const fn = api?.[name];
      if (typeof fn !== 'function') throw new Error(`the page has no ${global}.${name}`);
      return fn(...args);
    },
    { global: PAGE_GLOBAL, name, args },
  )) as PageResult<Awaited<ReturnType<Api[K]>>>;
  if (!result.ok) throw new PageError(name, result.error);
  return result.value;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
