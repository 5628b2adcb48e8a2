// The Fabcoin wallet over a dev ledger and a fake full node with a gateway:
// receiving, verified balances, spends with change, and what is refused
// before anything is signed or sent.
import { encodeCertificate, toHex } from '@weft/core';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { enrolled, funded, mint, newWallet, org1Ca, usdIs, world } from './wallet-world.js';

describe('Fabcoin wallet: receive, balance, spend', () => {
  it('hands out a fresh owner key per receive, with the client certificate once enrolled', async () => {
    const w = await world('wallet-receive');
    const wallet = await newWallet(w, 'alice');
    const first = await wallet.receive();
    const second = await wallet.receive();
    assert.deepEqual([first.index, second.index], [0, 1]);
    assert.notEqual(first.ownerKey, second.ownerKey);
    assert.equal(first.ownerKey, toHex((await wallet.session.ownerKey(0)).publicKey));
    assert.isUndefined(first.certificate);
    assert.equal(wallet.session.metadata().accounts[0]!.nextIndex, 2, 'recorded as handed out');

    const ca = org1Ca(w);
    const cert = await wallet.enroll({
      transport: ca,
      org: 'Org1',
      id: 'user-1',
      secret: 'ab'.repeat(20),
    });
    const identity = await wallet.session.identityKey(0);
    assert.deepEqual(cert.publicKey, identity.publicKey);
    assert.notEqual(toHex(identity.publicKey), first.ownerKey, 'identity and owner keys differ');
    const third = await wallet.receive();
    assert.equal(third.index, 2);
    assert.deepEqual(encodeCertificate(third.certificate!), encodeCertificate(cert));
    assert.deepEqual(wallet.session.metadata().enrollment, {
      account: 0,
      index: 0,
      certificate: cert,
    });

    await rejectsWithCode(
      () => wallet.enroll({ transport: ca, org: 'Org9', id: 'user-2', secret: 'ab'.repeat(20) }),
      'WALLET_UNKNOWN_ORG',
    );
    assert.equal(ca.requests, 1, 'an org the channel does not have is not asked');
  });

  it('counts attested-valid coins as spendable, per label, and unattested ones as pending', async () => {
    const w = await world('wallet-balance');
    const { wallet } = await funded(w, 'alice', [10n, 20n]);
    const fbcKey = (await wallet.receive()).publicKey;
    await mint(w, fbcKey, [7n], { label: 'FBC' });
    const { coins, complete } = await wallet.coins();
    assert.isTrue(complete);
    assert.deepEqual(
      coins.map((c) => `${c.amount} ${c.label} ${c.status} #${c.ownerIndex}`).sort(),
      ['10 USD valid #0', '20 USD valid #0', '7 FBC valid #1'],
    );
    const b = await wallet.balance();
    assert.deepEqual(b.labels, {
      USD: { spendable: 30n, locked: 0n, pending: 0n, unverifiable: 0n },
      FBC: { spendable: 7n, locked: 0n, pending: 0n, unverifiable: 0n },
    });

    // A block no peer has attested yet: included, not valid, not spendable.
    const later = (await wallet.receive()).publicKey;
    await mint(w, later, [5n], { attesters: [] });
    await usdIs(wallet, { spendable: 30n, pending: 5n });
  });

  it('pays the recipient and returns change to a fresh key of the wallet, verified on both sides', async () => {
    const w = await world('wallet-spend');
    const { wallet: alice } = await funded(w, 'alice', [10n, 20n]);
    const bob = await newWallet(w, 'bob');
    const to = (await bob.receive()).ownerKey;

    const paid = await alice.spend({ to, label: 'USD', amount: 15n });
    assert.equal(paid.status, 'valid');
    assert.lengthOf(paid.inputs, 1, 'the smallest coin that covers it');
    assert.equal(paid.change, 5n);
    const changeKey = await alice.session.ownerKey(1);
    assert.deepEqual(
      paid.outputs.map((o) => [o.amount, toHex(o.owner)]),
      [
        [15n, to],
        [5n, toHex(changeKey.publicKey)],
      ],
    );
    assert.equal(alice.session.metadata().accounts[0]!.nextIndex, 2);
    await usdIs(alice, { spendable: 15n });
    await usdIs(bob, { spendable: 15n });

    // Two inputs (10 and the 5 of change), one change output.
    const again = await alice.spend({ to, label: 'USD', amount: 14n });
    assert.equal(again.status, 'valid');
    assert.lengthOf(again.inputs, 2);
    assert.equal(again.change, 1n);
    await usdIs(alice, { spendable: 1n });
    await usdIs(bob, { spendable: 29n });

    // Exactly the last coin: no change output, no new key.
    const last = await alice.spend({ to, label: 'USD', amount: 1n });
    assert.equal(last.status, 'valid');
    assert.lengthOf(last.outputs, 1);
    assert.equal(alice.session.metadata().accounts[0]!.nextIndex, 3);
    await usdIs(alice, {});

    const { pending, history } = alice.history();
    assert.lengthOf(pending, 0);
    assert.deepEqual(
      history.map((h) => [h.outcome, h.amount, h.change]),
      [
        ['valid', 15n, 5n],
        ['valid', 14n, 1n],
        ['valid', 1n, 0n],
      ],
    );
    assert.isNumber(history[0]!.block);
  });

  it('refuses bad orders, missing funds and a missing certificate before signing or sending', async () => {
    const w = await world('wallet-refusals');
    const { wallet } = await funded(w, 'alice', [10n]);
    await mint(w, (await wallet.session.ownerKey(0)).publicKey, [100n], { label: 'FBC' });
    const to = (await (await newWallet(w, 'bob')).receive()).ownerKey;
    await wallet.coins(); // records the received coins in the history first
    const before = wallet.session.metadata();
    const refused = async (order: Parameters<typeof wallet.spend>[0], code: string) => {
      await rejectsWithCode(() => wallet.spend(order), code);
    };
    await refused({ to, label: 'USD', amount: 11n }, 'WALLET_INSUFFICIENT_FUNDS');
    // FBC coins never pay for USD.
    await refused({ to, label: 'USD', amount: 50n }, 'WALLET_INSUFFICIENT_FUNDS');
    await refused({ to, label: 'USD', amount: 0n }, 'WALLET_BAD_AMOUNT');
    await refused({ to, label: 'USD', amount: -1n }, 'WALLET_BAD_AMOUNT');
    await refused({ to, label: 'USD', amount: 1n << 64n }, 'WALLET_BAD_AMOUNT');
    await refused({ to, label: 'USD', amount: 1 as unknown as bigint }, 'WALLET_BAD_AMOUNT');
    await refused({ to, label: 'US D', amount: 1n }, 'WALLET_BAD_LABEL');
    await refused({ to, label: '', amount: 1n }, 'WALLET_BAD_LABEL');
    await refused({ to: 'xyz', label: 'USD', amount: 1n }, 'WALLET_BAD_RECIPIENT');
    await refused({ to: new Uint8Array(31), label: 'USD', amount: 1n }, 'WALLET_BAD_RECIPIENT');
    assert.lengthOf(w.transport.submitted, 0, 'nothing was sent');
    assert.deepEqual(wallet.session.metadata(), before, 'no key allocated, nothing journalled');

    const unenrolled = await newWallet(w, 'carol');
    await mint(w, (await unenrolled.receive()).publicKey, [5n]);
    await usdIs(unenrolled, { spendable: 5n });
    await rejectsWithCode(
      () => unenrolled.spend({ to, label: 'USD', amount: 5n }),
      'WALLET_NOT_ENROLLED',
    );
    assert.lengthOf(w.transport.submitted, 0);
  });

  it('a wallet restored from its mnemonic finds coins within the gap limit and never re-issues a used key', async () => {
    const w = await world('wallet-restore');
    const original = await enrolled(w, 'alice');
    const key = async (i: number) => (await original.session.ownerKey(i)).publicKey;
    await mint(w, await key(2), [5n]);
    // 20 unused keys (3..22) after the last used one: index 23 is past the gap.
    await mint(w, await key(23), [7n]);
    const mnemonic = await original.session.revealMnemonic('correct horse battery staple');

    const restored = await newWallet(w, 'alice', { mnemonic });
    await usdIs(restored, { spendable: 5n });
    assert.equal(restored.session.metadata().accounts[0]!.nextIndex, 3, 'found keys are recorded');
    assert.equal((await restored.receive()).index, 3);

    // A coin inside the gap (22) extends the scan, which then reaches 23.
    await mint(w, await key(22), [1n]);
    const again = await newWallet(w, 'alice', { mnemonic });
    await usdIs(again, { spendable: 13n });
    assert.equal(again.session.metadata().accounts[0]!.nextIndex, 24);
  });
});
