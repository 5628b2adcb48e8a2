import type { AbstractLevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';
import { LedgerError } from './errors.js';

/** What every backend accepts as an encoded key or value. */
export type LevelFormat = string | Buffer | Uint8Array;

/** A node's one root database: Uint8Array keys and values ('view' encoding). */
export type NodeDatabase = AbstractLevel<LevelFormat, Uint8Array, Uint8Array>;

export interface OpenNodeDatabaseOptions {
  /** Directory of the LevelDB store; without it the database lives in memory (tests). */
  path?: string;
  /** LevelDB tuning of an on-disk store, over DEFAULT_LEVELDB_OPTIONS (ignored in memory). */
  leveldb?: LevelDbOptions;
}

/** classic-level's memory-relevant LevelDB options; every one a positive integer. */
export interface LevelDbOptions {
  /** LRU cache of decompressed data blocks, in bytes. */
  cacheSize?: number;
  /** Memtable size at which it is written out as a level-0 table, in bytes. */
  writeBufferSize?: number;
  /**
   * Files LevelDB keeps open: 10 for itself, the rest is its table cache.
   * LevelDB raises anything below 74 to 74 (64 tables).
   */
  maxOpenFiles?: number;
  /** Size at which LevelDB starts a new table file during compaction, in bytes. */
  maxFileSize?: number;
}

/**
 * LevelDB (1.20 in classic-level 3) maps every table in its table cache into
 * memory (mmap, up to 1000 files) and reads through the mapping, so each
 * table read leaves its pages, and the kernel's fault-around of them, in the
 * process's RSS until the table leaves the cache. With classic-level's
 * default of 1000 open files that is the whole store once random reads have
 * touched it: 5,000 random txid lookups on a 300,000-transaction ledger
 * (290 MB, 147 tables) added 172 MB of mapped tables to RSS. 74, LevelDB's
 * minimum, keeps 64 tables mapped at most (20-35 MB measured there), with
 * lookup latency unchanged: an evicted table is reopened from the page cache.
 * Compactions read their inputs through the same mappings, so the table size
 * bounds both: with 1 MiB tables instead of 2 MiB, a 1,000,000-transaction
 * `weft bench ledger` peaked at 318 MB instead of 350 MB (mapped tables 46
 * MB instead of 71 MB at most), with txid and coin-page p99 and fill rate
 * the same within run-to-run noise. Cache and memtable sizes are
 * classic-level's defaults (LevelDB's own estimate of both stayed at 13 MB).
 */
export const DEFAULT_LEVELDB_OPTIONS: Readonly<Required<LevelDbOptions>> = {
  cacheSize: 8 * 2 ** 20,
  writeBufferSize: 4 * 2 ** 20,
  maxOpenFiles: 74,
  maxFileSize: 2 ** 20,
};

/** The defaults overridden by `options`; LEDGER_OPTIONS if a value is not a positive 32-bit integer. */
export function resolveLevelDbOptions(options: LevelDbOptions = {}): Required<LevelDbOptions> {
  const resolved = { ...DEFAULT_LEVELDB_OPTIONS };
  for (const name of Object.keys(DEFAULT_LEVELDB_OPTIONS) as (keyof LevelDbOptions)[]) {
    const value = options[name];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1 || value > 0xffffffff) {
      throw new LedgerError(
        'LEDGER_OPTIONS',
        `leveldb.${name} must be a positive integer: ${value}`,
      );
    }
    resolved[name] = value;
  }
  return resolved;
}

const ENCODINGS = { keyEncoding: 'view', valueEncoding: 'view' } as const;

/**
 * Opens the node's root database (LEDGER_OPTIONS for bad `leveldb` options). Opening eagerly (level would otherwise
 * defer it) makes a locked or damaged store fail here, with a message that
 * names the path, instead of on the first read.
 */
export async function openNodeDatabase(
  options: OpenNodeDatabaseOptions = {},
): Promise<NodeDatabase> {
  const { path } = options;
  const leveldb = resolveLevelDbOptions(options.leveldb);
  const db: NodeDatabase =
    path === undefined
      ? new MemoryLevel<Uint8Array, Uint8Array>(ENCODINGS)
      : new ClassicLevel<Uint8Array, Uint8Array>(path, { ...ENCODINGS, ...leveldb });
  try {
    await db.open();
  } catch (err) {
    const code = levelCode(err);
    if (code === 'LEVEL_LOCKED') {
      throw new LedgerError('LEDGER_LOCKED', `database ${path} is in use by another process`, {
        cause: err,
      });
    }
    if (code === 'LEVEL_CORRUPTION') {
      throw new LedgerError('LEDGER_CORRUPT', `database ${path} is corrupt`, { cause: err });
    }
    throw err;
  }
  return db;
}

/** Level wraps the backend's error in LEVEL_DATABASE_NOT_OPEN; the reason is its cause. */
function levelCode(err: unknown): unknown {
  let e = err as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e.code === 'LEVEL_LOCKED' || e.code === 'LEVEL_CORRUPTION') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}
