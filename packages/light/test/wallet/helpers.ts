// Shared by the wallet tests (not a test file itself).
import { assert, rejectsWithCode } from '@weft/test/harness';
import type { SessionTimers } from '../../src/wallet/index.js';
import { checkWalletName, MIN_PBKDF2_ITERATIONS, type VaultStore } from '../../src/wallet/index.js';

/** The floor the code enforces for every vault: fast enough for most tests, never below it. */
export const FAST = { iterations: MIN_PBKDF2_ITERATIONS } as const;

/** BIP39's first published vector sentence (vectors.json, trezor/python-mnemonic). */
/** A passphrase that meets the minimum for new vaults. */
export const FAKE_PASS = 'correct horse battery staple';

export const ABANDON_12 =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

/** A manual clock and timer queue: advance() moves time and runs what fell due. */
export class FakeTimers implements SessionTimers {
  time = 1_000;
  private nextId = 1;
  private readonly tasks = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.tasks.set(id, { at: this.time + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks.delete(handle as number);
  }

  get pending(): number {
    return this.tasks.size;
  }

  /** Moves the clock; with runTimers false it models a timer delayed by a sleeping device. */
  advance(ms: number, runTimers = true): void {
    this.time += ms;
    if (!runTimers) return;
    for (;;) {
      const due = [...this.tasks]
        .filter(([, t]) => t.at <= this.time)
        .sort((a, b) => a[1].at - b[1].at);
      const first = due[0];
      if (!first) return;
      this.tasks.delete(first[0]);
      first[1].fn();
    }
  }
}

/** A Map-backed VaultStore for session tests in both runtimes (held to the same contract). */
export function mapStore(): VaultStore {
  const records = new Map<string, Uint8Array>();
  return {
    get: async (name) => records.get(checkWalletName(name))?.slice(),
    put: async (name, record) => {
      records.set(checkWalletName(name), record.slice());
    },
    delete: async (name) => {
      records.delete(checkWalletName(name));
    },
    names: async () => [...records.keys()].sort(),
    close: async () => {},
  };
}

/** The behaviour every VaultStore backend must show. */
export async function checkStoreContract(store: VaultStore): Promise<void> {
  assert.isUndefined(await store.get('alice'));
  const record = Uint8Array.from([1, 2, 3, 4]);
  await store.put('alice', record);
  await store.put('bob', new Uint8Array(0));
  // A view into a larger buffer stores only its own bytes.
  await store.put('carol', new Uint8Array([9, 9, 5, 6, 9]).subarray(2, 4));
  assert.deepEqual(await store.get('alice'), record);
  assert.deepEqual(await store.get('bob'), new Uint8Array(0));
  assert.deepEqual(await store.get('carol'), Uint8Array.from([5, 6]));
  assert.deepEqual(await store.names(), ['alice', 'bob', 'carol']);
  await store.put('alice', Uint8Array.from([7]));
  assert.deepEqual(await store.get('alice'), Uint8Array.from([7]));
  await store.delete('bob');
  await store.delete('nobody');
  assert.isUndefined(await store.get('bob'));
  assert.deepEqual(await store.names(), ['alice', 'carol']);
  for (const bad of ['', ' alice', 'a\nb', 'x'.repeat(65), 42 as unknown as string]) {
    await rejectsWithCode(() => store.get(bad), 'WALLET_BAD_NAME');
    await rejectsWithCode(() => store.put(bad, record), 'WALLET_BAD_NAME');
  }
}
