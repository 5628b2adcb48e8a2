// Types of chromium.js.
import type { Browser, LaunchOptions } from 'playwright-core';

export declare const DEFAULT_CHROMIUM: '/usr/bin/chromium';

/** CHROME_PATH, else /usr/bin/chromium; not checked (see isExecutable). */
export declare function chromiumPath(env?: NodeJS.ProcessEnv): string;

export declare function isExecutable(path: string): boolean;

/** Flags Debian's Chromium needs on this machine kind (shared/TOOLCHAIN.md). */
export declare function chromiumArgs(): string[];

/** A headless Chromium with chromiumArgs(); `options` adds playwright launch options (timeout). */
export declare function launchChromium(
  executablePath: string,
  options?: Pick<LaunchOptions, 'timeout'>,
): Promise<Browser>;

export interface BrowserBundle {
  /** Browser ES modules by URL path: entry `page` is `/page.js`. */
  files: Map<string, string>;
  /** esbuild's warnings, formatted (e.g. a side-effect import dropped by a `sideEffects` field). */
  warnings: string[];
}

/** Bundles each entry (name -> file) and what it imports as one browser ES module. */
export declare function bundleForBrowser(
  entryPoints: Record<string, string>,
): Promise<BrowserBundle>;

/** An HTML page that loads one module script. */
export declare function pageHtml(title: string, script: string): string;

export interface ServedPage {
  /** http://127.0.0.1:<port>/ */
  url: string;
  close(): Promise<void>;
}

/** Serves `html` at / and `scripts` (by URL path) on 127.0.0.1 at an ephemeral port. */
export declare function servePage(html: string, scripts: Map<string, string>): Promise<ServedPage>;
