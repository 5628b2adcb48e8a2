import { CodecError, WeftError } from '@weft/core';

/**
 * Codes a caller can branch on:
 * LEDGER_CORRUPT (a stored value does not decode or contradicts the rest),
 * LEDGER_NO_GENESIS, LEDGER_GENESIS_MISMATCH, LEDGER_CHANNEL,
 * LEDGER_BLOCK_NUMBER, LEDGER_PREVIOUS_HASH, LEDGER_BAD_COMMIT,
 * LEDGER_BAD_QUERY, LEDGER_LOCKED (store held by another process),
 * LEDGER_IN_USE (channel already open here), LEDGER_CLOSED, LEDGER_OPTIONS
 * (bad database options).
 */
export class LedgerError extends WeftError {}

/** LevelDB reports damaged files with this code (classic-level). */
function isLevelCorruption(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'LEVEL_CORRUPTION';
}

/**
 * Runs a read-and-decode step; a value that fails to decode (or a damaged
 * LevelDB file) becomes LEDGER_CORRUPT naming the channel and `what` (the
 * block, key or record), so an operator sees where, not a stack trace.
 */
export async function guardRead<T>(
  channel: string,
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asCorrupt(channel, what, err);
  }
}

export function guardDecode<T>(channel: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asCorrupt(channel, what, err);
  }
}

function asCorrupt(channel: string, what: string, err: unknown): unknown {
  if (err instanceof CodecError || isLevelCorruption(err)) {
    return corrupt(channel, what, (err as Error).message, err);
  }
  return err;
}

export function corrupt(
  channel: string,
  what: string,
  problem: string,
  cause?: unknown,
): LedgerError {
  return new LedgerError(
    'LEDGER_CORRUPT',
    `ledger of channel ${channel}: ${what} is corrupt: ${problem}`,
    cause === undefined ? undefined : { cause },
  );
}
