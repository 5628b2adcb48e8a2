// The ledger queries behind /weft/light/1.0.0: block heads for header sync
// and transactions with RFC 6962 inclusion proofs to their block's dataHash.
import {
  blockHash,
  concatBytes,
  envelopeHash,
  inclusionProof,
  parseTx,
  sha256,
  toHex,
  utf8,
  verifyInclusion,
} from '@weft/core';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { ChannelLedger, MAX_COIN_PAGE, openNodeDatabase } from '../../src/ledger/index.js';
import { envelopeKey, u64 } from '../../src/ledger/keys.js';
import { MAX_HEAD_RANGE } from '../../src/ledger/queries.js';
import { buildFixture, commitBlocks, replay } from './fixture.js';

const f = await buildFixture();
const ref = await replay(f);

async function committedLedger() {
  const db = await openNodeDatabase();
  const ledger = await ChannelLedger.open({ db, channel: 'weft', genesis: f.net.genesis });
  await commitBlocks(ledger, f.net, f.blocks.slice(1));
  return { db, ledger };
}

/** Every (block, index, txid) the ledger records, from the reference replay. */
const recorded = ref.validations.flatMap((v, block) =>
  v.txids.flatMap((txid, index) => (txid ? [{ block, index, txid }] : [])),
);

describe('ledger: light-client queries', () => {
  it('the fixture has multi-envelope blocks and unrecorded duplicates', () => {
    assert.deepEqual(
      f.blocks.map((b) => b.data.length),
      [1, 3, 6, 4],
    );
    // Block 2 repeats a block-1 mint and block 3 repeats an envelope: neither copy is recorded.
    assert.isUndefined(ref.validations[2]!.txids[4]);
    assert.isUndefined(ref.validations[3]!.txids[3]);
    assert.isAtLeast(recorded.length, 10);
  });

  it('getBlockHead is each block without its envelopes; nothing past the head', async () => {
    const { ledger } = await committedLedger();
    for (const [n, block] of f.blocks.entries()) {
      assert.deepEqual(await ledger.getBlockHead(n), {
        number: n,
        hash: blockHash(block.header),
        header: block.header,
        signatures: block.signatures,
      });
    }
    for (const n of [f.blocks.length, -1, 1.5, Number.NaN, 2 ** 53]) {
      assert.isUndefined(await ledger.getBlockHead(n), String(n));
    }
  });

  it('getBlockHeads of any range is getBlockHead of each block, up to the head', async () => {
    const { ledger } = await committedLedger();
    const n = f.blocks.length;
    for (let from = 0; from <= n + 1; from++) {
      for (let count = 0; count <= n + 2; count++) {
        const one: unknown[] = [];
        for (let b = from; b < from + count; b++) {
          const head = await ledger.getBlockHead(b);
          if (!head) break;
          one.push(head);
        }
        assert.deepEqual(await ledger.getBlockHeads(from, count), one, `${from}+${count}`);
      }
    }
    assert.lengthOf(await ledger.getBlockHeads(1, MAX_HEAD_RANGE), n - 1);
    for (const from of [-1, 1.5, Number.NaN, 2 ** 53]) {
      assert.deepEqual(await ledger.getBlockHeads(from, 2), [], String(from));
    }
    for (const count of [-1, 1.5, Number.NaN, MAX_HEAD_RANGE + 1]) {
      await rejectsWithCode(() => ledger.getBlockHeads(0, count), 'LEDGER_BAD_QUERY');
    }
  });

  it('getBlockHeads stops before a missing block and refuses half a block or a damaged head', async () => {
    const { db, ledger } = await committedLedger();
    const row = (table: string, n: number) => concatBytes(utf8(`!ledger!!weft!!${table}!`), u64(n));
    const numbers2 = await db.get(row('numbers', 2));
    const blocks2 = await db.get(row('blocks', 2));
    await db.del(row('numbers', 2));
    await db.del(row('blocks', 2));
    assert.deepEqual(
      (await ledger.getBlockHeads(0, 4)).map((h) => h.number),
      [0, 1],
    );
    // One of the two rows alone is damage, as it is for getBlockHead.
    await db.put(row('blocks', 2), blocks2!);
    await rejectsWithCode(() => ledger.getBlockHeads(1, 2), 'LEDGER_CORRUPT');
    await rejectsWithCode(() => ledger.getBlockHead(2), 'LEDGER_CORRUPT');
    await db.put(row('numbers', 2), numbers2!);
    assert.lengthOf(await ledger.getBlockHeads(0, 4), 4);
    // Block 3's head stored under block 2: it does not hash to block 2's hash.
    await db.put(row('blocks', 2), (await db.get(row('blocks', 3)))!);
    await rejectsWithCode(() => ledger.getBlockHeads(0, 4), 'LEDGER_CORRUPT');
    assert.lengthOf(await ledger.getBlockHeads(0, 2), 2);
  });

  it('every recorded transaction has the proof core would build, reaching its dataHash', async () => {
    const { ledger } = await committedLedger();
    for (const { block, index, txid } of recorded) {
      const b = f.blocks[block]!;
      const p = await ledger.getTransactionProof(txid);
      assert.isDefined(p, toHex(txid));
      const leaves = b.data.map(envelopeHash);
      assert.deepEqual(
        { block: p!.block, index: p!.index, treeSize: p!.treeSize, codes: p!.codes },
        { block, index, treeSize: b.data.length, codes: ref.validations[block]!.codes },
      );
      assert.equal(p!.code, p!.codes[index]);
      assert.deepEqual(p!.envelope, b.data[index]);
      assert.deepEqual(p!.proof, inclusionProof(leaves, index));
      const claim = { index, treeSize: p!.treeSize, proof: p!.proof, root: b.header.dataHash };
      assert.isTrue(verifyInclusion({ ...claim, leafData: envelopeHash(p!.envelope) }));
      // The leaf is H(envelope), not the envelope.
      assert.isFalse(verifyInclusion({ ...claim, leafData: p!.envelope }));
    }
  });

  it('a repeated envelope proves its recorded (first) copy; an unknown txid has none', async () => {
    const { ledger } = await committedLedger();
    const repeated = parseTx(f.blocks[3]!.data[3]!).txid;
    const p = await ledger.getTransactionProof(repeated);
    assert.deepEqual([p?.block, p?.index], [3, 2]);
    assert.isUndefined(await ledger.getTransactionProof(sha256(utf8('no such transaction'))));
  });

  it('a batch keeps the order and leaves unknown txids undefined', async () => {
    const { ledger } = await committedLedger();
    const unknown = sha256(utf8('unknown'));
    const picks = [recorded.at(-1)!, recorded[1]!, recorded[4]!, recorded[2]!];
    const txids = [picks[0]!.txid, unknown, picks[1]!.txid, picks[2]!.txid, picks[3]!.txid];
    const batch = await ledger.getTransactionProofs(txids);
    assert.equal(batch.length, txids.length);
    assert.isUndefined(batch[1]);
    for (const [i, txid] of txids.entries()) {
      assert.deepEqual(batch[i], await ledger.getTransactionProof(txid), `item ${i}`);
    }
    assert.deepEqual(await ledger.getTransactionProofs([]), []);
    await rejectsWithCode(
      () => ledger.getTransactionProofs(Array.from({ length: MAX_COIN_PAGE + 1 }, () => unknown)),
      'LEDGER_BAD_QUERY',
    );
  });

  it('a damaged envelope fails a proof with LEDGER_CORRUPT, never a wrong proof', async () => {
    const { db, ledger } = await committedLedger();
    const target = recorded.find((r) => r.block === 2 && r.index === 0)!;
    // Damage another envelope of the same block: the target's own row still reads.
    const damaged = f.blocks[2]!.data[1]!.slice();
    damaged[0] = damaged[0]! ^ 0xff;
    const key = concatBytes(utf8('!ledger!!weft!!envelopes!'), envelopeKey(2, 1));
    await db.put(key, damaged);
    await rejectsWithCode(() => ledger.getTransactionProof(target.txid), 'LEDGER_CORRUPT');
    // Heads do not read envelopes.
    assert.equal((await ledger.getBlockHead(2))?.number, 2);
  });
});
