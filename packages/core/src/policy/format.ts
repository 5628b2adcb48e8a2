import { assertPolicy, type Policy } from './ast.js';

/**
 * Canonical text: AND when every rule is needed, OR when one is, OutOf
 * otherwise; single quotes, no spaces. parsePolicy(formatPolicy(p)) deep-equals p.
 */
export function formatPolicy(policy: Policy): string {
  // Refuse what the parser would refuse, so formatted text always re-parses.
  assertPolicy(policy);
  return format(policy);
}

function format(policy: Policy): string {
  if (policy.kind === 'principal') return `'${policy.org}.${policy.role}'`;
  const { n, rules } = policy;
  const body = rules.map(format).join(',');
  if (n === rules.length) return `AND(${body})`;
  if (n === 1) return `OR(${body})`;
  return `OutOf(${n},${body})`;
}
