import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { deleteDB, openDB } from 'idb';
import {
  openIndexedDbVaultStore,
  requestPersistence,
  WalletSession,
} from '../../src/wallet/index.js';
import { ABANDON_12, checkStoreContract, FAST } from './helpers.js';

// IndexedDB exists only in the browser; the same contract runs against memory-level in both runtimes.

const dbName = (what: string) => `weft-wallet-test-${what}-${crypto.randomUUID()}`;

describe('wallet: IndexedDB vault store (Chromium)', () => {
  it('keeps records by wallet name', async () => {
    const name = dbName('contract');
    const store = await openIndexedDbVaultStore({ dbName: name });
    await checkStoreContract(store);
    await store.close();
    await deleteDB(name);
  });

  it('a vault survives closing and reopening the database, and opens only with its passphrase', async () => {
    const name = dbName('reopen');
    const first = await openIndexedDbVaultStore({ dbName: name });
    const created = await WalletSession.create({
      store: first,
      name: 'alice',
      passphrase: 'correct horse battery staple',
      mnemonic: ABANDON_12,
      policy: FAST,
    });
    const owner = (await created.ownerKey(0)).publicKey;
    created.lock();
    await first.close();

    const second = await openIndexedDbVaultStore({ dbName: name });
    const session = new WalletSession({ store: second, name: 'alice', policy: FAST });
    await rejectsWithCode(
      () => session.unlock('wrong horse battery staple'),
      'WALLET_BAD_PASSPHRASE',
    );
    assert.isTrue(session.isLocked);
    await session.unlock('correct horse battery staple');
    assert.deepEqual((await session.ownerKey(0)).publicKey, owner);
    session.lock();
    await second.close();
    await deleteDB(name);
  });

  it('a stored value that is not bytes is WALLET_CORRUPT', async () => {
    const name = dbName('hostile');
    const store = await openIndexedDbVaultStore({ dbName: name });
    await store.close();
    const raw = await openDB(name, 1);
    await raw.put('vaults', { not: 'bytes' }, 'mallory');
    await raw.put('vaults', 'a string', 'eve');
    raw.close();
    const again = await openIndexedDbVaultStore({ dbName: name });
    await rejectsWithCode(() => again.get('mallory'), 'WALLET_CORRUPT');
    await rejectsWithCode(() => again.get('eve'), 'WALLET_CORRUPT');
    const session = new WalletSession({ store: again, name: 'mallory', policy: FAST });
    await rejectsWithCode(() => session.unlock('anything at all'), 'WALLET_CORRUPT');
    await again.close();
    await deleteDB(name);
  });

  it('requests persistent storage and reports the answer', async () => {
    const report = await requestPersistence();
    assert.isTrue(report.supported);
    assert.isBoolean(report.persisted);
  });
});
