import { assert, describe, it } from '@weft/test/harness';
import fc from 'fast-check';
import {
  evaluatePolicy,
  isSatisfiable,
  type Policy,
  PolicyError,
  type PrincipalPolicy,
  parsePolicy,
  policyPrincipals,
  type Signer,
} from '../../src/policy/index.js';
import { arbPolicy, arbSigners } from './arbitraries.js';

let nextId = 0;
const s = (org: string, role: string, id = `k${nextId++}`): Signer => ({ org, role, id });
const ev = (text: string, signers: Signer[]) => evaluatePolicy(parsePolicy(text), signers);

// Reference: try every injective assignment of signers to principal leaves.
function bruteForce(policy: Policy, signers: readonly Signer[]): boolean {
  const leaves: PrincipalPolicy[] = [];
  const collect = (p: Policy): void => {
    if (p.kind === 'principal') leaves.push(p);
    else for (const r of p.rules) collect(r);
  };
  collect(policy);
  const unique = signers.filter((x, i) => signers.findIndex((y) => y.id === x.id) === i);
  const taken = leaves.map(() => false);
  const holds = (): boolean => {
    let i = 0;
    const walk = (p: Policy): boolean =>
      p.kind === 'principal' ? taken[i++]! : p.rules.map(walk).filter(Boolean).length >= p.n;
    return walk(policy);
  };
  const assign = (k: number): boolean => {
    if (k === unique.length) return holds();
    if (assign(k + 1)) return true;
    const { org, role } = unique[k]!;
    for (let l = 0; l < leaves.length; l++) {
      const p = leaves[l]!;
      if (taken[l] || p.org !== org || (p.role !== 'member' && p.role !== role)) continue;
      taken[l] = true;
      const ok = assign(k + 1);
      taken[l] = false;
      if (ok) return true;
    }
    return false;
  };
  return assign(0);
}

