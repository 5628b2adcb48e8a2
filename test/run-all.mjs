// `pnpm test`: the whole suite, in order: ensure Chromium, lint + format
// (Biome), type check (tsc), Node tests, Chromium tests. Every step runs even
// when an earlier one failed, so one run reports everything; the exit code is
// non-zero if anything failed. The last line of output is always
// `N passed, N failed` (test cases of Node and Chromium summed; a failed lint,
// type check or Chromium lookup counts as one failure each).
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ChromiumMissingError, ensureChromium } from './ensure-chromium.mjs';
import { repoRoot } from './test-files.mjs';

const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const countsFiles = {
  node: join(repoRoot, 'test-results', 'node-counts.json'),
  browser: join(repoRoot, 'test-results', 'browser-counts.json'),
};

let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    current?.kill(signal);
    process.exit(130);
  });
}

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    current = spawn(command, args, {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
    });
    current.on('error', (err) => {
      console.error(`could not start ${command}: ${err.message}`);
      resolve(1);
    });
    current.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function readCounts(file) {
  try {
    const c = JSON.parse(await readFile(file, 'utf8'));
    if (Number.isInteger(c.passed) && Number.isInteger(c.failed)) return c;
  } catch {
    // Missing or unreadable: the runner died before reporting.
  }
  return undefined;
}

/** A test step: its exit code and the counts its reporter wrote. */
async function testStep(script, countsFile, envName) {
  await rm(countsFile, { force: true });
  const code = await run(process.execPath, [join(repoRoot, 'test', script)], {
    [envName]: countsFile,
  });
  const counts = await readCounts(countsFile);
  if (!counts) return { ok: false, passed: 0, failed: 1, note: 'no counts reported' };
  // A runner that failed without a failed test (crash, timeout) still counts as one failure.
  const failed = code !== 0 && counts.failed === 0 ? 1 : counts.failed;
  const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
  return {
    ok: code === 0 && failed === 0,
    passed: counts.passed,
    failed,
    note: `${counts.passed} passed, ${counts.failed} failed${skipped}${code !== 0 && counts.failed === 0 ? `, runner exited ${code}` : ''}`,
  };
}

/** A pass/fail step: one failure when it fails. */
async function commandStep(command, args) {
  const code = await run(command, args);
  return { ok: code === 0, passed: 0, failed: code === 0 ? 0 : 1, note: `exit ${code}` };
}

let chromePath;
const steps = [
  {
    name: 'chromium',
    title: 'Ensure Chromium',
    async run() {
      try {
        chromePath = ensureChromium();
        return { ok: true, passed: 0, failed: 0, note: chromePath };
      } catch (err) {
        if (!(err instanceof ChromiumMissingError)) throw err;
        console.error(err.message);
        return { ok: false, passed: 0, failed: 1, note: 'not found' };
      }
    },
  },
  {
    name: 'lint',
    title: 'Lint and format: biome check .',
    run: () => commandStep(bin('biome'), ['check', '.']),
  },
  {
    name: 'typecheck',
    title: 'Type check: tsc -p tsconfig.json',
    run: () => commandStep(bin('tsc'), ['-p', 'tsconfig.json']),
  },
  {
    name: 'node tests',
    title: 'Node tests (node:test)',
    run: () => testStep('run-node-tests.mjs', countsFiles.node, 'WEFT_NODE_COUNTS'),
  },
  {
    name: 'chromium tests',
    title: 'Chromium tests (@web/test-runner)',
    async run() {
      // Without a browser there is nothing to run; the Chromium step already counted the failure.
      if (!chromePath) return { ok: false, passed: 0, failed: 0, note: 'skipped: no Chromium' };
      process.env.CHROME_PATH = chromePath;
      return testStep('run-browser-tests.mjs', countsFiles.browser, 'WEFT_BROWSER_COUNTS');
    },
  },
];

const results = [];
for (const [i, step] of steps.entries()) {
  console.log(`\n=== [${i + 1}/${steps.length}] ${step.title} ===`);
  const start = performance.now();
  const result = await step.run();
  results.push({ ...step, ...result, seconds: (performance.now() - start) / 1000 });
}

let passed = 0;
let failed = 0;
console.log('\n=== Summary ===');
for (const r of results) {
  passed += r.passed;
  failed += r.failed;
  const status = r.ok ? 'ok' : 'FAILED';
  console.log(
    `${r.name.padEnd(15)} ${status.padEnd(7)} ${r.seconds.toFixed(1).padStart(6)}s  ${r.note}`,
  );
}
const total = results.reduce((s, r) => s + r.seconds, 0);
console.log(`${'total'.padEnd(15)} ${''.padEnd(7)} ${total.toFixed(1).padStart(6)}s`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
console.log(`${passed} passed, ${failed} failed`);
