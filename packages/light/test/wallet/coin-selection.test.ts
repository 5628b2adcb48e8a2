import { assert, describe, it, throwsWithCode } from '@weft/test/harness';
import fc from 'fast-check';
import { type SelectableCoin, selectCoins } from '../../src/wallet/index.js';

const coin = (key: string, amount: bigint, label = 'USD'): SelectableCoin => ({
  key,
  amount,
  label,
});

const coinsArb = fc
  .uniqueArray(
    fc.record({
      key: fc.stringMatching(/^[0-9a-f]{6}$/),
      amount: fc.bigInt({ min: 1n, max: 1000n }),
      label: fc.constantFrom('USD', 'FBC'),
    }),
    { selector: (c) => c.key, maxLength: 30 },
  )
  .map((cs) => cs as SelectableCoin[]);

/** The fewest coins of `label` that can reach `amount` (the k largest), or Infinity. */
function fewest(coins: readonly SelectableCoin[], label: string, amount: bigint): number {
  const sorted = coins
    .filter((c) => c.label === label)
    .map((c) => c.amount)
    .sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  let total = 0n;
  for (const [i, a] of sorted.entries()) {
    total += a;
    if (total >= amount) return i + 1;
  }
  return Number.POSITIVE_INFINITY;
}

describe('wallet: coin selection', () => {
  it('covers the amount with the fewest coins of the label, or says exactly why not', () => {
    fc.assert(
      fc.property(
        coinsArb,
        fc.bigInt({ min: 1n, max: 5000n }),
        fc.integer({ min: 1, max: 8 }),
        (coins, amount, maxInputs) => {
          const available = coins
            .filter((c) => c.label === 'USD')
            .reduce((s, c) => s + c.amount, 0n);
          const k = fewest(coins, 'USD', amount);
          const run = () => selectCoins({ coins, label: 'USD', amount, maxInputs });
          if (available < amount) {
            throwsWithCode(run, 'WALLET_INSUFFICIENT_FUNDS');
            return;
          }
          if (k > maxInputs) {
            throwsWithCode(run, 'WALLET_TOO_MANY_INPUTS');
            return;
          }
          const s = run();
          const keys = s.inputs.map((c) => c.key);
          assert.equal(new Set(keys).size, keys.length, 'no coin twice');
          for (const c of s.inputs) {
            assert.include(coins, c, 'inputs come from the candidates');
            assert.equal(c.label, 'USD');
          }
          const total = s.inputs.reduce((sum, c) => sum + c.amount, 0n);
          assert.equal(s.total, total);
          assert.isTrue(total >= amount);
          assert.equal(s.change, total - amount);
          assert.equal(s.inputs.length, k, 'as few inputs as possible');
          if (coins.some((c) => c.label === 'USD' && c.amount === amount)) {
            assert.equal(s.change, 0n, 'an exact coin means no change output');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order the coins are listed in', () => {
    fc.assert(
      fc.property(
        coinsArb.chain((cs) =>
          fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length })),
        ),
        fc.bigInt({ min: 1n, max: 3000n }),
        ([coins, shuffled], amount) => {
          const pick = (list: SelectableCoin[]) => {
            try {
              return selectCoins({ coins: list, label: 'FBC', amount }).inputs.map((c) => c.key);
            } catch (err) {
              return (err as { code: string }).code;
            }
          };
          assert.deepEqual(pick(shuffled), pick(coins));
        },
      ),
    );
  });

  it('prefers an exact coin, then the smallest covering coin, then the largest coins', () => {
    const coins = [coin('a', 10n), coin('b', 20n), coin('c', 50n), coin('d', 7n, 'FBC')];
    const keys = (amount: bigint) =>
      selectCoins({ coins, label: 'USD', amount }).inputs.map((c) => c.key);
    assert.deepEqual(keys(20n), ['b']);
    assert.deepEqual(keys(15n), ['b']);
    assert.deepEqual(keys(45n), ['c']);
    assert.deepEqual(keys(60n), ['c', 'b']);
    assert.deepEqual(keys(80n), ['c', 'b', 'a']);
    const s = selectCoins({ coins, label: 'USD', amount: 15n });
    assert.equal(s.change, 5n);
    // Another label's coins never count.
    throwsWithCode(
      () => selectCoins({ coins, label: 'USD', amount: 81n }),
      'WALLET_INSUFFICIENT_FUNDS',
    );
    throwsWithCode(
      () => selectCoins({ coins, label: 'FBC', amount: 8n }),
      'WALLET_INSUFFICIENT_FUNDS',
    );
    throwsWithCode(
      () => selectCoins({ coins: [], label: 'USD', amount: 1n }),
      'WALLET_INSUFFICIENT_FUNDS',
    );
  });

  it('refuses a selection that needs more inputs than one spend may carry', () => {
    const dust = Array.from({ length: 20 }, (_, i) => coin(`k${i}`, 1n));
    throwsWithCode(
      () => selectCoins({ coins: dust, label: 'USD', amount: 17n }),
      'WALLET_TOO_MANY_INPUTS',
    );
    assert.lengthOf(selectCoins({ coins: dust, label: 'USD', amount: 16n }).inputs, 16);
  });
});
