import {
  blockHash,
  codesHash,
  coinKey,
  computeCommitHash,
  decodeCoin,
  signAttestation,
  TxCode,
  verifyAttestation,
} from '@weft/core';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { ChannelLedger, openNodeDatabase } from '../../src/ledger/index.js';
import {
  alice,
  allCoins,
  assertMatchesReference,
  bob,
  buildFixture,
  codeNames,
  commitBlocks,
  replay,
} from './fixture.js';

const f = await buildFixture();
const ref = await replay(f);

async function freshLedger() {
  const db = await openNodeDatabase();
  const ledger = await ChannelLedger.open({ db, channel: 'weft', genesis: f.net.genesis });
  return { db, ledger };
}

describe('ledger: commit and query (memory-level)', () => {
  it('the fixture exercises mints, spends, double spends and invalid transactions', () => {
    assert.deepEqual(codeNames(ref.validations[2]!), [
      'VALID',
      'MVCC_READ_CONFLICT',
      'BAD_PAYLOAD',
      'FABCOIN_INVALID',
      'DUPLICATE_TXID',
      'VALID',
    ]);
    assert.deepEqual(codeNames(ref.validations[3]!), [
      'MVCC_READ_CONFLICT',
      'VALID',
      'VALID',
      'DUPLICATE_TXID',
    ]);
  });

  it('a new ledger holds genesis as block 0 with the commitHash DevChain starts from', async () => {
    const { ledger } = await freshLedger();
    const genesisOnly = await replay(f, 1);
    await assertMatchesReference(ledger, f, genesisOnly);
    assert.deepEqual(await ledger.config(), f.net.config);
  });

  it('every query agrees with the reference replay after each block', async () => {
    const { ledger } = await freshLedger();
    for (let height = 2; height <= f.blocks.length; height++) {
      await commitBlocks(ledger, f.net, [f.blocks[height - 1]!]);
      await assertMatchesReference(ledger, f, await replay(f, height));
    }
  });

  it('spent coins leave the owner index and new ones join it', async () => {
    const { ledger } = await freshLedger();
    await commitBlocks(ledger, f.net, f.blocks.slice(1));
    const aliceKeys = (await allCoins(ledger, alice.publicKey, 3)).map((c) => c.key);
    const m1 = ref.validations[1]!.txids[0]!;
    assert.notInclude(aliceKeys, coinKey(m1, 0));
    assert.notInclude(aliceKeys, coinKey(m1, 1));
    const bobCoins = await allCoins(ledger, bob.publicKey, 3);
    assert.deepEqual(
      bobCoins.map((c) => [c.coin.amount, c.coin.label]).sort(),
      [
        [30n, 'USD'],
        [7n, 'FBC'],
      ].sort(),
    );
    for (const { key, coin } of bobCoins) {
      assert.deepEqual(decodeCoin((await ledger.getState(key))!.value), coin);
    }
  });

  it('a txid seen twice points at its first, recorded, transaction', async () => {
    const { ledger } = await freshLedger();
    await commitBlocks(ledger, f.net, f.blocks.slice(1));
    const replayed = ref.validations[1]!.txids[1]!;
    assert.isUndefined(ref.validations[2]!.txids[4]);
    const tx = await ledger.getTransaction(replayed);
    assert.deepInclude(tx, { block: 1, index: 1, code: TxCode.VALID });
    assert.isUndefined(await ledger.getTransaction(new Uint8Array(32)));
    assert.isFalse(await ledger.stateView().hasTxid(new Uint8Array(32)));
  });

  it('coin pages reject bad arguments', async () => {
    const { ledger } = await freshLedger();
    const owner = alice.publicKey;
    await rejectsWithCode(() => ledger.getCoins({ owner, limit: 0 }), 'LEDGER_BAD_QUERY');
    await rejectsWithCode(() => ledger.getCoins({ owner, limit: 1001 }), 'LEDGER_BAD_QUERY');
    await rejectsWithCode(
      () => ledger.getCoins({ owner: owner.subarray(1), limit: 1 }),
      'LEDGER_BAD_QUERY',
    );
    await rejectsWithCode(
      () => ledger.getCoins({ owner, limit: 1, after: 'x' }),
      'LEDGER_BAD_QUERY',
    );
  });

  it('stores its own attestation with the block and others added later', async () => {
    const { ledger } = await freshLedger();
    const [own, other] = f.net.peers;
    await commitBlocks(ledger, f.net, f.blocks.slice(1, 2), { attester: own });
    const stored = await ledger.getAttestations(1);
    assert.lengthOf(stored, 1);
    const { channel, number, blockHash, codesHash, commitHash } = stored[0]!;
    const body = { channel, number, blockHash, codesHash, commitHash };
    const theirs = await signAttestation(body, other!.signer, other!.cert);
    await ledger.addAttestation(theirs);
    const both = await ledger.getAttestations(1);
    assert.sameDeepMembers(both, [stored[0]!, theirs]);
    for (const a of both) await verifyAttestation(a, { channel: f.net.channel, at: f.net.time });
    assert.deepEqual(await ledger.getAttestations(0), []);
    await rejectsWithCode(
      () => ledger.addAttestation({ ...theirs, channel: 'other' }),
      'LEDGER_CHANNEL',
    );
  });

  it('refuses an attestation or commitHash that does not fit the block, writing nothing', async () => {
    const { db, ledger } = await freshLedger();
    const before = await db.keys().all();
    const block = f.blocks[1]!;
    const hash = blockHash(block.header);
    const validation = ref.validations[1]!;
    const commitHash = ref.commitHashes[1]!;
    const peer = f.net.peers[0]!;
    const body = {
      channel: 'weft',
      number: 1,
      blockHash: hash,
      codesHash: codesHash(validation.codes),
      commitHash: new Uint8Array(32),
    };
    const attestation = await signAttestation(body, peer.signer, peer.cert);
    await rejectsWithCode(
      () => ledger.commitBlock({ block, hash, validation, commitHash, attestation }),
      'LEDGER_BAD_COMMIT',
    );
    const wrong = computeCommitHash({ previous: hash, blockHash: hash, codes: [], writes: [] });
    await rejectsWithCode(
      () => ledger.commitBlock({ block, hash, validation, commitHash: wrong }),
      'LEDGER_BAD_COMMIT',
    );
    await rejectsWithCode(
      () => ledger.commitBlock({ block, hash: commitHash, validation, commitHash }),
      'LEDGER_BAD_COMMIT',
    );
    assert.deepEqual(await db.keys().all(), before);
    assert.equal(ledger.info().height, 1);
  });

  it('commits issued together run one after the other', async () => {
    const { ledger } = await freshLedger();
    const commits = [1, 2, 3].map((n) =>
      ledger.commitBlock({
        block: f.blocks[n]!,
        hash: blockHash(f.blocks[n]!.header),
        validation: ref.validations[n]!,
        commitHash: ref.commitHashes[n]!,
      }),
    );
    const infos = await Promise.all(commits);
    assert.deepEqual(
      infos.map((i) => i.height),
      [2, 3, 4],
    );
    await assertMatchesReference(ledger, f, ref);
  });

  it('a closed ledger refuses writes', async () => {
    const { ledger } = await freshLedger();
    await ledger.close();
    await rejectsWithCode(() => commitBlocks(ledger, f.net, f.blocks.slice(1, 2)), 'LEDGER_CLOSED');
  });
});
