// The Node side of the Chromium end: bundles page.ts (and the real @weft/light
// it imports: libp2p, WebSockets, idb) with esbuild for the browser, serves
// it from a throwaway server on 127.0.0.1 (a secure context: WebCrypto and
// IndexedDB), and drives Debian's Chromium with playwright-core, which never
// downloads a browser. Bundling is the robust route for libp2p's CommonJS
// dependencies (netmask...), which an unbundled ES-module dev server cannot
// serve; the wallet UI's Vite build takes the same route.
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { bundleForBrowser, launchChromium, pageHtml, servePage } from '../support/chromium.js';
import { type LightPageApi, PAGE_GLOBAL, type PageErrorView, type PageResult } from './page-api.js';

export interface PageBundle {
  code: string;
  /** esbuild's warnings, formatted (e.g. a side-effect import dropped by a `sideEffects` field). */
  warnings: string[];
}

/**
 * page.ts and everything it imports as one ES module for Chromium. Errors
 * fail the build; warnings are returned, for the test to assert there are none.
 */
export async function bundlePage(): Promise<PageBundle> {
  const { files, warnings } = await bundleForBrowser({
    page: fileURLToPath(new URL('./page.ts', import.meta.url)),
  });
  const code = files.get('/page.js');
  if (code === undefined) throw new Error('esbuild produced no output for the page');
  return { code, warnings };
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
  const site = await servePage(
    pageHtml('weft light e2e', '/page.js'),
    new Map([['/page.js', bundle.code]]),
  );
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(options.executablePath, { timeout: 60_000 });
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
    await page.goto(site.url, { waitUntil: 'load' });
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
          origin: new URL(site.url).origin,
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
        await site.close();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await site.close();
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
