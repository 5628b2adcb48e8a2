import { chainTipOf } from '@weft/core';
import { createDevNetwork } from '@weft/core/dev';
import { assert, describe, it, runtime } from '@weft/test/harness';
import { openIndexedDbHeaderStore } from '../src/chain/idb-store.js';
import { type HeaderStore, levelHeaderStore } from '../src/chain/store.js';
import { testStorage } from './support/db.js';
import { DevLedger } from './support/dev-ledger.js';

const ledger = await DevLedger.create({ seed: 'light-store' });
for (let i = 0; i < 3; i++) await ledger.append([ledger.net.genesis.data[0]!]);
const other = await createDevNetwork({ seed: 'light-store-other', peerOrgs: 3 });

/** The runtime's store (memory-level in Node, IndexedDB in Chromium) for `genesisHash`. */
async function storeFor(genesisHash: Uint8Array) {
  const place = await testStorage(genesisHash);
  const asStore = (s: typeof place.storage): HeaderStore =>
    'store' in s ? s.store : levelHeaderStore(s.db, genesisHash);
  return { store: asStore(place.storage), reopen: async () => asStore(await place.reopen()) };
}

describe(`header store (${runtime === 'node' ? 'abstract-level' : 'IndexedDB'})`, () => {
  it('keeps the genesis, headers and tip, and finds them again after a reopen', async () => {
    const { store, reopen } = await storeFor(ledger.net.genesisHash);
    assert.isUndefined(await store.tip());
    assert.isUndefined(await store.genesis());
    const genesis = ledger.chain.blocks[0]!;
    await store.putGenesis(genesis, chainTipOf(genesis));
    const headers = [1, 2, 3].map((n) => ledger.header(n));
    await store.append(headers, chainTipOf(headers[2]!));
    const again = await reopen();
    assert.deepEqual(await again.genesis(), genesis);
    assert.deepEqual(await again.tip(), ledger.chain.tip);
    assert.deepEqual(await again.header(2), headers[1]);
    assert.isUndefined(await again.header(4));
    await again.clear();
    assert.isUndefined(await (await reopen()).tip());
  });

  it('keeps chains of different genesis hashes apart in one database', async () => {
    const [mine, theirs] = await twoChainsInOneDatabase();
    await mine.putGenesis(ledger.net.genesis, chainTipOf(ledger.net.genesis));
    assert.isUndefined(await theirs.genesis());
    await theirs.putGenesis(other.genesis, chainTipOf(other.genesis));
    await theirs.clear();
    assert.isUndefined(await theirs.genesis());
    assert.deepEqual(await mine.genesis(), ledger.net.genesis);
  });
});

async function twoChainsInOneDatabase(): Promise<[HeaderStore, HeaderStore]> {
  const hashes = [ledger.net.genesisHash, other.genesisHash] as const;
  const place = await testStorage(hashes[0]);
  if ('db' in place.storage) {
    const { db } = place.storage;
    return [levelHeaderStore(db, hashes[0]), levelHeaderStore(db, hashes[1])];
  }
  const dbName = `weft-light-test-${crypto.randomUUID()}`;
  return [
    await openIndexedDbHeaderStore({ genesisHash: hashes[0], dbName }),
    await openIndexedDbHeaderStore({ genesisHash: hashes[1], dbName }),
  ];
}
