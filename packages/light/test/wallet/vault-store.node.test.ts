// Node only for now: memory-level (like abstract-level and browser-level) is CommonJS,
// which @web/test-runner serves unbundled, so Chromium cannot import it. The session
// tests run over an in-memory store in both runtimes; IndexedDB has its browser file.
import { assert, describe, it } from '@weft/test/harness';
import { MemoryLevel } from 'memory-level';
import { levelVaultStore } from '../../src/wallet/index.js';
import { checkStoreContract } from './helpers.js';

describe('wallet: abstract-level vault store (memory-level)', () => {
  it('keeps records by wallet name', async () => {
    const db = new MemoryLevel();
    await checkStoreContract(levelVaultStore(db));
    await db.close();
  });

  it('keeps to its sublevel in a shared database', async () => {
    const db = new MemoryLevel<string, string>();
    await db.put('alice', 'not a vault');
    const a = levelVaultStore(db);
    const b = levelVaultStore(db, { sublevel: 'other-wallets' });
    await a.put('alice', Uint8Array.from([1]));
    assert.isUndefined(await b.get('alice'));
    assert.deepEqual(await a.names(), ['alice']);
    assert.equal(await db.get('alice'), 'not a vault');
    await db.close();
  });

  it('raises WALLET_STORE_FAILED when the database is closed', async () => {
    const db = new MemoryLevel();
    const store = levelVaultStore(db);
    await db.close();
    let code: unknown;
    try {
      await store.get('alice');
    } catch (err) {
      code = (err as { code?: unknown }).code;
    }
    assert.equal(code, 'WALLET_STORE_FAILED');
  });
});
