// Spends awaiting a verdict: their inputs stay locked until a verified
// verdict, a refusal before ordering, or expiry releases them.
import { TxCode } from '@weft/core';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { TransportError } from '../../src/errors.js';
import { DEFAULT_PENDING_EXPIRY_MS } from '../../src/wallet/index.js';
import { commitProposal, HoldingGateway, honestGateway, txidOf } from './gateway.js';
import { funded, newWallet, usdIs, world } from './wallet-world.js';

async function setup(seed: string, amounts: bigint[]) {
  const w = await world(seed);
  const { wallet: alice } = await funded(w, 'alice', amounts);
  const bob = await newWallet(w, 'bob');
  const to = (await bob.receive()).ownerKey;
  return { w, alice, bob, to };
}

describe('Fabcoin wallet: pending spends', () => {
  it('does not reuse the inputs of a spend awaiting its verdict, and settles it once verified', async () => {
    const { w, alice, bob, to } = await setup('pending-locks', [10n, 20n]);
    const holding = new HoldingGateway(w.ledger);
    w.transport.onSubmit = holding.handler;

    const first = await alice.spend({ to, label: 'USD', amount: 15n });
    assert.equal(first.status, 'pending', 'not in any block yet');
    await usdIs(alice, { spendable: 10n, locked: 20n });

    const second = await alice.spend({ to, label: 'USD', amount: 10n });
    assert.equal(second.status, 'pending');
    assert.isEmpty(
      first.inputs.filter((k) => second.inputs.includes(k)),
      'disjoint inputs',
    );
    await usdIs(alice, { locked: 30n });
    await rejectsWithCode(
      () => alice.spend({ to, label: 'USD', amount: 1n }),
      'WALLET_INSUFFICIENT_FUNDS',
    );
    assert.lengthOf(alice.history().pending, 2);

    await holding.release();
    const settled = await alice.refresh();
    assert.deepEqual(
      settled.map((s) => s.outcome),
      ['valid', 'valid'],
    );
    await usdIs(alice, { spendable: 5n });
    await usdIs(bob, { spendable: 25n });
    assert.lengthOf(alice.history().pending, 0);
  });

  it('concurrent spends choose disjoint inputs', async () => {
    const { w, alice, bob, to } = await setup('pending-concurrent', [10n, 10n, 10n]);
    const holding = new HoldingGateway(w.ledger);
    w.transport.onSubmit = holding.handler;
    const spends = await Promise.all(
      [1, 2, 3].map(() => alice.spend({ to, label: 'USD', amount: 10n })),
    );
    const inputs = spends.flatMap((s) => s.inputs);
    assert.equal(new Set(inputs).size, 3);
    await rejectsWithCode(
      () => alice.spend({ to, label: 'USD', amount: 10n }),
      'WALLET_INSUFFICIENT_FUNDS',
    );
    await holding.release();
    await usdIs(bob, { spendable: 30n });
    await usdIs(alice, {});
  });

  it('releases the inputs of a spend the peers judge invalid', async () => {
    const { w, alice, bob, to } = await setup('pending-invalid', [10n, 20n]);
    // One endorsement where the channel's policy wants every peer org's: VSCC marks it invalid.
    w.transport.onSubmit = honestGateway(w.ledger, { endorsers: w.ledger.net.peers.slice(0, 1) });
    const spent = await alice.spend({ to, label: 'USD', amount: 20n });
    assert.equal(spent.status, 'invalid');
    if (spent.verdict.status === 'invalid') assert.notEqual(spent.verdict.code, TxCode.VALID);
    const [record] = alice.history().history;
    assert.equal(record?.outcome, 'invalid');
    assert.equal(record?.reason, 'ENDORSEMENT_POLICY_FAILURE');
    await usdIs(alice, { spendable: 30n });
    await usdIs(bob, {});

    w.transport.onSubmit = honestGateway(w.ledger);
    assert.equal((await alice.spend({ to, label: 'USD', amount: 20n })).status, 'valid');
    await usdIs(bob, { spendable: 20n });
  });

  it('a refusal before ordering releases the inputs at once', async () => {
    const { w, alice, to } = await setup('pending-refused', [10n]);
    w.transport.onSubmit = async () => {
      throw new TransportError('GATEWAY_ENDORSEMENT_FAILED', 'policy not met', { remote: true });
    };
    await rejectsWithCode(
      () => alice.spend({ to, label: 'USD', amount: 10n }),
      'WALLET_SPEND_REFUSED',
    );
    assert.deepEqual(
      alice.history().history.map((h) => [h.outcome, h.reason]),
      [['refused', 'GATEWAY_ENDORSEMENT_FAILED']],
    );
    await usdIs(alice, { spendable: 10n });
  });

  it('an ambiguous failure keeps the inputs until a verdict, or until the spend expires unseen', async () => {
    const { w, alice, bob, to } = await setup('pending-ambiguous', [10n, 20n]);
    // The gateway ordered it, but the answer was lost: the verdict still arrives.
    w.transport.onSubmit = async (sp) => {
      await commitProposal(w.ledger, sp);
      throw new TransportError('NET_TIMEOUT', 'no answer');
    };
    const delivered = await alice.spend({ to, label: 'USD', amount: 10n });
    assert.equal(delivered.status, 'valid');
    assert.equal(delivered.followError, 'NET_TIMEOUT');
    await usdIs(bob, { spendable: 10n });

    // Lost for good: locked until the expiry, then released.
    w.transport.onSubmit = async () => {
      throw new TransportError('NET_TIMEOUT', 'no answer');
    };
    const lost = await alice.spend({ to, label: 'USD', amount: 20n });
    assert.equal(lost.status, 'pending');
    await usdIs(alice, { locked: 20n });
    w.clock.now += DEFAULT_PENDING_EXPIRY_MS - 1;
    assert.deepEqual(await alice.refresh(), []);
    w.clock.now += 1;
    const [expired] = await alice.refresh();
    assert.equal(expired?.outcome, 'expired');
    assert.deepEqual(expired?.txid, txidOf(w.transport.submitted.at(-1)!));
    await usdIs(alice, { spendable: 20n });
  });

  it('survives a reload: a pending spend is remembered in the vault', async () => {
    const { w, alice, to } = await setup('pending-reload', [10n]);
    const holding = new HoldingGateway(w.ledger);
    w.transport.onSubmit = holding.handler;
    await alice.spend({ to, label: 'USD', amount: 10n });
    alice.session.lock();
    await alice.session.unlock('correct horse battery staple');
    assert.lengthOf(alice.history().pending, 1);
    await usdIs(alice, { locked: 10n });
    await holding.release();
    await usdIs(alice, {});
    assert.equal(alice.history().history[0]?.outcome, 'valid');
  });
});
