import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { ChannelLedger, openNodeDatabase } from '../../src/ledger/index.js';
import {
  alice,
  allCoins,
  assertMatchesReference,
  buildFixture,
  commitBlocks,
  replay,
} from './fixture.js';

const alpha = await buildFixture('alpha');
const beta = await buildFixture('beta');

describe('ledger: channels in one database', () => {
  it('two channels in one root database do not see each other', async () => {
    const db = await openNodeDatabase();
    const a = await ChannelLedger.open({ db, channel: 'alpha', genesis: alpha.net.genesis });
    const b = await ChannelLedger.open({ db, channel: 'beta', genesis: beta.net.genesis });
    await commitBlocks(a, alpha.net, alpha.blocks.slice(1));
    await commitBlocks(b, beta.net, beta.blocks.slice(1, 2));
    await assertMatchesReference(a, alpha, await replay(alpha));
    await assertMatchesReference(b, beta, await replay(beta, 2));

    const betaRef = await replay(beta, 2);
    const betaTxid = betaRef.validations[1]!.txids[0]!;
    assert.isUndefined(await a.getTransaction(betaTxid));
    assert.isFalse(await a.stateView().hasTxid(betaTxid));
    const betaCoin = betaRef.validations[1]!.writes[0]!.key;
    assert.isUndefined(await a.getState(betaCoin));
    const aliceInA = (await allCoins(a, alice.publicKey, 100)).map((c) => c.key);
    const aliceInB = (await allCoins(b, alice.publicKey, 100)).map((c) => c.key);
    assert.isNotEmpty(aliceInB);
    for (const key of aliceInB) assert.notInclude(aliceInA, key);
    assert.deepEqual(await a.getAttestations(1), []);
    assert.notDeepEqual(a.info().genesisHash, b.info().genesisHash);
  });

  it('a channel keeps its data when another is written, and opens once at a time', async () => {
    const db = await openNodeDatabase();
    const a = await ChannelLedger.open({ db, channel: 'alpha', genesis: alpha.net.genesis });
    await commitBlocks(a, alpha.net, alpha.blocks.slice(1));
    const b = await ChannelLedger.open({ db, channel: 'beta', genesis: beta.net.genesis });
    await commitBlocks(b, beta.net, beta.blocks.slice(1));
    await rejectsWithCode(() => ChannelLedger.open({ db, channel: 'alpha' }), 'LEDGER_IN_USE');
    await a.close();
    const again = await ChannelLedger.open({ db, channel: 'alpha' });
    await assertMatchesReference(again, alpha, await replay(alpha));
  });

  it('refuses a genesis of another channel, a bad name, and a first open without genesis', async () => {
    const db = await openNodeDatabase();
    await rejectsWithCode(
      () => ChannelLedger.open({ db, channel: 'alpha', genesis: beta.net.genesis }),
      'LEDGER_CHANNEL',
    );
    await rejectsWithCode(() => ChannelLedger.open({ db, channel: 'Alpha!' }), 'LEDGER_CHANNEL');
    await rejectsWithCode(() => ChannelLedger.open({ db, channel: 'gamma' }), 'LEDGER_NO_GENESIS');
    assert.deepEqual(await db.keys().all(), []);
  });

  it('refuses a block of another channel, writing nothing', async () => {
    const db = await openNodeDatabase();
    const a = await ChannelLedger.open({ db, channel: 'alpha', genesis: alpha.net.genesis });
    const betaRef = await replay(beta, 2);
    const before = await db.keys().all();
    await rejectsWithCode(
      () =>
        a.commitBlock({
          block: beta.blocks[1]!,
          hash: betaRef.chain.tip.hash,
          validation: betaRef.validations[1]!,
          commitHash: betaRef.commitHashes[1]!,
        }),
      'LEDGER_CHANNEL',
    );
    assert.deepEqual(await db.keys().all(), before);
  });
});
