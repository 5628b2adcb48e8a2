import { assert, describe, it, throwsWithCode } from '@weft/test/harness';
import fc from 'fast-check';
import {
  assertPolicy,
  evaluatePolicy,
  formatPolicy,
  isSatisfiable,
  MAX_POLICY_DEPTH,
  MAX_POLICY_LENGTH,
  MAX_POLICY_PRINCIPALS,
  type Policy,
  PolicyError,
  parsePolicy,
  ROLES,
  type Role,
} from '../../src/policy/index.js';
import { arbPolicy } from './arbitraries.js';

const P = (org: string, role: Role): Policy => ({ kind: 'principal', org, role });
const outOf = (n: number, ...rules: Policy[]): Policy => ({ kind: 'outOf', n, rules });

describe('policy: parse', () => {
  it('reads AND, OR and OutOf as thresholds', () => {
    assert.deepEqual(
      parsePolicy("AND('Org1.peer','Org2.peer')"),
      outOf(2, P('Org1', 'peer'), P('Org2', 'peer')),
    );
    assert.deepEqual(
      parsePolicy("OR('Org1.peer','Org2.admin')"),
      outOf(1, P('Org1', 'peer'), P('Org2', 'admin')),
    );
    assert.deepEqual(
      parsePolicy("OutOf(2, 'Org1.peer','Org2.peer','Org3.peer')"),
      outOf(2, P('Org1', 'peer'), P('Org2', 'peer'), P('Org3', 'peer')),
    );
  });

  it('accepts lower-case gates, both quote styles, whitespace and a bare principal', () => {
    const want = outOf(1, P('A', 'client'), outOf(2, P('B', 'cb'), P('C', 'member')));
    for (const text of [
      `OR('A.client', AND("B.cb", 'C.member'))`,
      `or("A.client",and('B.cb',"C.member"))`,
      ` \n OR (\t'A.client' ,\r\n  OutOf ( 2 , 'B.cb' , 'C.member' ) ) \n`,
      `or('A.client', outof(2, 'B.cb', 'C.member'))`,
    ]) {
      assert.deepEqual(parsePolicy(text), want, text);
    }
    assert.deepEqual(parsePolicy("  'Org1.orderer' "), P('Org1', 'orderer'));
  });

  it('splits the role at the last dot and knows every role', () => {
    assert.deepEqual(parsePolicy("'org1.example-com.peer'"), P('org1.example-com', 'peer'));
    for (const role of ROLES) assert.deepEqual(parsePolicy(`'O_1.${role}'`), P('O_1', role));
  });

  it('nests', () => {
    const p = parsePolicy("OutOf(1, AND('A.peer', OR('B.peer', 'C.peer')), 'D.admin')");
    assert.deepEqual(
      p,
      outOf(1, outOf(2, P('A', 'peer'), outOf(1, P('B', 'peer'), P('C', 'peer'))), P('D', 'admin')),
    );
  });
});

