// Runs the core and light test files in Chromium with @web/test-runner
// (config: test/web-test-runner.config.mjs) and leaves leaf-test counts in a
// JSON file (WEFT_BROWSER_COUNTS, default test-results/browser-counts.json).
// Usage: node test/run-browser-tests.mjs [path-substring ...]
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { ChromiumMissingError, ensureChromium } from './ensure-chromium.mjs';
import { browserTestFiles, filterFiles, repoRoot } from './test-files.mjs';

const countsFile = resolve(
  repoRoot,
  process.env.WEFT_BROWSER_COUNTS ?? 'test-results/browser-counts.json',
);
await mkdir(dirname(countsFile), { recursive: true });
await rm(countsFile, { force: true });

let chromePath;
try {
  chromePath = ensureChromium();
} catch (err) {
  if (!(err instanceof ChromiumMissingError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const files = filterFiles(await browserTestFiles(), process.argv.slice(2));
if (files.length === 0) {
  console.log('No browser test files found.');
  await writeFile(countsFile, JSON.stringify({ runner: 'browser', passed: 0, failed: 0 }));
  process.exit(0);
}
console.log(`Chromium tests: ${files.length} file(s) in ${chromePath}`);

const require = createRequire(import.meta.url);
const wtrBin = join(dirname(require.resolve('@web/test-runner')), 'bin.js');
const config = resolve(repoRoot, 'test/web-test-runner.config.mjs');
const child = spawn(process.execPath, [wtrBin, '--config', config], {
  cwd: repoRoot,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    CHROME_PATH: chromePath,
    WEFT_BROWSER_COUNTS: countsFile,
    WEFT_BROWSER_FILES: files.join('\n'),
  },
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', async (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
  try {
    const counts = JSON.parse(await readFile(countsFile, 'utf8'));
    console.log(
      `Chromium: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    );
  } catch {
    console.log('Chromium: no test counts were written');
  }
});
