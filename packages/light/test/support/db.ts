// Where a test's HeaderChain keeps its headers. Node: memory-level, the
// abstract-level code path browser-level and classic-level share. Chromium:
// IndexedDB through `idb`, since the test runner serves CommonJS packages
// (memory-level, browser-level) unbundled and they cannot load there.
import { runtime } from '@weft/test/harness';
import type { HeaderStore, LevelDatabase } from '../../src/chain/store.js';

export type TestStorage = { db: LevelDatabase } | { store: HeaderStore };

/** A fresh, empty storage place for one chain; `reopen` gives the same data anew (a reload). */
export async function testStorage(
  genesisHash: Uint8Array,
): Promise<{ storage: TestStorage; reopen(): Promise<TestStorage> }> {
  if (runtime === 'node') {
    const { MemoryLevel } = await import('memory-level');
    const db = new MemoryLevel() as LevelDatabase;
    return { storage: { db }, reopen: async () => ({ db }) };
  }
  const { openIndexedDbHeaderStore } = await import('../../src/chain/idb-store.js');
  const dbName = `weft-light-test-${crypto.randomUUID()}`;
  const open = async () => ({ store: await openIndexedDbHeaderStore({ genesisHash, dbName }) });
  return { storage: await open(), reopen: open };
}
