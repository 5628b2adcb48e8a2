// VSCC compares an endorsed write set with what the Fabcoin chaincode
// writes in place (fabcoinWritesMatch), no longer by building the expected
// list: it must agree with that list, entry for entry, on every write set.
import { assert, describe, it } from '@weft/test/harness';
import fc from 'fast-check';
import { equalBytes } from '../../src/bytes.js';
import type { FabcoinRequest } from '../../src/fabcoin/request.js';
import { fabcoinWrites, fabcoinWritesMatch } from '../../src/fabcoin/rules.js';
import type { WriteEntry } from '../../src/tx/rwset.js';

/** The comparison VSCC made before: against fabcoinWrites, entry by entry. */
function reference(txid: Uint8Array, request: FabcoinRequest, writes: WriteEntry[]): boolean {
  const expected = fabcoinWrites(txid, request);
  return (
    writes.length === expected.length &&
    expected.every((w, i) => {
      const got = writes[i]!;
      if (got.key !== w.key) return false;
      return w.value === null || got.value === null
        ? w.value === got.value
        : equalBytes(w.value, got.value);
    })
  );
}

const coinArb = fc.record({
  amount: fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
  owner: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  label: fc.constantFrom('FBC', 'USD', 'X'),
});
const requestArb: fc.Arbitrary<FabcoinRequest> = fc.oneof(
  fc.record({
    type: fc.constant('spend' as const),
    inputs: fc.array(fc.constantFrom(`${'a'.repeat(64)}.0`, `${'b'.repeat(64)}.1`, 'c.2'), {
      maxLength: 3,
    }),
    outputs: fc.array(coinArb, { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('mint' as const),
    inputs: fc.constant([]).map(() => []),
    outputs: fc.array(coinArb, { maxLength: 3 }),
  }),
);

type Edit =
  | { kind: 'drop'; at: number }
  | { kind: 'dup'; at: number }
  | { kind: 'swap'; at: number }
  | { kind: 'key'; at: number; key: string }
  | { kind: 'null'; at: number }
  | { kind: 'value'; at: number; value: Uint8Array }
  | { kind: 'flip'; at: number; byte: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('key' as const), at: fc.nat(), key: fc.string({ maxLength: 70 }) }),
  fc.record({ kind: fc.constant('null' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('value' as const),
    at: fc.nat(),
    value: fc.uint8Array({ maxLength: 80 }),
  }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat() }),
);

function edit(writes: WriteEntry[], e: Edit): WriteEntry[] {
  const out: WriteEntry[] = writes.map((w) => ({ key: w.key, value: w.value?.slice() ?? null }));
  if (out.length === 0) return e.kind === 'value' ? [{ key: 'k', value: e.value }] : out;
  const at = e.at % out.length;
  const w = out[at]!;
  switch (e.kind) {
    case 'drop':
      out.splice(at, 1);
      break;
    case 'dup':
      out.splice(at, 0, { ...w });
      break;
    case 'swap':
      out.splice(at, 1);
      out.push(w);
      break;
    case 'key':
      w.key = e.key;
      break;
    case 'null':
      w.value = w.value === null ? new Uint8Array(0) : null;
      break;
    case 'value':
      w.value = e.value;
      break;
    case 'flip':
      if (w.value && w.value.length > 0) w.value[e.byte % w.value.length]! ^= 1;
      break;
  }
  return out;
}

describe('fabcoin/rules: fabcoinWritesMatch', () => {
  it('accepts exactly the chaincode writes, and agrees with the list comparison on edits', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        requestArb,
        fc.array(editArb, { maxLength: 3 }),
        (txid, request, edits) => {
          let writes = fabcoinWrites(txid, request);
          assert.isTrue(fabcoinWritesMatch(txid, request, writes));
          for (const e of edits) writes = edit(writes, e);
          assert.equal(fabcoinWritesMatch(txid, request, writes), reference(txid, request, writes));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
