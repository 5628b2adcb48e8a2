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
}

const ENCODINGS = { keyEncoding: 'view', valueEncoding: 'view' } as const;

/**
 * Opens the node's root database. Opening eagerly (level would otherwise
 * defer it) makes a locked or damaged store fail here, with a message that
 * names the path, instead of on the first read.
 */
export async function openNodeDatabase(
  options: OpenNodeDatabaseOptions = {},
): Promise<NodeDatabase> {
  const { path } = options;
  const db: NodeDatabase =
    path === undefined
      ? new MemoryLevel<Uint8Array, Uint8Array>(ENCODINGS)
      : new ClassicLevel<Uint8Array, Uint8Array>(path, ENCODINGS);
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
