import type { AbstractBatchOperation, AbstractSublevel } from 'abstract-level';
import type { LevelFormat, NodeDatabase } from './database.js';

/** A sublevel with Uint8Array keys and values. */
export type Table = AbstractSublevel<NodeDatabase, LevelFormat, Uint8Array, Uint8Array>;

/** The tables of one channel, in LAYOUT.md order. */
export const TABLE_NAMES = [
  'blocks',
  'envelopes',
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
  /** The channel's namespace. */
  ns: Table;
  tables: Record<TableName, Table>;
  /** Each table's full key prefix in the root database, for batches written there directly. */
  prefixes: Record<TableName, Uint8Array>;
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
  const utf8 = new TextEncoder();
  const prefixes = Object.fromEntries(
    TABLE_NAMES.map((name) => [name, utf8.encode(tables[name].prefix)]),
  ) as Record<TableName, Uint8Array>;
  return { ns, tables, prefixes };
}

function prefixed(prefix: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + key.length);
  out.set(prefix, 0);
  out.set(key, prefix.length);
  return out;
}

/** One write of a block's batch, named by table so it can be built (and tested) without a database. */
export type LedgerOp =
  | { type: 'put'; table: TableName; key: Uint8Array; value: Uint8Array }
  | { type: 'del'; table: TableName; key: Uint8Array };

/** Writes `ops` as ONE atomic batch: LevelDB applies all of it or, after a crash, none. */
export async function writeBatch(t: ChannelTables, ops: readonly LedgerOp[]): Promise<void> {
  // Keys are prefixed here and written to the root database: the same keys
  // the table sublevels read, without sublevel dispatch for every operation
  // (a block of 500 spends has about 3,000).
  const levelOps = ops.map(
    (op): AbstractBatchOperation<NodeDatabase, Uint8Array, Uint8Array> =>
      op.type === 'put'
        ? { type: 'put', key: prefixed(t.prefixes[op.table], op.key), value: op.value }
        : { type: 'del', key: prefixed(t.prefixes[op.table], op.key) },
  );
  await t.ns.db.batch(levelOps);
}
