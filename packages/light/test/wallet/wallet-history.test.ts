// The wallet's whole history: every coin received (minted, paid in, or
// change of its own earlier spends) is kept in the vault once verified in a
// block, so it stays after the coin is spent or a node stops listing it;
// payments show amount, recipient and change; statuses move only on
// verified verdicts.
import { coinKey, signAttestation, toHex } from '@weft/core';
import { assert, describe, it } from '@weft/test/harness';
import {
  type HistoryEntry,
  historyEntries,
  MAX_RECEIPTS,
  type OwnedCoin,
  type ReceivedEntry,
  type SentEntry,
} from '../../src/wallet/index.js';
import { recordReceipts } from '../../src/wallet/receipts.js';
import {
  enrolled,
  funded,
  inventCoins,
  mint,
  newWallet,
  usdIs,
  type World,
  world,
} from './wallet-world.js';

/** A short line per entry: kind, amount, status, source or recipient, spent. */
function lines(entries: readonly HistoryEntry[], names: Record<string, string> = {}): string[] {
  return entries.map((e) =>
    e.kind === 'sent'
      ? `sent ${e.amount} to ${names[toHex(e.to)] ?? '?'} change ${e.change} ${e.status}`
      : `received ${e.amount} ${e.source} from ${e.fromOrg} ${e.status}${e.spentIn ? ' spent' : ''}`,
  );
}

const history = async (wallet: Awaited<ReturnType<typeof newWallet>>) => {
  await wallet.coins();
  return historyEntries(wallet.history());
};

/** The node's coin listings leave out every coin (a withholding node, or all spent). */
const withholdCoins = (w: World) => {
  w.tamper.coins = (page) => ({ ...page, coins: [], next: undefined });
};

