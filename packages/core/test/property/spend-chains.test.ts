import { assert, describe, it } from '@weft/test/harness';
import fc from 'fast-check';
import {
  buildMint,
  buildSpend,
  createDevNetwork,
  DevChain,
  devSecret,
} from '../../src/dev/index.js';
import {
  type Coin,
  coinKey,
  decodeCoin,
  type Signer,
  signerFromSecret,
  TxCode,
  toHex,
} from '../../src/index.js';

const net = await createDevNetwork({ seed: 'prop-spend' });
const owners: Signer[] = await Promise.all(
  ['o0', 'o1', 'o2'].map((n) => signerFromSecret(devSecret('prop-spend', n))),
);
const byKey = new Map(owners.map((o) => [toHex(o.publicKey), o]));

/** One step: spend the coin at `pick` (mod live coins) into outputs split by `parts` to `to` owners. */
const stepArb = fc.record({
  pick: fc.nat(),
  parts: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 3 }),
  to: fc.array(fc.nat({ max: owners.length - 1 }), { minLength: 3, maxLength: 3 }),
});

function split(amount: bigint, parts: number[]): bigint[] {
  // Proportional split that always sums to `amount` with every part >= 1.
  const n = BigInt(Math.min(parts.length, Number(amount)));
  if (n <= 1n) return [amount];
  const weights = parts.slice(0, Number(n)).map(BigInt);
  const total = weights.reduce((a, b) => a + b, 0n);
  const spare = amount - n;
  const out = weights.map((w) => 1n + (spare * w) / total);
  out[0]! += amount - out.reduce((a, b) => a + b, 0n);
  return out;
}

describe('property: random valid spend chains', () => {
  it('every spend of a live coin, split among owners, validates and conserves the total', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 4 }), async (steps) => {
        const chain = new DevChain(net);
        const mint = await buildMint(net, [
          { amount: 10_000n, owner: owners[0]!.publicKey, label: 'FBC' },
        ]);
        await chain.append([mint.bytes]);
        let live = [coinKey(mint.txid, 0)];
        for (const step of steps) {
          const key = live[step.pick % live.length]!;
          const input = decodeCoin((await chain.state.get(key))!.value);
          const outputs: Coin[] = split(input.amount, step.parts).map((amount, j) => ({
            amount,
            owner: owners[step.to[j]!]!.publicKey,
            label: 'FBC',
          }));
          const tx = await buildSpend(net, [key], outputs, {
            owners: [byKey.get(toHex(input.owner))!],
            state: chain.state,
          });
          const { validation } = await chain.append([tx.bytes]);
          assert.deepEqual(validation.codes, [TxCode.VALID]);
          live = [...live.filter((k) => k !== key), ...outputs.map((_, j) => coinKey(tx.txid, j))];
        }
        let total = 0n;
        for (const k of live) total += decodeCoin((await chain.state.get(k))!.value).amount;
        assert.equal(total, 10_000n);
        assert.equal(chain.state.values.size, live.length);
      }),
      { numRuns: 8 },
    );
  });
});
