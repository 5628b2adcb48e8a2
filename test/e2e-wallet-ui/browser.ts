// Debian's Chromium driven by playwright-core (never a downloaded browser),
// with the flags of test/support/chromium.js (shared/TOOLCHAIN.md). Each wallet holder gets
// their own browser context: their own IndexedDB, as two people would.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';

/** Screenshots land here (test artifacts; the README shows copies). */
export const SHOTS_DIR = fileURLToPath(new URL('../../test-results/wallet-ui/', import.meta.url));

export async function launch(executablePath: string): Promise<Browser> {
  await mkdir(SHOTS_DIR, { recursive: true });
  return launchChromium(executablePath, { timeout: 60_000 });
}

export interface Holder {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far. */
  errors: string[];
}

/** A new person: a fresh context (storage, clipboard permission) and one page. */
export async function newHolder(browser: Browser, name: string, width = 1100): Promise<Holder> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`${name}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${name}: console: ${msg.text()}`);
  });
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
