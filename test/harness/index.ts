// One test API for the same test files in Node (node:test) and in Chromium
// (@web/test-runner's mocha). The Node module is loaded through a computed
// specifier so browser bundlers never try to resolve it.
import { assert } from 'chai';

type TestFn = () => void | Promise<void>;
type SuiteFn = (name: string, fn: () => void) => void;
type CaseFn = (name: string, fn: TestFn) => void;
type HookFn = (fn: TestFn) => void;

interface Runner {
  describe: SuiteFn;
  it: CaseFn;
  before: HookFn;
  after: HookFn;
}

const isNode = typeof globalThis.process !== 'undefined' && !!globalThis.process.versions?.node;

async function loadRunner(): Promise<Runner> {
  if (isNode) {
    const specifier = ['node', 'test'].join(':');
    const m = (await import(/* @vite-ignore */ specifier)) as Runner;
    return { describe: m.describe, it: m.it, before: m.before, after: m.after };
  }
  const g = globalThis as unknown as Runner;
  return { describe: g.describe, it: g.it, before: g.before, after: g.after };
}

const runner = await loadRunner();

// Re-exported as they are (not wrapped) so runners report the test file's location.
export const describe: SuiteFn = runner.describe;
export const it: CaseFn = runner.it;
export const before: HookFn = runner.before;
export const after: HookFn = runner.after;
export { assert };

/** Which runtime the tests run in, for naming and for backend availability. */
export const runtime: 'node' | 'browser' = isNode ? 'node' : 'browser';

/** Asserts that `fn` rejects (or throws) an error whose `code` property equals `code`. */
export async function rejectsWithCode(fn: () => unknown, code: string): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.isDefined(caught, `expected an error with code ${code}, nothing was thrown`);
  assert.equal((caught as { code?: unknown }).code, code, String(caught));
}

/** Synchronous variant of rejectsWithCode. */
export function throwsWithCode(fn: () => unknown, code: string): unknown {
  try {
    fn();
  } catch (err) {
    assert.equal((err as { code?: unknown }).code, code, String(err));
    return err;
  }
  assert.fail(`expected an error with code ${code}, nothing was thrown`);
}

/** Reads a JSON fixture next to a test file: from disk in Node, over HTTP in the browser. */
export async function readJsonFixture<T>(url: URL): Promise<T> {
  if (isNode) {
    const fs = ['node', 'fs/promises'].join(':');
    const { readFile } = (await import(/* @vite-ignore */ fs)) as {
      readFile(u: URL, enc: 'utf8'): Promise<string>;
    };
    return JSON.parse(await readFile(url, 'utf8')) as T;
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fixture ${url} answered ${res.status}`);
  return (await res.json()) as T;
}
