import { WeftError } from '../errors.js';

export const ROLES = ['member', 'peer', 'orderer', 'client', 'admin', 'cb'] as const;
/** `member` matches a signer of any role in the organisation. */
export type Role = (typeof ROLES)[number];

export interface PrincipalPolicy {
  readonly kind: 'principal';
  readonly org: string;
  readonly role: Role;
}

/** AND is OutOf(rules.length), OR is OutOf(1). */
export interface OutOfPolicy {
  readonly kind: 'outOf';
  readonly n: number;
  readonly rules: readonly Policy[];
}

export type Policy = PrincipalPolicy | OutOfPolicy;

export type PolicyErrorCode =
  | 'POLICY_SYNTAX'
  | 'POLICY_TOO_LONG'
  | 'POLICY_TOO_DEEP'
  | 'POLICY_TOO_MANY_PRINCIPALS'
  | 'POLICY_BAD_PRINCIPAL'
  | 'POLICY_UNKNOWN_ROLE'
  | 'POLICY_EMPTY_GATE'
  | 'POLICY_BAD_THRESHOLD'
  | 'POLICY_TOO_COMPLEX';

/** A policy that cannot be parsed, formatted or evaluated; `offset` points into the source text. */
export class PolicyError extends WeftError {
  declare readonly code: PolicyErrorCode;
  readonly offset: number | undefined;
  constructor(code: PolicyErrorCode, message: string, offset?: number) {
    super(code, offset === undefined ? message : `${message} at offset ${offset}`);
    this.offset = offset;
  }
}

export const MAX_POLICY_LENGTH = 4096;
export const MAX_POLICY_DEPTH = 16;
export const MAX_POLICY_PRINCIPALS = 256;

// Fabric MSP IDs: letters, digits, '.', '-' (plus '_'); the role follows the last dot.
const ORG_PATTERN = /^[A-Za-z0-9._-]+$/;

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/** Splits and checks `Org.role`; shared with formatPolicy so both accept the same principals. */
export function checkPrincipal(body: string, offset?: number): PrincipalPolicy {
  const dot = body.lastIndexOf('.');
  const org = body.slice(0, dot);
  const role = body.slice(dot + 1);
  if (dot <= 0 || !ORG_PATTERN.test(org)) {
    throw new PolicyError(
      'POLICY_BAD_PRINCIPAL',
      `expected a principal 'Org.role' with an organisation of letters, digits, '.', '-' or '_', found '${body}'`,
      offset,
    );
  }
  if (!isRole(role)) {
    throw new PolicyError(
      'POLICY_UNKNOWN_ROLE',
      `unknown role '${role}' (expected one of ${ROLES.join(', ')})`,
      offset,
    );
  }
  return { kind: 'principal', org, role };
}

/**
 * Checks a policy built or decoded elsewhere against the parser's rules
 * (principal syntax, 1 <= n <= rules, depth and size bounds), so that a
 * hand-made OutOf(0, ...) cannot pass as "always satisfied".
 */
export function assertPolicy(value: unknown): asserts value is Policy {
  let principals = 0;
  const visit = (p: unknown, depth: number): void => {
    const node = p as Record<string, unknown> | null;
    if (typeof node !== 'object' || node === null) {
      throw new PolicyError('POLICY_SYNTAX', 'a policy node must be an object');
    }
    if (node.kind === 'principal') {
      if (typeof node.org !== 'string' || typeof node.role !== 'string') {
        throw new PolicyError('POLICY_BAD_PRINCIPAL', 'a principal needs org and role strings');
      }
      // The text splits at its last dot, so a dotted role would re-parse as another principal.
      if (checkPrincipal(`${node.org}.${node.role}`).org !== node.org) {
        throw new PolicyError('POLICY_BAD_PRINCIPAL', `role '${node.role}' contains a dot`);
      }
      if (++principals > MAX_POLICY_PRINCIPALS) {
        throw new PolicyError(
          'POLICY_TOO_MANY_PRINCIPALS',
          `more than ${MAX_POLICY_PRINCIPALS} principals`,
        );
      }
      return;
    }
    if (node.kind !== 'outOf' || !Array.isArray(node.rules)) {
      throw new PolicyError('POLICY_SYNTAX', "a policy node must be a 'principal' or an 'outOf'");
    }
    if (depth >= MAX_POLICY_DEPTH) {
      throw new PolicyError('POLICY_TOO_DEEP', `gates nest deeper than ${MAX_POLICY_DEPTH} levels`);
    }
    const { n, rules } = node;
    if (rules.length === 0) {
      throw new PolicyError('POLICY_EMPTY_GATE', 'a gate needs at least one rule');
    }
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > rules.length) {
      throw new PolicyError(
        'POLICY_BAD_THRESHOLD',
        `OutOf threshold must be between 1 and ${rules.length}, got ${n}`,
      );
    }
    for (const r of rules) visit(r, depth + 1);
  };
  visit(value, 0);
}
