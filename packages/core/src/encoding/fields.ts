import { CodecError } from '../errors.js';

/**
 * Strict readers that turn a decoded CBOR value into a typed structure.
 * Each names the field it checks so a rejection says exactly what was wrong.
 */

/** A decoded value that does not have the structure it must: CODEC_SCHEMA. */
export function schemaError(problem: string): never {
  throw new CodecError('CODEC_SCHEMA', problem);
}

function fail(what: string, problem: string): never {
  schemaError(`${what}: ${problem}`);
}

/** A map with exactly `required` keys plus any of `optional`; nothing else. */
export function readRecord(
  value: unknown,
  what: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    value instanceof Uint8Array
  ) {
    fail(what, 'expected a map');
  }
  const rec = value as Record<string, unknown>;
  for (const key of required) {
    if (!Object.hasOwn(rec, key)) fail(what, `missing field ${key}`);
  }
  for (const key of Object.keys(rec)) {
    if (!required.includes(key) && !optional.includes(key)) fail(what, `unknown field ${key}`);
  }
  return rec;
}

export function readBytes(
  value: unknown,
  what: string,
  length?: number,
  maxLength = 1 << 20,
): Uint8Array {
  if (!(value instanceof Uint8Array)) fail(what, 'expected bytes');
  if (length !== undefined && value.length !== length) {
    fail(what, `expected ${length} bytes, got ${value.length}`);
  }
  if (value.length > maxLength) fail(what, `longer than ${maxLength} bytes`);
  return value;
}

export function readString(value: unknown, what: string, maxLength = 256): string {
  if (typeof value !== 'string') fail(what, 'expected a string');
  if (value.length > maxLength) fail(what, `longer than ${maxLength} characters`);
  return value;
}

/** A non-negative safe integer (counts, heights, indexes, milliseconds). */
export function readUint(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(what, 'expected a non-negative integer');
  }
  return value;
}

/** An unsigned integer of any size up to 64 bits, always as bigint (amounts). */
export function readBigUint(value: unknown, what: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'bigint' && value >= 0n) return value;
  fail(what, 'expected an unsigned integer');
}

export function readArray(value: unknown, what: string, maxLength: number): unknown[] {
  if (!Array.isArray(value)) fail(what, 'expected an array');
  if (value.length > maxLength) fail(what, `more than ${maxLength} items`);
  return value;
}

export function readEnum<T extends string>(value: unknown, what: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(what, `expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}