describe('Fabcoin wallet: the whole history', () => {
  it('keeps received coins after they are spent, and shows each payment with its recipient and change', async () => {
    const w = await world('history-spent');
    const { wallet: alice } = await funded(w, 'alice', [10n, 20n]);
    const bob = await enrolled(w, 'bob');
    const carol = await newWallet(w, 'carol');
    const bobKey = (await bob.receive()).ownerKey;
    const carolKey = (await carol.receive()).ownerKey;
    const names = { [bobKey]: 'bob', [carolKey]: 'carol' };

    const paid = await alice.spend({ to: bobKey, label: 'USD', amount: 15n });
    assert.equal(paid.status, 'valid');
    const aliceHistory = await history(alice);
    const [first, ...minted] = lines(aliceHistory, names);
    assert.equal(first, 'sent 15 to bob change 5 valid', 'the newest first; change is not income');
    assert.sameMembers(minted, [
      'received 20 mint from CentralBank valid spent',
      'received 10 mint from CentralBank valid',
    ]);
    const sent = aliceHistory[0] as SentEntry;
    assert.deepEqual(sent.txid, paid.txid);
    assert.equal(sent.block, paid.verdict.status === 'valid' ? paid.verdict.block : -1);
    const spentCoin = aliceHistory.find((e) => e.amount === 20n) as ReceivedEntry;
    assert.deepEqual(spentCoin.spentIn, paid.txid, 'names the payment that took it');
    assert.isBelow(spentCoin.block, sent.block!);

    // Bob spends all he received: his history still shows it, with the payer's org.
    await usdIs(bob, { spendable: 15n });
    const onward = await bob.spend({ to: carolKey, label: 'USD', amount: 15n });
    assert.equal(onward.status, 'valid');
    assert.deepEqual(lines(await history(bob), names), [
      'sent 15 to carol change 0 valid',
      'received 15 payment from Org1 valid spent',
    ]);
    const received = (await history(bob))[1] as ReceivedEntry;
    assert.deepEqual(received.txid, paid.txid);
    assert.equal(received.coin, `${toHex(paid.txid)}.0`);
    assert.equal(received.ownerIndex, 0);
    assert.deepEqual(lines(await history(carol)), ['received 15 payment from Org1 valid']);
  });

  it('a node that stops listing coins cannot erase them from the history, and invented coins are never recorded', async () => {
    const w = await world('history-withheld');
    const { wallet: alice } = await funded(w, 'alice', [10n]);
    assert.deepEqual(lines(await history(alice)), ['received 10 mint from CentralBank valid']);
    withholdCoins(w);
    await usdIs(alice, {});
    assert.deepEqual(lines(await history(alice)), ['received 10 mint from CentralBank valid']);

    inventCoins(w, 1000n);
    await usdIs(alice, { spendable: 10n, unverifiable: 1000n });
    assert.deepEqual(lines(await history(alice)), ['received 10 mint from CentralBank valid']);
  });

  it('a coin seen before attestation shows included, and turns valid by its verified verdict even once no node lists it', async () => {
    const w = await world('history-included');
    const alice = await enrolled(w, 'alice');
    const owner = (await alice.receive()).publicKey;
    const [key] = await mint(w, owner, [7n], { attesters: [] });
    assert.deepEqual(lines(await history(alice)), ['received 7 mint from CentralBank included']);
    await usdIs(alice, { pending: 7n });

    withholdCoins(w);
    const block = w.ledger.height - 1;
    // The peers attest the block only now.
    const body = w.ledger.attestationBody(block);
    w.ledger.attestations.set(
      block,
      await Promise.all(w.ledger.net.peers.map((p) => signAttestation(body, p.signer, p.cert))),
    );
    const entries = await history(alice);
    assert.deepEqual(lines(entries), ['received 7 mint from CentralBank valid']);
    assert.equal((entries[0] as ReceivedEntry).coin, key);
    assert.equal(entries[0]!.block, block);
  });

  it('a wallet restored from its words records the change of its earlier spends as change, not income', async () => {
    const w = await world('history-restored');
    const { wallet: alice } = await funded(w, 'alice', [10n, 20n]);
    const bob = await newWallet(w, 'bob');
    const bobKey = (await bob.receive()).ownerKey;
    assert.equal((await alice.spend({ to: bobKey, label: 'USD', amount: 15n })).status, 'valid');
    const mnemonic = await alice.session.revealMnemonic('correct horse battery staple');

    // Not enrolled again: the identity key comes from the same words.
    const restored = await newWallet(w, 'alice', { mnemonic });
    const entries = await history(restored);
    assert.sameMembers(lines(entries), [
      'received 10 mint from CentralBank valid',
      'received 5 change from Org1 valid',
    ]);
    assert.isEmpty(restored.history().history, 'the spend itself was journalled elsewhere');
  });

  it('orders the history newest first: awaiting a verdict, never in a block, then by block and time', () => {
    const txid = (n: number) => new Uint8Array(32).fill(n);
    const spend = { to: txid(9), label: 'USD', amount: 1n, change: 0n, submittedAt: 1 };
    const entries = historyEntries({
      pending: [{ ...spend, txid: txid(1), inputs: [], amount: 30n }],
      history: [
        { ...spend, txid: txid(2), amount: 70n, outcome: 'valid', settledAt: 20, block: 5 },
        { ...spend, txid: txid(3), amount: 9n, outcome: 'invalid', settledAt: 30, block: 6 },
        { ...spend, txid: txid(4), amount: 4n, outcome: 'refused', settledAt: 40 },
        { ...spend, txid: txid(5), amount: 5n, outcome: 'expired', settledAt: 10 },
      ],
      received: [
        {
          txid: txid(6),
          output: 0,
          label: 'USD',
          amount: 100n,
          ownerIndex: 0,
          source: 'mint',
          fromOrg: 'CB',
          from: txid(8),
          status: 'valid',
          block: 2,
          seenAt: 5,
        },
        {
          txid: txid(7),
          output: 1,
          label: 'USD',
          amount: 8n,
          ownerIndex: 2,
          source: 'payment',
          fromOrg: 'Org2',
          from: txid(8),
          status: 'included',
          block: 7,
          seenAt: 50,
        },
        {
          txid: txid(6),
          output: 1,
          label: 'USD',
          amount: 3n,
          ownerIndex: 0,
          source: 'mint',
          fromOrg: 'CB',
          from: txid(8),
          status: 'valid',
          block: 5,
          seenAt: 25,
        },
      ],
    });
    assert.deepEqual(
      entries.map((e) => `${e.kind} ${e.amount} ${e.status} ${e.block ?? '-'}`),
      [
        'sent 30 pending -',
        'sent 4 refused -',
        'sent 5 expired -',
        'received 8 included 7',
        'sent 9 invalid 6',
        'received 3 valid 5',
        'sent 70 valid 5',
        'received 100 valid 2',
      ],
    );
    assert.equal((entries[3] as ReceivedEntry).coin, `${'07'.repeat(32)}.1`);
  });

  it('keeps at most MAX_RECEIPTS: spent coins go first, and a wallet holding more coins stops rewriting', () => {
    const txid = (n: number) => {
      const t = new Uint8Array(32);
      new DataView(t.buffer).setUint32(0, n);
      return t;
    };
    const creator = new Uint8Array(32).fill(0xcb);
    const coin = (n: number): OwnedCoin => ({
      key: coinKey(txid(n), 0),
      amount: 1n,
      label: 'USD',
      status: 'valid',
      block: n,
      origin: { type: 'mint', org: 'CentralBank', creator },
      node: 'node',
      owner: new Uint8Array(32),
      ownerIndex: 0,
    });
    const context = { ownTxids: new Set<string>(), identity: new Uint8Array(32), now: 1 };
    const held = Array.from({ length: MAX_RECEIPTS }, (_, n) => coin(n));
    const full = recordReceipts([], held, context)!;
    assert.lengthOf(full, MAX_RECEIPTS);
    assert.isUndefined(recordReceipts(full, held, context), 'nothing new: no write');

    // Coins 0 and 1 were spent (no longer listed): two new coins take their places.
    const now = [...held.slice(2), coin(1000), coin(1001)];
    const next = recordReceipts(full, now, context)!;
    assert.lengthOf(next, MAX_RECEIPTS);
    assert.deepEqual([next[0]!.block, next.at(-2)!.block, next.at(-1)!.block], [2, 1000, 1001]);
    // Every receipt is of a coin still held: a new one is left out rather than churned.
    assert.isUndefined(recordReceipts(next, [...now, coin(2000)], context));
  });
});
