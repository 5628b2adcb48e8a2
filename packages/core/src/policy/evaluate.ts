import { assertPolicy, type Policy, type PrincipalPolicy } from './ast.js';
import { satisfiable, Tally } from './solver.js';

export interface Signer {
  readonly org: string;
  readonly role: string;
  /** What makes two signers the same identity, e.g. the public key in hex. */
  readonly id: string;
}

export interface Availability {
  readonly org: string;
  readonly role: string;
  readonly count: number;
}

/** Distinct (org, role) principals in first-appearance order. */
export function policyPrincipals(policy: Policy): PrincipalPolicy[] {
  const seen = new Map<string, Set<string>>();
  const out: PrincipalPolicy[] = [];
  const walk = (p: Policy): void => {
    if (p.kind === 'outOf') {
      for (const r of p.rules) walk(r);
      return;
    }
    const roles = seen.get(p.org) ?? new Set<string>();
    seen.set(p.org, roles);
    if (!roles.has(p.role)) {
      roles.add(p.role);
      out.push(p);
    }
  };
  walk(policy);
  return out;
}

/**
 * True when distinct signers (by id) can be assigned to principals so that
 * every gate is met, each signer standing for at most one principal. Exact:
 * unlike Fabric's greedy matcher, the order of principals and signers cannot
 * turn a satisfiable set into a rejection. When entries share an id, the
 * first one's org and role count. Throws PolicyError only for a malformed
 * policy (see assertPolicy) or, with POLICY_TOO_COMPLEX, when the work budget
 * is exhausted.
 */
export function evaluatePolicy(policy: Policy, signers: readonly Signer[]): boolean {
  assertPolicy(policy);
  const seen = new Set<string>();
  const tally = new Tally();
  for (const s of signers) {
    if (seen.has(s.id)) continue;
    seen.add(s.id);
    tally.add(s.org, s.role, 1);
  }
  return satisfiable(policy, tally);
}

/**
 * Whether the policy could ever be satisfied: with `'any'`, by any number of
 * identities from the known organisations; otherwise by at most `count`
 * identities of each listed (org, role).
 */
export function isSatisfiable(
  policy: Policy,
  available: 'any',
  knownOrgs: Iterable<string>,
): boolean;
export function isSatisfiable(policy: Policy, available: readonly Availability[]): boolean;
export function isSatisfiable(
  policy: Policy,
  available: 'any' | readonly Availability[],
  knownOrgs?: Iterable<string>,
): boolean {
  assertPolicy(policy);
  if (available === 'any') {
    const orgs = new Set(knownOrgs ?? []);
    // Organisations can always enrol more identities, so distinctness never binds.
    const can = (p: Policy): boolean =>
      p.kind === 'principal' ? orgs.has(p.org) : p.rules.filter(can).length >= p.n;
    return can(policy);
  }
  const tally = new Tally();
  for (const a of available) {
    if (Number.isSafeInteger(a.count) && a.count > 0) tally.add(a.org, a.role, a.count);
  }
  return satisfiable(policy, tally);
}
