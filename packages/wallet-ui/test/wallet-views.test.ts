import type { WalletCoin } from '@weft/light';
import { assert, describe, it, rejectsWithCode, throwsWithCode } from '@weft/test/harness';
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
