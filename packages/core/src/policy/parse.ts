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
const GATES: Record<string, 'and' | 'or' | 'outof'> = {
  AND: 'and',
  and: 'and',
  OR: 'or',
  or: 'or',
  OutOf: 'outof',
  outof: 'outof',
};

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

class Parser {
  private readonly src: string;
  private pos = 0;
  private principals = 0;

  constructor(src: string) {
    this.src = src;
  }

  parse(): Policy {
    const p = this.policy(0);
    this.skipSpace();
    if (this.pos < this.src.length) this.fail('end of policy');
    return p;
  }

  private fail(expected: string): never {
    const found = this.pos < this.src.length ? `'${this.src[this.pos]}'` : 'end of policy';
    throw new PolicyError('POLICY_SYNTAX', `expected ${expected}, found ${found}`, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== ch) this.fail(`'${ch}'`);
    this.pos++;
  }

  private policy(depth: number): Policy {
    this.skipSpace();
    const ch = this.src[this.pos];
    if (ch === "'" || ch === '"') return this.principal();
    const start = this.pos;
    const word = /^[A-Za-z]+/.exec(this.src.slice(start, start + 16))?.[0] ?? '';
    const gate = Object.hasOwn(GATES, word) ? GATES[word] : undefined;
    if (gate === undefined) this.fail('a quoted principal or AND, OR, OutOf');
    if (depth >= MAX_POLICY_DEPTH) {
      throw new PolicyError(
        'POLICY_TOO_DEEP',
        `gates nest deeper than ${MAX_POLICY_DEPTH} levels`,
        start,
      );
    }
    this.pos += word.length;
    this.expect('(');
    let n = 0;
    let nOffset = this.pos;
    if (gate === 'outof') {
      this.skipSpace();
      nOffset = this.pos;
      n = this.integer();
      this.expect(',');
    }
    const rules = this.arguments(depth + 1, start);
    if (gate === 'and') n = rules.length;
    if (gate === 'or') n = 1;
    if (n < 1 || n > rules.length) {
      throw new PolicyError(
        'POLICY_BAD_THRESHOLD',
        `OutOf threshold must be between 1 and ${rules.length}, got ${n}`,
        nOffset,
      );
    }
    return { kind: 'outOf', n, rules };
  }

  private arguments(depth: number, gateOffset: number): Policy[] {
    this.skipSpace();
    if (this.src[this.pos] === ')') {
      throw new PolicyError('POLICY_EMPTY_GATE', 'a gate needs at least one rule', gateOffset);
    }
    const rules: Policy[] = [this.policy(depth)];
    for (;;) {
      this.skipSpace();
      const ch = this.src[this.pos];
      if (ch === ')') break;
      if (ch !== ',') this.fail("',' or ')'");
      this.pos++;
      rules.push(this.policy(depth));
    }
    this.pos++;
    return rules;
  }

  private integer(): number {
    const digits = /^[0-9]+/.exec(this.src.slice(this.pos, this.pos + 32))?.[0];
    if (digits === undefined) this.fail('a threshold (decimal integer)');
    this.pos += digits.length;
    // Anything this long is out of range anyway; the threshold check reports it.
    return digits.length > 6 ? Number.MAX_SAFE_INTEGER : Number(digits);
  }

  private principal(): PrincipalPolicy {
    const start = this.pos;
    const quote = this.src[start]!;
    const end = this.src.indexOf(quote, start + 1);
    if (end < 0) {
      this.pos = this.src.length;
      this.fail(`closing ${quote} of the principal opened at offset ${start}`);
    }
    const p = checkPrincipal(this.src.slice(start + 1, end), start);
    this.principals++;
    if (this.principals > MAX_POLICY_PRINCIPALS) {
      throw new PolicyError(
        'POLICY_TOO_MANY_PRINCIPALS',
        `more than ${MAX_POLICY_PRINCIPALS} principals`,
        start,
      );
    }
    this.pos = end + 1;
    return p;
  }
}

/**
 * Parses Fabric's signature-policy syntax, e.g.
 * `OutOf(2, 'Org1.peer', AND('Org2.peer', 'Org2.admin'))`.
 */
export function parsePolicy(text: string): Policy {
  if (typeof text !== 'string') throw new PolicyError('POLICY_SYNTAX', 'a policy must be text');
  if (text.length > MAX_POLICY_LENGTH) {
    throw new PolicyError(
      'POLICY_TOO_LONG',
      `policy is ${text.length} characters, the limit is ${MAX_POLICY_LENGTH}`,
    );
  }
  return new Parser(text).parse();
}
