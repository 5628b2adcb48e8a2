// Runs every Node test file with node:test (through tsx), printing the spec
// reporter to stdout and writing leaf-test counts to a JSON file
// (WEFT_NODE_COUNTS, default test-results/node-counts.json).
// Usage: node test/run-node-tests.mjs [path-substring ...]
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { filterFiles, nodeTestFiles, repoRoot } from './test-files.mjs';

const countsFile = resolve(
  repoRoot,
  process.env.WEFT_NODE_COUNTS ?? 'test-results/node-counts.json',
);
const reporter = new URL('./reporters/count-reporter.mjs', import.meta.url).href;

await mkdir(dirname(countsFile), { recursive: true });
await rm(countsFile, { force: true });

const files = filterFiles(await nodeTestFiles(), process.argv.slice(2));
if (files.length === 0) {
  console.log('No Node test files found.');
  await writeFile(countsFile, JSON.stringify({ runner: 'node', passed: 0, failed: 0 }));
  process.exit(0);
}
console.log(`Node tests: ${files.length} file(s)`);

const args = [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  `--test-reporter=${reporter}`,
  `--test-reporter-destination=${countsFile}`,
  ...files,
];
const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