describe('policy: evaluation truth tables', () => {
  const a = s('A', 'peer');
  const b = s('B', 'peer');
  const c = s('C', 'peer');

  it('AND needs every rule', () => {
    const p = "AND('A.peer','B.peer')";
    assert.isFalse(ev(p, []));
    assert.isFalse(ev(p, [a]));
    assert.isFalse(ev(p, [b]));
    assert.isTrue(ev(p, [a, b]));
    assert.isTrue(ev(p, [b, c, a]));
  });

  it('OR needs one rule', () => {
    const p = "OR('A.peer','B.peer')";
    assert.isFalse(ev(p, []));
    assert.isFalse(ev(p, [c]));
    assert.isTrue(ev(p, [a]));
    assert.isTrue(ev(p, [b]));
    assert.isTrue(ev(p, [a, b]));
  });

  it('OutOf(2, of 3) needs any two', () => {
    const p = "OutOf(2,'A.peer','B.peer','C.peer')";
    const sets: [Signer[], boolean][] = [
      [[], false],
      [[a], false],
      [[b], false],
      [[c], false],
      [[a, b], true],
      [[a, c], true],
      [[b, c], true],
      [[a, b, c], true],
    ];
    for (const [signers, want] of sets) assert.equal(ev(p, signers), want, JSON.stringify(signers));
  });

  it('member matches any role of its own org only', () => {
    for (const role of ['peer', 'client', 'admin', 'orderer', 'cb']) {
      assert.isTrue(ev("'A.member'", [s('A', role)]), role);
    }
    assert.isFalse(ev("'A.member'", [s('B', 'peer')]));
  });

  it('rejects the wrong org or the wrong role', () => {
    assert.isFalse(ev("'A.peer'", [s('A', 'client'), s('A', 'admin'), s('B', 'peer')]));
    assert.isFalse(ev("'A.admin'", [s('A', 'peer')]));
    assert.isFalse(ev("'A.cb'", [s('a', 'cb')]));
  });

  it('counts a signer once, however often it appears', () => {
    const p = "AND('A.peer','A.peer')";
    assert.isFalse(ev(p, [s('A', 'peer', 'x'), s('A', 'peer', 'x')]));
    assert.isTrue(ev(p, [s('A', 'peer', 'x'), s('A', 'peer', 'y')]));
    assert.isFalse(ev("AND('A.peer','B.peer')", [s('A', 'peer', 'x'), s('B', 'peer', 'x')]));
    assert.isFalse(
      ev("OutOf(2,'A.member','A.client')", [s('A', 'client', 'x'), s('A', 'client', 'x')]),
    );
  });

  it('finds the assignment a greedy matcher misses', () => {
    // Greedy takes the peer for 'Org1.member' first and then has none left for 'Org1.peer'.
    const peer = s('Org1', 'peer');
    const client = s('Org1', 'client');
    for (const text of [
      "AND('Org1.member','Org1.peer')",
      "OutOf(2,'Org1.member','Org1.peer')",
      "AND(OR('Org1.peer','Org1.member'),'Org1.peer')",
      "OutOf(2, OR('Org1.peer','Org1.client'), 'Org1.peer', 'Org2.peer')",
    ]) {
      assert.isTrue(ev(text, [peer, client]), text);
      assert.isTrue(ev(text, [client, peer]), text);
    }
    assert.isFalse(ev("AND('Org1.member','Org1.peer')", [peer]));
    assert.isFalse(ev("AND('Org1.member','Org1.peer')", [client, s('Org1', 'admin')]));
    assert.isFalse(ev("AND(OR('Org1.peer','Org1.admin'),'Org1.peer')", [peer, client]));
  });

  it('ignores signers of other organisations and roles', () => {
    const many = Array.from({ length: 500 }, (_, i) => s(`X${i}`, 'peer'));
    assert.isTrue(ev("OR('A.peer','B.peer')", [...many, b]));
  });

  it('handles thresholds over many principals quickly', () => {
    const orgs = Array.from({ length: 20 }, (_, i) => `'O${i}.peer'`).join(',');
    const peers = (k: number) => Array.from({ length: k }, (_, i) => s(`O${i}`, 'peer'));
    assert.isFalse(ev(`OutOf(10,${orgs})`, peers(9)));
    assert.isTrue(ev(`OutOf(10,${orgs})`, peers(10)));
    const same = Array.from({ length: 200 }, () => "'A.member'").join(',');
    const aSigners = Array.from({ length: 150 }, (_, i) => s('A', i % 2 ? 'peer' : 'client'));
    assert.isTrue(ev(`OutOf(150,${same})`, aSigners));
    assert.isFalse(ev(`OutOf(151,${same})`, aSigners));
  });

  it('agrees with brute force on random small policies and signer sets', () => {
    fc.assert(
      fc.property(arbPolicy(undefined, 4, 3), arbSigners(6), (p, signers) => {
        assert.equal(evaluatePolicy(p, signers), bruteForce(p, signers));
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws and ignores signer order on larger random inputs', () => {
    fc.assert(
      fc.property(arbPolicy(undefined, 5, 4), arbSigners(14), (p, signers) => {
        const got = evaluatePolicy(p, signers);
        assert.isBoolean(got);
        // Order matters only between entries that disagree about one id (the first wins).
        const consistent = signers.filter((x) => {
          const first = signers.find((y) => y.id === x.id)!;
          return first.org === x.org && first.role === x.role;
        });
        const forward = evaluatePolicy(p, consistent);
        assert.equal(evaluatePolicy(p, [...consistent].reverse()), forward);
      }),
      { numRuns: 300 },
    );
  });
});

describe('policy: principals and satisfiability', () => {
  it('lists distinct principals in order', () => {
    const p = parsePolicy("OR(AND('A.peer','B.admin'),'A.peer',OutOf(1,'B.admin','A.member'))");
    assert.deepEqual(
      policyPrincipals(p).map((x) => `${x.org}.${x.role}`),
      ['A.peer', 'B.admin', 'A.member'],
    );
  });

  it("with 'any', needs enough known organisations", () => {
    const and = parsePolicy("AND('A.peer','B.peer')");
    assert.isTrue(isSatisfiable(and, 'any', ['A', 'B', 'C']));
    assert.isFalse(isSatisfiable(and, 'any', ['A']));
    const two = parsePolicy("OutOf(2,'A.peer','B.peer','C.peer')");
    assert.isTrue(isSatisfiable(two, 'any', new Set(['A', 'C'])));
    assert.isFalse(isSatisfiable(two, 'any', ['C', 'D']));
    assert.isTrue(isSatisfiable(parsePolicy("AND('A.peer','A.peer','A.peer')"), 'any', ['A']));
    assert.isFalse(isSatisfiable(two, 'any', []));
  });

  it('with counts, respects distinctness and member', () => {
    const p = parsePolicy("AND('A.peer','A.peer')");
    assert.isFalse(isSatisfiable(p, [{ org: 'A', role: 'peer', count: 1 }]));
    assert.isTrue(isSatisfiable(p, [{ org: 'A', role: 'peer', count: 2 }]));
    assert.isTrue(
      isSatisfiable(p, [
        { org: 'A', role: 'peer', count: 1 },
        { org: 'A', role: 'peer', count: 1 },
      ]),
    );
    const m = parsePolicy("AND('A.member','A.peer')");
    assert.isFalse(isSatisfiable(m, [{ org: 'A', role: 'peer', count: 1 }]));
    assert.isTrue(
      isSatisfiable(m, [
        { org: 'A', role: 'client', count: 1 },
        { org: 'A', role: 'peer', count: 1 },
      ]),
    );
    assert.isTrue(isSatisfiable(p, [{ org: 'A', role: 'peer', count: 2 ** 40 }]));
    for (const count of [-5, Number.NaN, 1.5, Number.POSITIVE_INFINITY]) {
      assert.isFalse(isSatisfiable(parsePolicy("'A.peer'"), [{ org: 'A', role: 'peer', count }]));
    }
  });

  it('counts agree with evaluating that many signers', () => {
    fc.assert(
      fc.property(arbPolicy(undefined, 4, 3), arbSigners(8), (p, signers) => {
        const unique = signers.filter((x, i) => signers.findIndex((y) => y.id === x.id) === i);
        const counts = unique.map(({ org, role }) => ({ org, role, count: 1 }));
        assert.equal(isSatisfiable(p, counts), evaluatePolicy(p, signers));
      }),
      { numRuns: 300 },
    );
  });
});

describe('policy: evaluation budget', () => {
  it('gives up with POLICY_TOO_COMPLEX on pathological sharing, never hangs', () => {
    const roles = ['peer', 'client', 'admin', 'orderer', 'cb'];
    const group = (g: number) =>
      `OutOf(8,${Array.from({ length: 16 }, (_, i) => `'O${i}.${roles[(g + i) % 5]}'`).join(',')})`;
    const text = `OutOf(8,${Array.from({ length: 16 }, (_, g) => group(g)).join(',')})`;
    const signers = Array.from({ length: 200 }, (_, i) => s(`O${i % 16}`, roles[(i * 7) % 5]!));
    try {
      assert.isBoolean(ev(text, signers));
    } catch (err) {
      assert.instanceOf(err, PolicyError);
      assert.equal((err as PolicyError).code, 'POLICY_TOO_COMPLEX');
    }
  });
});
