import type { Policy } from './ast.js';
import type { Signer } from './evaluate.js';

/**
 * Verdicts of fixed policies, remembered. Whether signers satisfy a
 * policy depends only on how many distinct identities (by id) of each
 * (org, role) signed, the first entry of an id counting (evaluatePolicy's
 * tally), and a channel asks about the same few tallies for every
 * transaction and block: two peers' endorsements, the orderers' signatures.
 * Only policies handed to `remember` are remembered, and those are frozen,
 * so a verdict can never outlive the policy it was given for.
 */

/** Distinct tallies kept per policy; more (a hostile mix of signers) starts afresh. */
const VERDICTS_LIMIT = 1024;

const verdicts = new WeakMap<Policy, Map<string, boolean>>();

function deepFreeze(p: Policy): void {
  if (p.kind === 'outOf') {
    for (const r of p.rules) deepFreeze(r);
    Object.freeze(p.rules);
  }
  Object.freeze(p);
}

/** Freezes `policy` (it must not change again) and remembers its verdicts from now on. */
export function remember(policy: Policy): Policy {
  deepFreeze(policy);
  if (!verdicts.has(policy)) verdicts.set(policy, new Map());
  return policy;
}

/** One self-delimiting record per (org, role), so no two tallies share a key. */
const entry = (s: Signer) => `${s.org.length}:${s.org}${s.role.length}:${s.role}`;

/** The tally of `signers` as a string: their distinct ids' (org, role) entries, sorted. */
function tallyKey(signers: readonly Signer[]): string {
  if (signers.length === 1) return entry(signers[0]!);
  const entries: string[] = [];
  for (let i = 0; i < signers.length; i++) {
    const s = signers[i]!;
    let repeat = false;
    for (let j = 0; j < i && !repeat; j++) repeat = signers[j]!.id === s.id;
    if (!repeat) entries.push(entry(s));
  }
  return entries.sort().join('');
}

/** `evaluate()`, or its verdict from the last time this remembered policy met this tally. */
export function rememberedVerdict(
  policy: Policy,
  signers: readonly Signer[],
  evaluate: () => boolean,
): boolean {
  const known = verdicts.get(policy);
  // Pairwise id checks cost O(n^2): beyond a few dozen signers evaluate afresh.
  if (!known || signers.length > 64) return evaluate();
  const key = tallyKey(signers);
  let verdict = known.get(key);
  if (verdict === undefined) {
    verdict = evaluate();
    if (known.size >= VERDICTS_LIMIT) known.clear();
    known.set(key, verdict);
  }
  return verdict;
}
