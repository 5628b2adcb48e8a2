// Arbitrary canonical CBOR values and byte mutations, shared by the codec's tests.
import * as fc from 'fast-check';
import type { CborValue } from '../../src/encoding/cbor.js';

export const MIN_INT = -(1n << 64n);
export const MAX_UINT = (1n << 64n) - 1n;

// Arbitrary Weft CBOR values: what the encoder accepts and the decoder returns.
export const keyArb = fc.string({ unit: 'binary', maxLength: 8 }).filter((k) => k !== '__proto__');
export const leafArb: fc.Arbitrary<CborValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.maxSafeInteger(),
  fc.integer({ min: -30, max: 30 }),
  fc.bigInt({ min: MIN_INT, max: MAX_UINT }),
  fc.constantFrom(0n, MAX_UINT, MIN_INT, 1n << 53n, -(1n << 53n) - 1n, 255n, 256n, 65536n),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.uint8Array({ maxLength: 40 }),
);
export const { value: cborArb } = fc.letrec<{
  value: CborValue;
  array: CborValue[];
  map: Record<string, CborValue>;
}>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leafArb, tie('array'), tie('map')),
  array: fc.array(tie('value'), { maxLength: 6 }),
  map: fc.dictionary(keyArb, tie('value'), { maxKeys: 6, noNullPrototype: true }),
}));

export type Mutation =
  | { kind: 'xor'; at: number; mask: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number }
  | { kind: 'append'; tail: Uint8Array };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('xor' as const),
    at: fc.nat(),
    mask: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('append' as const),
    tail: fc.uint8Array({ minLength: 1, maxLength: 4 }),
  }),
);

export function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const out = Array.from(bytes);
  const at = m.kind === 'append' ? 0 : m.at % (bytes.length + (m.kind === 'insert' ? 1 : 0));
  switch (m.kind) {
    case 'xor':
      out[at] = out[at]! ^ m.mask;
      break;
    case 'set':
      out[at] = m.byte;
      break;
    case 'insert':
      out.splice(at, 0, m.byte);
      break;
    case 'delete':
      out.splice(at, 1);
      break;
    case 'append':
      out.push(...m.tail);
      break;
  }
  return Uint8Array.from(out);
}
