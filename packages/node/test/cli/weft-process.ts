// The weft CLI (src/cli/main.ts through tsx) run as a separate process, for
// the tests of commands that start their own processes or networks.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Runs `weft ...args`; rejects (with its code and stderr) when it exits non-zero. */
export function weftProcess(args: string[], options: { timeout?: number } = {}) {
  return run(process.execPath, ['--import', 'tsx', cli, ...args], options);
}

/** Runs `weft ...args`, expected to fail: the rejection (empty when it succeeded). */
export async function weftFailure(...args: string[]): Promise<{ code?: number; stderr?: string }> {
  let failed: { code?: number; stderr?: string } = {};
  await weftProcess(args).catch((e) => {
    failed = e;
  });
  return failed;
}
