import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Block,
  blockHash,
  computeCommitHash,
  concatBytes,
  encodeBlock,
  TxCode,
  utf8,
  validateBlock,
} from '@weft/core';
import { buildBlock, createDevNetwork } from '@weft/core/dev';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import {
  ChannelLedger,
  LedgerError,
  type NodeDatabase,
  openNodeDatabase,
} from '../../src/ledger/index.js';
import { envelopeKey, u64 } from '../../src/ledger/keys.js';
import { encodeTxEntry } from '../../src/ledger/records.js';
import { assertMatchesReference, buildFixture, commitBlocks, replay, SEED } from './fixture.js';

const f = await buildFixture();
const ref = await replay(f);
const { net } = f;

/** A key exactly as LAYOUT.md documents it, written around the ledger's API. */
function rawKey(table: string, key: Uint8Array): Uint8Array {
  return concatBytes(utf8(`!ledger!!weft!!${table}!`), key);
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-ledger-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A classic-level store holding blocks 0..height-1 of the fixture, closed again. */
async function storeAt(name: string, height: number): Promise<string> {
  const path = join(dir, name);
  const db = await openNodeDatabase({ path });
  const ledger = await ChannelLedger.open({ db, channel: 'weft', genesis: net.genesis });
  await commitBlocks(ledger, net, f.blocks.slice(1, height));
  await db.close();
  return path;
}

async function withDb<T>(path: string, fn: (db: NodeDatabase) => Promise<T>): Promise<T> {
  const db = await openNodeDatabase({ path });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Asserts `fn` fails with LEDGER_CORRUPT, in one line naming the channel and `place`. */
async function rejectsCorrupt(fn: () => Promise<unknown>, place: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.instanceOf(caught, LedgerError);
  const e = caught as LedgerError;
  assert.equal(e.code, 'LEDGER_CORRUPT');
  assert.match(e.message, /channel weft/);
  assert.match(e.message, place);
  assert.notInclude(e.message, '\n');
}

describe('ledger on disk (classic-level)', () => {
  it('everything persists across a reopen, with or without the genesis', async () => {
    const path = await storeAt('persist', f.blocks.length);
    await withDb(path, async (db) => {
      const ledger = await ChannelLedger.open({ db, channel: 'weft' });
      assert.deepEqual(ledger.repair.removedBlocks, []);
      await assertMatchesReference(ledger, f, ref);
    });
    await withDb(path, async (db) => {
      const ledger = await ChannelLedger.open({ db, channel: 'weft', genesis: net.genesis });
      await assertMatchesReference(ledger, f, ref);
    });
  });

  it('keys are where LAYOUT.md says', async () => {
    const path = await storeAt('layout', 2);
    await withDb(path, async (db) => {
      const b1 = f.blocks[1]!;
      const head1 = await db.get(rawKey('blocks', u64(1)));
      assert.deepEqual(head1 && new Uint8Array(head1), encodeBlock({ ...b1, data: [] }));
      for (const [i, envelope] of b1.data.entries()) {
        const row = await db.get(rawKey('envelopes', envelopeKey(1, i)));
        assert.deepEqual(row && new Uint8Array(row), envelope);
      }
      assert.isUndefined(await db.get(rawKey('envelopes', envelopeKey(1, b1.data.length))));
      assert.isDefined(await db.get(rawKey('hashes', blockHash(f.blocks[1]!.header))));
      assert.isDefined(await db.get(rawKey('current', utf8('tip'))));
      assert.isDefined(await db.get(rawKey('txs', ref.validations[1]!.txids[0]!)));
    });
  });

  it('a second opener of a store in use gets LEDGER_LOCKED', async () => {
    const path = await storeAt('locked', 1);
    await withDb(path, async () => {
      await rejectsWithCode(() => openNodeDatabase({ path }), 'LEDGER_LOCKED');
    });
  });

  it('refuses a genesis that differs from the stored one', async () => {
    const path = await storeAt('genesis', 2);
    const other = await createDevNetwork({ seed: `${SEED}-other`, channel: 'weft' });
    await withDb(path, async (db) => {
      await rejectsWithCode(
        () => ChannelLedger.open({ db, channel: 'weft', genesis: other.genesis }),
        'LEDGER_GENESIS_MISMATCH',
      );
    });
  });

  it('refuses out-of-order blocks and a wrong previous hash, writing nothing', async () => {
    const path = await storeAt('order', 2);
    await withDb(path, async (db) => {
      const ledger = await ChannelLedger.open({ db, channel: 'weft' });
      const before = await db.iterator().all();
      const info = ledger.info();
      const state = ledger.stateView();
      const attempt = async (block: Block) => {
        const hash = blockHash(block.header);
        const validation = await validateBlock({ block, channel: net.channel, state });
        const { codes, writes } = validation;
        const commitHash = computeCommitHash({
          previous: info.commitHash,
          blockHash: hash,
          codes,
          writes,
        });
        return ledger.commitBlock({ block, hash, validation, commitHash });
      };
      await rejectsWithCode(() => attempt(f.blocks[3]!), 'LEDGER_BLOCK_NUMBER');
      await rejectsWithCode(() => attempt(f.blocks[1]!), 'LEDGER_BLOCK_NUMBER');
      const tip = { number: 1, hash: new Uint8Array(32).fill(7), timestamp: net.time };
      const forked = await buildBlock(net, tip, f.blocks[2]!.data);
      await rejectsWithCode(() => attempt(forked), 'LEDGER_PREVIOUS_HASH');
      assert.deepEqual(await db.iterator().all(), before);
      assert.deepEqual(ledger.info(), info);
      await commitBlocks(ledger, net, f.blocks.slice(2));
      await assertMatchesReference(ledger, f, ref);
    });
  });

  it('open() removes a block written past the savepoint, and its txid entries', async () => {
    const path = await storeAt('repair', 3);
    const extra = f.blocks[3]!;
    const txid = ref.validations[3]!.txids[1]!;
    await withDb(path, async (db) => {
      await db.put(rawKey('blocks', u64(3)), encodeBlock({ ...extra, data: [] }));
      for (const [i, envelope] of extra.data.entries())
        await db.put(rawKey('envelopes', envelopeKey(3, i)), envelope);
      // What a torn multi-batch write would also have left: the block's txid entries.
      const entry = { block: 3, index: 1, code: TxCode.VALID };
      await db.put(rawKey('txs', txid), encodeTxEntry(entry));
    });
    await withDb(path, async (db) => {
      const ledger = await ChannelLedger.open({ db, channel: 'weft' });
      assert.deepEqual(ledger.repair.removedBlocks, [3]);
      assert.isUndefined(await db.get(rawKey('blocks', u64(3))));
      assert.isUndefined(await db.get(rawKey('envelopes', envelopeKey(3, 0))));
      assert.isUndefined(await db.get(rawKey('txs', txid)));
      await assertMatchesReference(ledger, f, await replay(f, 3));
      await commitBlocks(ledger, net, [extra]);
      await assertMatchesReference(ledger, f, ref);
    });
    await withDb(path, async (db) => {
      const ledger = await ChannelLedger.open({ db, channel: 'weft' });
      assert.deepEqual(ledger.repair.removedBlocks, []);
    });
  });

  it('a corrupt block fails its queries with LEDGER_CORRUPT naming channel and block', async () => {
    const path = await storeAt('corrupt-block', f.blocks.length);
    const txid = ref.validations[2]!.txids[0]!;
    await withDb(path, async (db) => {
      const one = encodeBlock({ ...f.blocks[1]!, data: [] });
      await db.put(rawKey('blocks', u64(1)), one.subarray(0, one.length - 1));
      // Damage the first envelope of block 2: its row still reads, the data hash fails.
      const two = f.blocks[2]!.data[0]!.slice();
      two[0] = two[0]! ^ 0xff;
      await db.put(rawKey('envelopes', envelopeKey(2, 0)), two);
      // Lose an envelope of block 3.
      await db.del(rawKey('envelopes', envelopeKey(3, 1)));
    });
    await withDb(path, async (db) => {
      // open() checks only the tip; blocks 1 and 2 are found corrupt when read.
      const ledger = await ChannelLedger.open({ db, channel: 'weft' });
      await rejectsCorrupt(() => ledger.getBlock(1), /block 1 /);
      await rejectsCorrupt(() => ledger.getBlock(2), /block 2 /);
      await rejectsCorrupt(() => ledger.getBlockByHash(blockHash(f.blocks[2]!.header)), /block 2 /);
      await rejectsCorrupt(() => ledger.getTransaction(txid), /block 2 /);
      await rejectsCorrupt(() => ledger.getBlock(3), /block 3 .*envelopes/);
      assert.equal((await ledger.getBlock(0))?.number, 0);
    });
  });

  it('a corrupt tip block or current-state record fails open() with LEDGER_CORRUPT', async () => {
    const tipPath = await storeAt('corrupt-tip', f.blocks.length);
    await withDb(tipPath, async (db) => {
      await db.put(rawKey('blocks', u64(3)), utf8('garbage'));
    });
    await withDb(tipPath, async (db) => {
      await rejectsCorrupt(() => ChannelLedger.open({ db, channel: 'weft' }), /block 3 /);
    });
    const currentPath = await storeAt('corrupt-current', 2);
    await withDb(currentPath, async (db) => {
      await db.put(rawKey('current', utf8('tip')), Uint8Array.of(0xa0));
    });
    await withDb(currentPath, async (db) => {
      await rejectsCorrupt(() => ChannelLedger.open({ db, channel: 'weft' }), /current-state/);
    });
  });

  it('a corrupt state value fails reads and validation with LEDGER_CORRUPT naming the key', async () => {
    const path = await storeAt('corrupt-state', f.blocks.length);
    const key = ref.validations[3]!.writes.find((w) => w.value !== null)!.key;
    await withDb(path, async (db) => {
      await db.put(rawKey('state', utf8(key)), Uint8Array.of(0x18, 0x01));
    });
    await withDb(path, async (db) => {
      const ledger = await ChannelLedger.open({ db, channel: 'weft' });
      await rejectsCorrupt(() => ledger.getState(key), new RegExp(key.replace('.', '\\.')));
      await rejectsCorrupt(() => ledger.stateView().get(key), /table state/);
    });
  });
});
