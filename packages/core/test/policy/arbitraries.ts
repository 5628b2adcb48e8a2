import fc from 'fast-check';
import { type Policy, ROLES } from '../../src/policy/index.js';

export const ORGS = ['Org1', 'Org2', 'org3.example.com'] as const;

const arbPrincipal = (orgs: readonly string[]) =>
  fc.record({
    kind: fc.constant('principal' as const),
    org: fc.constantFrom(...orgs),
    role: fc.constantFrom(...ROLES),
  });

/** Random well-formed policies: at most `maxDepth` nested gates of at most `width` rules. */
export function arbPolicy(
  orgs: readonly string[] = ORGS,
  width = 4,
  maxDepth = 4,
): fc.Arbitrary<Policy> {
  const { policy } = fc.letrec<{ policy: Policy }>((tie) => ({
    policy: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      arbPrincipal(orgs),
      fc.array(tie('policy'), { minLength: 1, maxLength: width }).chain((rules) =>
        fc.record({
          kind: fc.constant('outOf' as const),
          n: fc.integer({ min: 1, max: rules.length }),
          rules: fc.constant(rules),
        }),
      ),
    ),
  }));
  return policy;
}

export interface TestSigner {
  org: string;
  role: string;
  id: string;
}

/** Signers drawn from few ids, so duplicates (even with differing roles) are common. */
export function arbSigners(maxLength: number, orgs: readonly string[] = ORGS) {
  return fc.array(
    fc.record({
      org: fc.constantFrom(...orgs, 'Outsider'),
      role: fc.constantFrom('peer', 'client', 'admin', 'orderer', 'cb'),
      id: fc.integer({ min: 0, max: maxLength + 2 }).map((i) => `key${i}`),
    }),
    { maxLength },
  );
}
