// Remembered policy verdicts (channel policies, asked about the same few
// signer sets over and over) must be exactly what evaluation gives, for
// every signer set, however often asked and in whatever order.
import { assert, describe, it } from '@weft/test/harness';
import fc from 'fast-check';
import { satisfies } from '../../src/config/channel.js';
import { evaluatePolicy, type Policy, PolicyError, parsePolicy } from '../../src/policy/index.js';
import { remember } from '../../src/policy/remembered.js';
import { arbPolicy, arbSigners, type TestSigner } from './arbitraries.js';

function fresh(policy: Policy, signers: readonly TestSigner[]): boolean {
  try {
    return evaluatePolicy(policy, signers);
  } catch (err) {
    if (err instanceof PolicyError) return false;
    throw err;
  }
}

describe('policy/remembered: verdicts of fixed policies', () => {
  it('agree with evaluation for every signer set, asked repeatedly', () => {
    fc.assert(
      fc.property(
        arbPolicy(),
        fc.array(arbSigners(6), { minLength: 1, maxLength: 12 }),
        (p, sets) => {
          const expected = sets.map((signers) => fresh(p, signers));
          const policy = remember(structuredClone(p));
          for (let round = 0; round < 2; round++)
            sets.forEach((signers, i) => {
              assert.equal(satisfies(policy, signers), expected[i]);
            });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('count the first entry of a repeated id, as evaluation does', () => {
    const policy = remember(parsePolicy("AND('Org1.peer','Org2.peer')"));
    const a = { org: 'Org1', role: 'peer', id: 'k1' };
    const b = { org: 'Org2', role: 'peer', id: 'k2' };
    const bAsOrg1 = { org: 'Org1', role: 'peer', id: 'k2' };
    assert.isTrue(satisfies(policy, [a, b]));
    assert.isTrue(satisfies(policy, [a, b, bAsOrg1]));
    assert.isFalse(satisfies(policy, [a, bAsOrg1, b]));
    assert.isFalse(satisfies(policy, [a, a]));
  });

  it('do not confuse orgs and roles that spell alike when run together', () => {
    const policy = remember(parsePolicy("OR('ab.peer')"));
    assert.isFalse(satisfies(policy, [{ org: 'a', role: 'bpeer', id: 'x' }]));
    assert.isTrue(satisfies(policy, [{ org: 'ab', role: 'peer', id: 'x' }]));
    assert.isFalse(satisfies(policy, [{ org: 'a', role: 'bpeer', id: 'x' }]));
  });

  it('freeze the policies they remember, so no verdict outlives its policy', () => {
    const policy = remember(parsePolicy("OutOf(1,'Org1.peer',AND('Org2.peer','Org1.client'))"));
    assert.isTrue(Object.isFrozen(policy));
    assert.throws(() => {
      (policy as { n: number }).n = 2;
    }, TypeError);
    if (policy.kind !== 'outOf') throw new Error('expected a gate');
    assert.isTrue(Object.isFrozen(policy.rules));
    assert.isTrue(Object.isFrozen(policy.rules[1]));
  });

  it('leave policies nobody asked to remember alone', () => {
    const policy = parsePolicy("AND('Org1.peer','Org2.peer')");
    assert.isFalse(satisfies(policy, [{ org: 'Org1', role: 'peer', id: 'k' }]));
    assert.isFalse(Object.isFrozen(policy));
  });
});
