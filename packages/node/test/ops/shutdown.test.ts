import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assert, before, describe, it } from '@weft/test/harness';

const child = fileURLToPath(new URL('./shutdown-child.ts', import.meta.url));

interface Run {
  stdout: string[];
  stderr: string;
  code: number | null;
}

/**
 * Starts the child in `mode`, sends SIGTERM once it is ready (and again
 * when it prints `hanging`, if `twice`), and resolves when it exits.
 */
function run(mode: string, twice = false): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Run = { stdout: [], stderr: '', code: null };
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`child ${mode} did not exit: ${JSON.stringify(out)}`));
    }, 20_000);
    let buffered = '';
    p.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        out.stdout.push(line);
        if (line === 'ready') p.kill('SIGTERM');
        if (line === 'hanging' && twice) p.kill('SIGTERM');
      }
    });
    p.stderr.on('data', (chunk: Buffer) => {
      out.stderr += chunk.toString();
    });
    p.on('exit', (code) => {
      clearTimeout(timer);
      out.code = code;
      resolve(out);
    });
  });
}

const runs: Record<string, Run> = {};

describe('ops: graceful shutdown (child process, SIGTERM)', () => {
  before(async () => {
    // Started together: each pays for a Node + tsx start-up.
    const [clean, failing, hang, timeout] = await Promise.all([
      run('clean'),
      run('failing'),
      run('hang', true),
      run('timeout'),
    ]);
    Object.assign(runs, { clean, failing, hang, timeout });
  });

  it('runs closers in reverse registration order and exits 0', () => {
    const r = runs.clean!;
    assert.deepEqual(r.stdout, ['ready', 'close third', 'close second', 'close first']);
    assert.equal(r.code, 0);
    assert.include(r.stderr, '"msg":"shutdown complete"');
  });

  it('a failing closer is logged, the rest still run, and the exit status is 1', () => {
    const r = runs.failing!;
    assert.deepEqual(r.stdout, ['ready', 'close third', 'close second', 'close first']);
    assert.equal(r.code, 1);
    assert.include(r.stderr, 'boom');
  });

  it('a second signal exits at once with 128 + SIGTERM', () => {
    const r = runs.hang!;
    assert.deepEqual(r.stdout, ['ready', 'close third', 'hanging']);
    assert.equal(r.code, 143);
    assert.include(r.stderr, 'second signal');
  });

  it('closers that outlive the deadline end the process with status 1', () => {
    const r = runs.timeout!;
    assert.deepEqual(r.stdout, ['ready', 'close third', 'hanging']);
    assert.equal(r.code, 1);
    assert.include(r.stderr, 'shutdown timed out');
  });
});
