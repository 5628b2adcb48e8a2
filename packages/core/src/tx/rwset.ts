import { sha256 } from '../crypto/hash.js';
import { type CborValue, withEncoding } from '../encoding/cbor.js';
import { readArray, readBytes, readRecord, readString, readUint } from '../encoding/fields.js';

/** Where a state value was last written: (block number, tx index), as in Fabric. */
export interface Version {
  block: number;
  tx: number;
}

export interface ReadEntry {
  key: string;
  /** null: the simulation found the key absent. */
  version: Version | null;
}

export interface WriteEntry {
  key: string;
  /** null: the key is deleted. */
  value: Uint8Array | null;
}

/** What an endorser's simulation read and would write. */
export interface RWSet {
  reads: ReadEntry[];
  writes: WriteEntry[];
}

export const MAX_RWSET_ENTRIES = 1024;
export const MAX_STATE_KEY_LENGTH = 256;
export const MAX_STATE_VALUE_BYTES = 4096;

export function versionEquals(
  a: Version | null | undefined,
  b: Version | null | undefined,
): boolean {
  if (!a || !b) return !a && !b;
  return a.block === b.block && a.tx === b.tx;
}

export function rwsetToCbor(s: RWSet): CborValue {
  return {
    reads: s.reads.map((r) => ({
      key: r.key,
      version: r.version ? { block: r.version.block, tx: r.version.tx } : null,
    })),
    writes: s.writes.map((w) => ({ key: w.key, value: w.value })),
  };
}

function readVersion(value: unknown, what: string): Version | null {
  if (value === null) return null;
  const r = readRecord(value, what, ['block', 'tx']);
  return { block: readUint(r.block, `${what}.block`), tx: readUint(r.tx, `${what}.tx`) };
}

export function readRWSet(value: unknown, what = 'rwset'): RWSet {
  const r = readRecord(value, what, ['reads', 'writes']);
  return {
    reads: readArray(r.reads, `${what}.reads`, MAX_RWSET_ENTRIES).map((e, i) => {
      const f = readRecord(e, `${what}.reads[${i}]`, ['key', 'version']);
      return {
        key: readString(f.key, `${what}.reads[${i}].key`, MAX_STATE_KEY_LENGTH),
        version: readVersion(f.version, `${what}.reads[${i}].version`),
      };
    }),
    writes: readArray(r.writes, `${what}.writes`, MAX_RWSET_ENTRIES).map((e, i) => {
      const f = readRecord(e, `${what}.writes[${i}]`, ['key', 'value']);
      return {
        key: readString(f.key, `${what}.writes[${i}].key`, MAX_STATE_KEY_LENGTH),
        value:
          f.value === null
            ? null
            : readBytes(f.value, `${what}.writes[${i}].value`, undefined, MAX_STATE_VALUE_BYTES),
      };
    }),
  };
}

export function rwsetHash(s: RWSet): Uint8Array {
  return withEncoding(rwsetToCbor(s), sha256);
}
