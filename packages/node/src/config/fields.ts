import { parse as parseYaml, YAMLError } from 'yaml';

/**
 * Strict readers for hand-written YAML (network specs, node configs). Every
 * rejection names the field by its path (`channels[0].ordering.maxTxCount`)
 * and goes through the caller's `fail`, so each file format keeps its own
 * typed error class and code.
 */

/** Throws the caller's typed error for `field`; never returns. */
export type FieldFail = (field: string, problem: string) => never;

export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export interface IntBounds {
  min?: number;
  max?: number;
}

export class FieldReader {
  readonly fail: FieldFail;

  constructor(fail: FieldFail) {
    this.fail = fail;
  }

  /** A map with exactly the `required` keys plus any of `optional`; typos are errors, not ignored. */
  map(
    value: unknown,
    field: string,
    required: readonly string[],
    optional: readonly string[] = [],
  ): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(field || '(top level)', `expected a map, got ${describe(value)}`);
    }
    const rec = value as Record<string, unknown>;
    for (const key of Object.keys(rec)) {
      if (!required.includes(key) && !optional.includes(key)) {
        const allowed = [...required, ...optional].join(', ');
        this.fail(fieldPath(field, key), `unknown field (allowed: ${allowed})`);
      }
    }
    for (const key of required) {
      if (rec[key] === undefined) this.fail(fieldPath(field, key), 'is required');
    }
    return rec;
  }

  string(
    value: unknown,
    field: string,
    options: { pattern?: RegExp; max?: number; hint?: string } = {},
  ): string {
    if (typeof value !== 'string') this.fail(field, `expected a string, got ${describe(value)}`);
    const max = options.max ?? 1024;
    if (value.length === 0) this.fail(field, 'must not be empty');
    if (value.length > max) this.fail(field, `longer than ${max} characters`);
    if (options.pattern && !options.pattern.test(value)) {
      this.fail(
        field,
        `${JSON.stringify(value)} is not allowed${options.hint ? ` (${options.hint})` : ''}`,
      );
    }
    return value;
  }

  int(value: unknown, field: string, bounds: IntBounds = {}): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.fail(field, `expected an integer, got ${describe(value)}`);
    }
    const min = bounds.min ?? 0;
    if (value < min) this.fail(field, `${value} is below the minimum ${min}`);
    if (bounds.max !== undefined && value > bounds.max) {
      this.fail(field, `${value} is above the maximum ${bounds.max}`);
    }
    return value;
  }

  bool(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean')
      this.fail(field, `expected true or false, got ${describe(value)}`);
    return value;
  }

  list(value: unknown, field: string, bounds: IntBounds = {}): unknown[] {
    if (!Array.isArray(value)) this.fail(field, `expected a list, got ${describe(value)}`);
    const min = bounds.min ?? 0;
    if (value.length < min)
      this.fail(field, `needs at least ${min} entr${min === 1 ? 'y' : 'ies'}`);
    if (bounds.max !== undefined && value.length > bounds.max) {
      this.fail(field, `has more than ${bounds.max} entries`);
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      this.fail(field, `expected one of ${choices.join(', ')}, got ${describe(value)}`);
    }
    return value as T;
  }

  /** Lowercase hex of exactly `bytes` bytes (upper case accepted and normalised). */
  hex(value: unknown, field: string, bytes: number): string {
    const s = this.string(value, field, { max: bytes * 2 });
    if (!new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(s)) {
      this.fail(field, `expected ${bytes * 2} hex digits`);
    }
    return s.toLowerCase();
  }

  /** Reads `rec[key]` with `read` when present (not undefined), else returns `fallback`. */
  optional<T, D = T>(
    rec: Record<string, unknown>,
    key: string,
    fallback: D,
    read: (value: unknown) => T,
  ): T | D {
    return rec[key] === undefined ? fallback : read(rec[key]);
  }

  /** Checks that entries have distinct keys; `what` names the list in the error. */
  unique<T>(items: readonly T[], field: string, key: (item: T) => string, what = 'name'): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined) {
        this.fail(
          fieldPath(field, i),
          `duplicate ${what} ${JSON.stringify(k)} (also at [${first}])`,
        );
      }
      seen.set(k, i);
    });
  }
}

/**
 * Parses YAML text to plain data (YAML 1.2 core schema: `yes` stays a string,
 * duplicate keys are errors). Syntax errors go to `onError` with a line hint.
 */
export function parseYamlText(text: string, onError: (message: string) => never): unknown {
  try {
    return parseYaml(text, { uniqueKeys: true, strict: true, prettyErrors: true });
  } catch (err) {
    if (err instanceof YAMLError)
      onError((err.message.split('\n')[0] ?? err.message).replace(/:$/, ''));
    throw err;
  }
}
