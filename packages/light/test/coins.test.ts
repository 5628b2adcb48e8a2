import { coinKey, TxCode } from '@weft/core';
import { buildMint } from '@weft/core/dev';
import { assert, describe, it } from '@weft/test/harness';
import { DevLedger } from './support/dev-ledger.js';
import { buildFixture, hostile, lightClient } from './support/fixture.js';

const fx = await buildFixture('light-coins');
const { ledger, alice, bob, txids } = fx;

const summary = (coins: { amount: bigint; label: string; status: string }[]) =>
  coins.map((c) => `${c.amount} ${c.label} ${c.status}`).sort();

describe("an owner's coins, each checked against its creating transaction", () => {
  it('lists verified coins and balances from valid coins only', async () => {
    const { verifier } = await lightClient(ledger);
    const a = await verifier.coins(alice.publicKey);
    assert.isTrue(a.complete);
    assert.deepEqual(summary(a.coins), ['20 USD valid', '6 USD valid']);
    assert.deepEqual(a.balances, { USD: 26n });
    const b = await verifier.coins(bob.publicKey);
    assert.deepEqual(summary(b.coins), ['4 USD valid', '5 USD valid', '7 FBC valid']);
    assert.deepEqual(b.balances, { USD: 9n, FBC: 7n });
    for (const c of b.coins) {
      assert.equal(c.code, TxCode.VALID);
      assert.isAtLeast(c.block!, 1);
    }
    // One coin per page gives the same list.
    const paged = await verifier.coins(bob.publicKey, { pageSize: 1 });
    assert.deepEqual(
      paged.coins.map((c) => c.key),
      b.coins.map((c) => c.key),
    );
  });

  it('an invented or altered coin is unverifiable and does not count', async () => {
    const { verifier, transport } = await lightClient(ledger, [
      hostile(ledger, {
        coins: (page) => ({
          ...page,
          coins: page.coins.map((c) => (c.label === 'FBC' ? { ...c, amount: 700n } : c)),
        }),
      }),
    ]);
    const list = await verifier.coins(bob.publicKey);
    assert.deepEqual(summary(list.coins), ['4 USD valid', '5 USD valid', '700 FBC unverifiable']);
    assert.deepEqual(list.balances, { USD: 9n });
    assert.deepEqual(transport.blamed, [{ node: 'hostile', code: 'LIGHT_COIN_MISMATCH' }]);
  });

  it("someone else's coin, or a coin key naming another output, is unverifiable", async () => {
    const aliceCoins = ledger.coinsOf(alice.publicKey);
    const { verifier } = await lightClient(ledger, [
      hostile(ledger, {
        coins: (page) => ({ coins: [...page.coins, aliceCoins[0]!].sort(byKey) }),
      }),
    ]);
    const list = await verifier.coins(bob.publicKey);
    assert.include(summary(list.coins), `${aliceCoins[0]!.amount} USD unverifiable`);

    // Output 1 of the mint offered under key .0 (amount and label of output 1).
    const mintCoin = ledger.coinsOf(bob.publicKey).find((c) => c.label === 'FBC')!;
    const renamed = { ...mintCoin, key: coinKey(txids.mintBob, 0) };
    const second = await lightClient(ledger, [
      hostile(ledger, { coins: () => ({ coins: [renamed] }) }),
    ]);
    assert.deepEqual(summary((await second.verifier.coins(bob.publicKey)).coins), [
      '7 FBC unverifiable',
    ]);
  });

  it('a coin from an invalid transaction never existed', async () => {
    // The invalid spend's output 0 (1 USD to alice), offered as hers.
    const bad = ledger.lightTx(txids.bad)!;
    const ghost = { key: coinKey(txids.bad, 0), amount: 1n, label: 'USD', tx: bad };
    const { verifier, transport } = await lightClient(ledger, [
      hostile(ledger, { coins: (page) => ({ coins: [ghost, ...page.coins].sort(byKey) }) }),
    ]);
    const list = await verifier.coins(alice.publicKey);
    assert.include(summary(list.coins), '1 USD invalid');
    assert.deepEqual(list.balances, { USD: 26n });
    assert.deepEqual(transport.blamed, [{ node: 'hostile', code: 'LIGHT_INVALID_COIN' }]);
  });

  it('a coin whose block is not attested yet is included, not counted', async () => {
    const local = await DevLedger.create({ seed: 'light-coins-few' });
    const mint = await buildMint(local.net, [{ amount: 8n, owner: bob.publicKey, label: 'USD' }]);
    await local.append([mint.bytes], local.net.peers.slice(0, 1));
    const { verifier } = await lightClient(local);
    const list = await verifier.coins(bob.publicKey);
    assert.deepEqual(summary(list.coins), ['8 USD included']);
    assert.deepEqual(list.balances, {});
  });

  it('paging that goes backwards or repeats ends the listing incomplete', async () => {
    const { verifier, transport } = await lightClient(ledger, [
      hostile(ledger, {
        coins: (page) => ({ coins: page.coins, next: '0'.repeat(64).concat('.0') }),
      }),
    ]);
    const list = await verifier.coins(bob.publicKey, { pageSize: 1 });
    assert.isFalse(list.complete);
    assert.lengthOf(list.coins, 1);
    assert.deepEqual(transport.blamed, [{ node: 'hostile', code: 'LIGHT_BAD_COIN_PAGE' }]);
  });
});

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
