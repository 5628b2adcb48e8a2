// A gateway and a full node that lie: claims of VALID, forged attestations,
// invented coins and forged transaction answers. None of it moves a balance;
// only verified verdicts do.
import { type LightTx, TxCode, toHex } from '@weft/core';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { txidOf } from './gateway.js';
import { funded, inventCoins, newWallet, usd, usdIs, type World, world } from './wallet-world.js';

async function setup(seed: string) {
  const w = await world(seed);
  const { wallet: alice } = await funded(w, 'alice', [10n, 20n]);
  const bob = await newWallet(w, 'bob');
  const to = (await bob.receive()).ownerKey;
  return { w, alice, bob, to };
}

/** The node serves every attestation of blocks from `from` on with a broken signature. */
function forgeAttestationsFrom(w: World, from: number): void {
  w.tamper.attestations = (list, n) =>
    n < from
      ? list
      : list.map((a) => {
          const signature = a.signature.slice();
          signature[0]! ^= 1;
          return { ...a, signature };
        });
}

describe('Fabcoin wallet: a hostile gateway and full node', () => {
  it('a claimed VALID for a spend whose attestations do not verify moves no balance', async () => {
    const { w, alice, bob, to } = await setup('hostile-attestations');
    forgeAttestationsFrom(w, w.ledger.height);
    const claims: unknown[] = [];
    const honest = w.transport.onSubmit;
    w.transport.onSubmit = async (sp) => {
      const status = await honest(sp);
      claims.push(status);
      return status;
    };
    const spent = await alice.spend({ to, label: 'USD', amount: 10n });
    assert.equal((claims[0] as { code?: number }).code, TxCode.VALID, 'the gateway claims VALID');
    assert.equal(spent.status, 'included', 'in a verified block, but its codes are not attested');
    // The spent coin is gone from the node's list, yet it stays counted (locked) until verified.
    await usdIs(alice, { spendable: 20n, locked: 10n });
    await usdIs(bob, { pending: 10n });
    await rejectsWithCode(
      () => bob.spend({ to, label: 'USD', amount: 10n }),
      'WALLET_NOT_ENROLLED',
    );

    // Honest attestations reach the client: now, and only now, the balances move.
    w.tamper.attestations = undefined;
    assert.deepEqual(
      (await alice.refresh()).map((r) => r.outcome),
      ['valid'],
    );
    await usdIs(alice, { spendable: 20n });
    await usdIs(bob, { spendable: 10n });
  });

  it('a claimed VALID for a spend that was never ordered moves no balance', async () => {
    const { w, alice, bob, to } = await setup('hostile-never-ordered');
    w.transport.onSubmit = async (sp) => ({
      txid: txidOf(sp),
      status: 'committed',
      code: TxCode.VALID,
      block: 1,
      index: 0,
    });
    const spent = await alice.spend({ to, label: 'USD', amount: 10n });
    assert.equal(spent.status, 'pending');
    await usdIs(alice, { spendable: 20n, locked: 10n });
    const { coins } = await bob.coins();
    assert.isEmpty(coins);
  });

  it('a forged answer for the spend itself leaves it unsettled', async () => {
    const { w, alice, to } = await setup('hostile-tx-answer');
    let spendTxid = '';
    w.tamper.tx = (honest, txid): LightTx | undefined => {
      if (toHex(txid) !== spendTxid || !honest) return honest;
      const proof = honest.proof.map((p) => p.slice());
      const sibling = proof[0] ?? new Uint8Array(32);
      sibling[0]! ^= 1;
      return { ...honest, proof: proof.length ? proof : [sibling] };
    };
    const honestSubmit = w.transport.onSubmit;
    w.transport.onSubmit = (sp) => {
      spendTxid = toHex(txidOf(sp));
      return honestSubmit(sp);
    };
    const spent = await alice.spend({ to, label: 'USD', amount: 20n });
    assert.equal(spent.status, 'unverifiable');
    assert.lengthOf(alice.history().pending, 1, 'still awaiting a verdict it can trust');
    assert.include(
      w.transport.blamed.map((b) => b.code),
      'LIGHT_BAD_PROOF',
    );
    const b = await usd(alice);
    assert.deepEqual([b.spendable, b.locked], [10n, 20n]);
  });

  it('coins a node invents for the wallet are shown unverifiable and never spent', async () => {
    const { w, alice, to } = await setup('hostile-coins');
    inventCoins(w, 1000n);
    await usdIs(alice, { spendable: 30n, unverifiable: 1000n });
    const { coins } = await alice.coins();
    assert.equal(coins.find((c) => c.amount === 1000n)?.status, 'unverifiable');
    await rejectsWithCode(
      () => alice.spend({ to, label: 'USD', amount: 31n }),
      'WALLET_INSUFFICIENT_FUNDS',
    );
    assert.lengthOf(w.transport.submitted, 0);
  });
});
