import type { AbstractBatchOperation, AbstractSublevel } from 'abstract-level';
import type { LevelFormat, NodeDatabase } from './database.js';

/** A sublevel with Uint8Array keys and values. */
export type Table = AbstractSublevel<NodeDatabase, LevelFormat, Uint8Array, Uint8Array>;

/** The tables of one channel, in LAYOUT.md order. */
export const TABLE_NAMES = [
  'blocks',
  'numbers',
  'hashes',
  'txs',
  'state',
  'coins',
  'current',
  'config',
  'attestations',
] as const;

export type TableName = (typeof TABLE_NAMES)[number];

export interface ChannelTables {
  /** The channel's namespace; atomic batches are written through it. */
  ns: Table;
  tables: Record<TableName, Table>;
}

/** Top-level namespace of the ledger, so other node components can share the root database. */
export const LEDGER_NAMESPACE = 'ledger';

/** The single key of the `current` table. */
export const CURRENT_KEY = new TextEncoder().encode('tip');

const ENCODINGS = { keyEncoding: 'view', valueEncoding: 'view' } as const;

/**
 * The namespace `!ledger!!<channel>!` and its tables `!<table>!` inside it.
 * Channel names (core's CHANNEL_NAME_PATTERN) are lowercase ASCII, which
 * abstract-level accepts as sublevel names.
 */
export function channelTables(db: NodeDatabase, channel: string): ChannelTables {
  const ns = db.sublevel<Uint8Array, Uint8Array>([LEDGER_NAMESPACE, channel], ENCODINGS) as Table;
  const tables = Object.fromEntries(
    TABLE_NAMES.map((name) => [name, ns.sublevel<Uint8Array, Uint8Array>(name, ENCODINGS)]),
  ) as unknown as Record<TableName, Table>;
  return { ns, tables };
}

/** One write of a block's batch, named by table so it can be built (and tested) without a database. */
export type LedgerOp =
  | { type: 'put'; table: TableName; key: Uint8Array; value: Uint8Array }
  | { type: 'del'; table: TableName; key: Uint8Array };

/** Writes `ops` as ONE atomic batch: LevelDB applies all of it or, after a crash, none. */
export async function writeBatch(t: ChannelTables, ops: readonly LedgerOp[]): Promise<void> {
  const levelOps = ops.map((op) =>
    op.type === 'put'
      ? { type: 'put' as const, key: op.key, value: op.value, sublevel: t.tables[op.table] }
      : { type: 'del' as const, key: op.key, sublevel: t.tables[op.table] },
  );
  // The sublevel typings cannot express "a child of this sublevel"; level checks it at run time.
  await t.ns.batch(levelOps as unknown as AbstractBatchOperation<Table, Uint8Array, Uint8Array>[]);
}
