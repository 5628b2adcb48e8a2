import type { PendingSpend, SpendRecord, WalletCoin } from '@weft/light';
import { assert, describe, it, rejectsWithCode, throwsWithCode } from '@weft/test/harness';
import { historyRows } from '../src/wallet/history-rows.js';
import { previewSpend } from '../src/wallet/spend-preview.js';

const hex = (byte: string) => byte.repeat(32);
const OWNER = new Uint8Array(32).fill(7);

function coin(
  tx: string,
  j: number,
  amount: bigint,
  status: WalletCoin['status'],
  extra: Partial<WalletCoin> = {},
): WalletCoin {
  return {
    key: `${hex(tx)}.${j}`,
    amount,
    label: 'FBC',
    status,
    block: 3,
    node: 'n',
    owner: OWNER,
    ownerIndex: 0,
    locked: false,
    ...extra,
  };
}

const spend = (tx: string, amount: bigint): PendingSpend => ({
  txid: new Uint8Array(32).fill(Number.parseInt(tx, 16)),
  inputs: [],
  to: OWNER,
  label: 'FBC',
  amount,
  change: 0n,
  submittedAt: 1000,
});

describe('the payment review: what will be signed, before signing', () => {
  const coins = [
    coin('a1', 0, 600n, 'valid'),
    coin('a2', 0, 400n, 'valid'),
    coin('a3', 0, 5000n, 'included'),
    coin('a4', 0, 9000n, 'valid', { locked: true }),
  ];

  it('spends only verified, unlocked coins, with change back to the wallet', () => {
    const p = previewSpend({ to: hex('BB'), label: 'FBC', amount: 250n }, coins);
    assert.equal(p.to, hex('bb'));
    assert.deepEqual(p.inputs, [{ key: `${hex('a2')}.0`, amount: 400n }]);
    assert.equal(p.change, 150n);
    const both = previewSpend({ to: hex('bb'), label: 'FBC', amount: 1000n }, coins);
    assert.equal(both.inputs.length, 2);
    assert.equal(both.change, 0n);
  });

  it('refuses with the wallet codes: funds, amount, label, recipient', async () => {
    // The included coin and the locked one are not spendable.
    throwsWithCode(
      () => previewSpend({ to: hex('bb'), label: 'FBC', amount: 1001n }, coins),
      'WALLET_INSUFFICIENT_FUNDS',
    );
    throwsWithCode(
      () => previewSpend({ to: hex('bb'), label: 'FBC', amount: 0n }, coins),
      'WALLET_BAD_AMOUNT',
    );
    throwsWithCode(
      () => previewSpend({ to: hex('bb'), label: 'F-C', amount: 1n }, coins),
      'WALLET_BAD_LABEL',
    );
    await rejectsWithCode(
      async () => previewSpend({ to: 'abc', label: 'FBC', amount: 1n }, coins),
      'WALLET_BAD_RECIPIENT',
    );
  });
});

describe('the history: payments from the journal, coins as received', () => {
  it('lists payments (pending first) and received coins by block, change folded into its payment', () => {
    const settled: SpendRecord = {
      ...spend('c2', 70n),
      outcome: 'valid',
      settledAt: 2000,
      block: 5,
    };
    const invalid: SpendRecord = {
      ...spend('c3', 9n),
      outcome: 'invalid',
      settledAt: 3000,
      block: 6,
      reason: 'MVCC_READ_CONFLICT',
    };
    const rows = historyRows({ pending: [spend('c1', 30n)], history: [settled, invalid] }, [
      coin('d1', 0, 100n, 'valid', { block: 2 }),
      coin('c2', 1, 30n, 'valid', { block: 5 }),
      coin('d2', 0, 8n, 'included', { block: 7 }),
    ]);
    assert.deepEqual(
      rows.map((r) => `${r.kind} ${r.amount} ${r.status} ${r.block ?? '-'}`),
      [
        'sent 30 pending -',
        'received 8 included 7',
        'sent 9 invalid 6',
        'sent 70 valid 5',
        'received 100 valid 2',
      ],
    );
    assert.equal(rows[2]!.reason, 'MVCC_READ_CONFLICT');
  });
});
