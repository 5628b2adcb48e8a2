// @web/test-runner config: the core and light test files, unchanged, in
// Debian's Chromium. Run through test/run-browser-tests.mjs (or
// `wtr --config test/web-test-runner.config.mjs`).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { countReporter } from './reporters/wtr-count-reporter.mjs';
import { chromiumArgs, chromiumPath } from './support/chromium.js';
import { browserTestFiles, repoRoot } from './test-files.mjs';
import { lightBundlePlugin } from './wtr-light-bundle.mjs';

const countsFile = resolve(
  repoRoot,
  process.env.WEFT_BROWSER_COUNTS ?? 'test-results/browser-counts.json',
);

/**
 * Relative `.js` imports in TypeScript sources point at `.ts` (or `.tsx`)
 * files. The esbuild plugin rewrites them only when the importer itself is
 * `.ts`; this also covers other importers, and leaves real `.js` files alone.
 */
const tsSourceResolver = {
  name: 'weft-ts-source',
  resolveImport({ source, context }) {
    if (!source.startsWith('.') || !source.endsWith('.js')) return undefined;
    const dir = resolve(repoRoot, `.${decodeURIComponent(context.path)}`, '..');
    if (existsSync(resolve(dir, source))) return undefined;
    for (const ext of ['.ts', '.tsx']) {
      const asTs = `${source.slice(0, -3)}${ext}`;
      if (existsSync(resolve(dir, asTs))) return asTs;
    }
    return undefined;
  },
};

const filesFromEnv = process.env.WEFT_BROWSER_FILES?.split('\n').filter(Boolean);

export default {
  rootDir: repoRoot,
  files: filesFromEnv ?? (await browserTestFiles()),
  // Browser builds of dependencies: the "browser" export condition and package.json field.
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  plugins: [
    lightBundlePlugin(repoRoot),
    tsSourceResolver,
    // tsx: the wallet UI's Preact components (JSX settings from tsconfig.json).
    esbuildPlugin({
      ts: true,
      tsx: true,
      target: 'es2022',
      tsconfig: resolve(repoRoot, 'tsconfig.json'),
    }),
  ],
  browsers: [
    chromeLauncher({
      // The flags and binary of every Chromium the tests drive (support/chromium.js).
      launchOptions: { executablePath: chromiumPath(), headless: true, args: chromiumArgs() },
    }),
  ],
  concurrency: 2,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 120_000,
  // noble crypto in a test file can take minutes.
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 300_000 } },
  // No animated progress when the output is a log (CI, the orchestrator).
  staticLogging: !process.stdout.isTTY,
  reporters: [
    defaultReporter({ reportTestResults: true, reportTestProgress: !!process.stdout.isTTY }),
    countReporter({ file: countsFile, list: true }),
  ],
};
