import { checkPrincipal, type Policy, PolicyError } from './parse.js';

/**
 * Canonical text: AND when every rule is needed, OR when one is, OutOf
 * otherwise; single quotes, no spaces. parsePolicy(formatPolicy(p)) deep-equals p.
 */
export function formatPolicy(policy: Policy): string {
  if (policy.kind === 'principal') {
    const text = `${policy.org}.${policy.role}`;
    // Refuse what the parser would refuse, so formatted text always re-parses.
    checkPrincipal(text);
    return `'${text}'`;
  }
  const { n, rules } = policy;
  if (!Number.isSafeInteger(n) || n < 1 || n > rules.length) {
    throw new PolicyError(
      'POLICY_BAD_THRESHOLD',
      `OutOf threshold must be between 1 and ${rules.length}, got ${n}`,
    );
  }
  const body = rules.map(formatPolicy).join(',');
  if (n === rules.length) return `AND(${body})`;
  if (n === 1) return `OR(${body})`;
  return `OutOf(${n},${body})`;
}