describe('policy: parse errors', () => {
  const cases: [string, string][] = [
    ['', 'POLICY_SYNTAX'],
    ['   ', 'POLICY_SYNTAX'],
    ['AND', 'POLICY_SYNTAX'],
    ["AND('A.peer'", 'POLICY_SYNTAX'],
    ["AND('A.peer',)", 'POLICY_SYNTAX'],
    ["AND('A.peer' 'B.peer')", 'POLICY_SYNTAX'],
    ["AND('A.peer'))", 'POLICY_SYNTAX'],
    ["AND('A.peer') x", 'POLICY_SYNTAX'],
    ["And('A.peer')", 'POLICY_SYNTAX'],
    ["OUTOF(1,'A.peer')", 'POLICY_SYNTAX'],
    ["NOT('A.peer')", 'POLICY_SYNTAX'],
    ['A.peer', 'POLICY_SYNTAX'],
    ["'A.peer", 'POLICY_SYNTAX'],
    ['\'A.peer"', 'POLICY_SYNTAX'],
    ["OutOf('A.peer')", 'POLICY_SYNTAX'],
    ["OutOf(1 'A.peer')", 'POLICY_SYNTAX'],
    ["OutOf(1.5,'A.peer')", 'POLICY_SYNTAX'],
    ["OutOf(-1,'A.peer')", 'POLICY_SYNTAX'],
    ['OutOf(1)', 'POLICY_SYNTAX'],
    ["'Org1peer'", 'POLICY_BAD_PRINCIPAL'],
    ["'.peer'", 'POLICY_BAD_PRINCIPAL'],
    ["''", 'POLICY_BAD_PRINCIPAL'],
    ["'Org 1.peer'", 'POLICY_BAD_PRINCIPAL'],
    ["AND('Org/1.peer')", 'POLICY_BAD_PRINCIPAL'],
    ["'Org1.superuser'", 'POLICY_UNKNOWN_ROLE'],
    ["'Org1.Peer'", 'POLICY_UNKNOWN_ROLE'],
    ["'Org1.'", 'POLICY_UNKNOWN_ROLE'],
    ['AND()', 'POLICY_EMPTY_GATE'],
    ['OR(  )', 'POLICY_EMPTY_GATE'],
    ['OutOf(1,)', 'POLICY_EMPTY_GATE'],
    ["OutOf(0,'A.peer')", 'POLICY_BAD_THRESHOLD'],
    ["OutOf(3,'A.peer','B.peer')", 'POLICY_BAD_THRESHOLD'],
    ["OutOf(99999999999999999999,'A.peer')", 'POLICY_BAD_THRESHOLD'],
  ];
  for (const [text, code] of cases) {
    it(`${JSON.stringify(text)} -> ${code}`, () => {
      const err = throwsWithCode(() => parsePolicy(text), code);
      assert.instanceOf(err, PolicyError);
    });
  }

  it('says what was expected and where', () => {
    const err = throwsWithCode(() => parsePolicy("AND('A.peer' 'B.peer')"), 'POLICY_SYNTAX');
    assert.equal((err as PolicyError).offset, 13);
    assert.include((err as Error).message, "expected ',' or ')'");
    assert.include((err as Error).message, 'offset 13');
    const bad = throwsWithCode(() => parsePolicy("OR('A.peer', 'B.boss')"), 'POLICY_UNKNOWN_ROLE');
    assert.equal((bad as PolicyError).offset, 13);
    const thr = throwsWithCode(() => parsePolicy("OutOf( 5,'A.peer')"), 'POLICY_BAD_THRESHOLD');
    assert.equal((thr as PolicyError).offset, 7);
  });

  it('rejects non-text input', () => {
    throwsWithCode(() => parsePolicy(42 as unknown as string), 'POLICY_SYNTAX');
  });

  it('enforces the length bound', () => {
    const text = "'A.peer'";
    assert.deepEqual(parsePolicy(text.padEnd(MAX_POLICY_LENGTH, ' ')), P('A', 'peer'));
    throwsWithCode(() => parsePolicy(text.padEnd(MAX_POLICY_LENGTH + 1, ' ')), 'POLICY_TOO_LONG');
  });

  it('enforces the depth bound', () => {
    const nest = (d: number) => `${'AND('.repeat(d)}'A.peer'${')'.repeat(d)}`;
    assert.equal(parsePolicy(nest(MAX_POLICY_DEPTH)).kind, 'outOf');
    throwsWithCode(() => parsePolicy(nest(MAX_POLICY_DEPTH + 1)), 'POLICY_TOO_DEEP');
    throwsWithCode(() => parsePolicy(nest(2000)), 'POLICY_TOO_LONG');
  });

  it('enforces the principal bound', () => {
    const or = (k: number) =>
      `OR(${Array.from({ length: k }, (_, i) => `'O${i}.peer'`).join(',')})`;
    const p = parsePolicy(or(MAX_POLICY_PRINCIPALS));
    assert.equal(p.kind === 'outOf' && p.rules.length, MAX_POLICY_PRINCIPALS);
    throwsWithCode(() => parsePolicy(or(MAX_POLICY_PRINCIPALS + 1)), 'POLICY_TOO_MANY_PRINCIPALS');
  });

  it('arbitrary text either parses or fails with a PolicyError', () => {
    const alphabet = fc.constantFrom(...'ANDORutfa(),\'" .12Org1peermbcdil\n'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 60 })), (text) => {
        try {
          parsePolicy(text);
        } catch (err) {
          assert.instanceOf(err, PolicyError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('policy: format', () => {
  it('writes canonical text', () => {
    assert.equal(
      formatPolicy(parsePolicy(`or( "A.peer" , and('B.peer','C.admin') )`)),
      "OR('A.peer',AND('B.peer','C.admin'))",
    );
    assert.equal(
      formatPolicy(parsePolicy("OutOf(2,'A.peer','B.peer','C.peer')")),
      "OutOf(2,'A.peer','B.peer','C.peer')",
    );
    assert.equal(formatPolicy(parsePolicy("OutOf(1,'A.peer')")), "AND('A.peer')");
    assert.equal(formatPolicy(P('A', 'cb')), "'A.cb'");
  });

  it('refuses ASTs the parser could never produce', () => {
    throwsWithCode(() => formatPolicy(P("A'B", 'peer')), 'POLICY_BAD_PRINCIPAL');
    throwsWithCode(() => formatPolicy(P('A', 'root' as Role)), 'POLICY_UNKNOWN_ROLE');
    throwsWithCode(() => formatPolicy(outOf(0, P('A', 'peer'))), 'POLICY_BAD_THRESHOLD');
    throwsWithCode(() => formatPolicy(outOf(1)), 'POLICY_EMPTY_GATE');
  });

  it('evaluation refuses malformed hand-made ASTs too', () => {
    const signer = { org: 'A', role: 'peer', id: 'x' };
    let deep: Policy = P('A', 'peer');
    for (let i = 0; i <= MAX_POLICY_DEPTH; i++) deep = outOf(1, deep);
    const cases: [unknown, string][] = [
      [outOf(0, P('A', 'peer')), 'POLICY_BAD_THRESHOLD'],
      [outOf(1.5, P('A', 'peer'), P('B', 'peer')), 'POLICY_BAD_THRESHOLD'],
      [outOf(2, P('A', 'peer')), 'POLICY_BAD_THRESHOLD'],
      [outOf(1), 'POLICY_EMPTY_GATE'],
      [deep, 'POLICY_TOO_DEEP'],
      [
        outOf(1, ...Array.from({ length: 257 }, () => P('A', 'peer'))),
        'POLICY_TOO_MANY_PRINCIPALS',
      ],
      [P('A', 'boss' as Role), 'POLICY_UNKNOWN_ROLE'],
      [P('A', 'x.peer' as Role), 'POLICY_BAD_PRINCIPAL'],
      [{ kind: 'principal', org: 1, role: 'peer' }, 'POLICY_BAD_PRINCIPAL'],
      [{ kind: 'and', rules: [] }, 'POLICY_SYNTAX'],
      [null, 'POLICY_SYNTAX'],
    ];
    for (const [ast, code] of cases) {
      throwsWithCode(() => assertPolicy(ast), code);
      throwsWithCode(() => evaluatePolicy(ast as Policy, [signer]), code);
      throwsWithCode(() => isSatisfiable(ast as Policy, 'any', ['A']), code);
    }
  });

  it('parse(format(p)) deep-equals p for random policies', () => {
    fc.assert(
      fc.property(arbPolicy(), (p) => {
        assert.deepEqual(parsePolicy(formatPolicy(p)), p);
      }),
      { numRuns: 300 },
    );
  });
});
