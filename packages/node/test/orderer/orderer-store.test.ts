import { type Block, blockHash, chainTipOf, concatBytes, encodeBlock, utf8 } from '@weft/core';
import { buildBlock } from '@weft/core/dev';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { ChannelLedger } from '../../src/ledger/channel-ledger.js';
import { type NodeDatabase, openNodeDatabase } from '../../src/ledger/database.js';
import { u64 } from '../../src/ledger/keys.js';
import type { OrdererError } from '../../src/orderer/errors.js';
import { OrdererStore } from '../../src/orderer/orderer-store.js';
import { mint, net } from './fixture.js';

/** A key exactly as LAYOUT.md documents it, written around the store's API. */
const rawKey = (table: string, key: Uint8Array) =>
  concatBytes(utf8(`!orderer!!weft!!${table}!`), key);

/** Blocks 1..count after genesis, one mint each, signed by the dev orderer. */
async function blocks(count: number): Promise<Block[]> {
  const out: Block[] = [];
  let tip = chainTipOf(net.genesis);
  for (let i = 0; i < count; i++) {
    const b = await buildBlock(net, tip, [(await mint()).bytes]);
    out.push(b);
    tip = chainTipOf(b);
  }
  return out;
}

const chain = await blocks(3);

async function storeWith(n: number): Promise<{ db: NodeDatabase; store: OrdererStore }> {
  const db = await openNodeDatabase();
  const store = await OrdererStore.open({ db, channel: 'weft', genesis: net.genesis });
  for (const b of chain.slice(0, n)) await store.append(b);
  return { db, store };
}

async function corruptError(fn: () => Promise<unknown>): Promise<OrdererError> {
  try {
    await fn();
  } catch (err) {
    assert.equal((err as OrdererError).code, 'ORDERER_CORRUPT', String(err));
    return err as OrdererError;
  }
  return assert.fail('expected ORDERER_CORRUPT');
}

describe('orderer store', () => {
  it('stores genesis first, appends blocks, and reads them back by number', async () => {
    const { store } = await storeWith(3);
    assert.equal(store.height, 4);
    assert.deepEqual(store.tip, chainTipOf(chain[2]!));
    assert.deepEqual(await store.getBlock(0), net.genesis);
    assert.deepEqual(await store.getBlocks(1, 10), chain);
    assert.deepEqual(await store.getBlocks(2, 1), [chain[1]]);
    assert.equal(await store.getBlock(4), undefined);
    const down = [];
    for await (const b of store.descending()) down.push(b.header.number);
    assert.deepEqual(down, [3, 2, 1, 0]);
  });

  it('keeps the layout LAYOUT.md documents, beside the ledger namespace', async () => {
    const { db } = await storeWith(2);
    assert.deepEqual(await db.get(rawKey('blocks', u64(2))), encodeBlock(chain[1]!));
    assert.isDefined(await db.get(rawKey('meta', utf8('tip'))));
    const ledger = await ChannelLedger.open({ db, channel: 'weft', genesis: net.genesis });
    assert.equal(ledger.info().height, 1, 'the ledger sees none of the orderer blocks');
  });

  it('refuses a block that does not extend the tip, writing nothing', async () => {
    const { store } = await storeWith(1);
    await rejectsWithCode(() => store.append(chain[0]!), 'ORDERER_BAD_APPEND');
    await rejectsWithCode(() => store.append(chain[2]!), 'ORDERER_BAD_APPEND');
    const forged = {
      ...chain[1]!,
      header: { ...chain[1]!.header, previousHash: new Uint8Array(32) },
    };
    await rejectsWithCode(() => store.append(forged), 'ORDERER_BAD_APPEND');
    const other = { ...chain[1]!, header: { ...chain[1]!.header, channel: 'other' } };
    await rejectsWithCode(() => store.append(other), 'ORDERER_BAD_APPEND');
    assert.equal(store.height, 2);
    await store.append(chain[1]!);
    assert.equal(store.height, 3);
  });

  it('reopens at its tip; demands genesis the first time and the same genesis after', async () => {
    const { db, store } = await storeWith(2);
    await rejectsWithCode(() => OrdererStore.open({ db, channel: 'weft' }), 'ORDERER_IN_USE');
    store.close();
    const again = await OrdererStore.open({ db, channel: 'weft' });
    assert.equal(again.height, 3);
    assert.deepEqual(again.genesisHash, blockHash(net.genesis.header));
    again.close();
    const wrong = { ...net.genesis, header: { ...net.genesis.header, timestamp: 1 } };
    await rejectsWithCode(
      () => OrdererStore.open({ db, channel: 'weft', genesis: wrong }),
      'ORDERER_GENESIS_MISMATCH',
    );
    const empty = await openNodeDatabase();
    await rejectsWithCode(
      () => OrdererStore.open({ db: empty, channel: 'weft' }),
      'ORDERER_NO_GENESIS',
    );
    await rejectsWithCode(() => again.getBlock(0), 'ORDERER_CLOSED');
  });

  it('reports a corrupt block with a typed error naming channel and block', async () => {
    const { db, store } = await storeWith(3);
    await db.put(rawKey('blocks', u64(2)), utf8('not a block'));
    const err = await corruptError(() => store.getBlocks(1, 3));
    assert.equal(err.channel, 'weft');
    assert.equal(err.block, 2);
    assert.match(err.message, /channel weft: block 2 is corrupt/);
    // A well-formed block under the wrong number is corrupt too.
    await db.put(rawKey('blocks', u64(2)), encodeBlock(chain[0]!));
    assert.equal((await corruptError(() => store.getBlock(2))).block, 2);
  });

  it('refuses to open over a corrupt tip record, a tip past the blocks, or blocks past the tip', async () => {
    for (const damage of [
      async (db: NodeDatabase) => db.put(rawKey('meta', utf8('tip')), utf8('garbage')),
      async (db: NodeDatabase) => db.del(rawKey('blocks', u64(2))),
      async (db: NodeDatabase) => db.put(rawKey('blocks', u64(3)), encodeBlock(chain[2]!)),
    ]) {
      const { db, store } = await storeWith(2);
      store.close();
      await damage(db);
      const err = await corruptError(() => OrdererStore.open({ db, channel: 'weft' }));
      assert.equal(err.channel, 'weft');
    }
    // Blocks without a tip record are not ours to extend.
    const db = await openNodeDatabase();
    await db.put(rawKey('blocks', u64(0)), encodeBlock(net.genesis));
    await corruptError(() => OrdererStore.open({ db, channel: 'weft', genesis: net.genesis }));
  });
});
