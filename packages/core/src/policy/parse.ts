import {
  checkPrincipal,
  MAX_POLICY_DEPTH,
  MAX_POLICY_LENGTH,
  MAX_POLICY_PRINCIPALS,
  type Policy,
  PolicyError,
  type PrincipalPolicy,
} from './ast.js';

const GATES: Record<string, 'and' | 'or' | 'outof'> = {
  AND: 'and',
  and: 'and',
  OR: 'or',
  or: 'or',
  OutOf: 'outof',
  outof: 'outof',
};

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
