import {
  type Block,
  blockHash,
  CHANNEL_NAME_PATTERN,
  type ChainTip,
  encodeBlock,
  equalBytes,
  MAX_BLOCK_BYTES,
  toHex,
  utf8,
} from '@weft/core';
import type { AbstractBatchOptions, AbstractSublevel } from 'abstract-level';
import type { LevelFormat, NodeDatabase } from '../ledger/database.js';
import { asView, readU64, u64 } from '../ledger/keys.js';
import { OrdererError } from './errors.js';
import {
  corrupt,
  decodeStored,
  decodeTip,
  encodeTip,
  guard,
  guardDecode,
} from './store-records.js';

/** Top-level namespace of orderer data, beside the ledger's 'ledger'. See LAYOUT.md. */
export const ORDERER_NAMESPACE = 'orderer';
const TIP_KEY = utf8('tip');
const CURSOR_KEY = utf8('cursor');
/** Bound on a cursor record: a log position, not data. */
export const MAX_CURSOR_BYTES = 256;
const ENCODINGS = { keyEncoding: 'view', valueEncoding: 'view' } as const;

type Table = AbstractSublevel<NodeDatabase, LevelFormat, Uint8Array, Uint8Array>;

export interface OpenOrdererStoreOptions {
  /** The node's root database (openNodeDatabase); the caller owns it and closes it. */
  db: NodeDatabase;
  channel: string;
  /** Required the first time; afterwards, if given, it must be the stored block 0. */
  genesis?: Block;
  /**
   * fsync every append (default true): an orderer acknowledges a broadcast
   * once its block is stored, so the block must survive a power cut, not
   * only a process crash. Tests may turn it off for speed.
   */
  sync?: boolean;
}

/** classic-level's option; abstract-level's types do not list it, memory-level ignores it. */
function batchOptions(sync: boolean): AbstractBatchOptions<Uint8Array, Uint8Array> {
  return { sync } as unknown as AbstractBatchOptions<Uint8Array, Uint8Array>;
}

/** Stores open per database, so two orderers never append to one channel at once. */
const openStores = new WeakMap<NodeDatabase, Set<string>>();

/**
 * An orderer's chain of one channel: blocks by number and the tip, in the
 * namespace ['orderer', channel] of the node's database. Each append is ONE
 * atomic batch (block and tip), so after a crash the store is exactly some
 * prefix of the chain and the tip record names its last block.
 */
export class OrdererStore {
  readonly channel: string;
  readonly genesisHash: Uint8Array;
  readonly #db: NodeDatabase;
  readonly #blocks: Table;
  readonly #meta: Table;
  readonly #sync: boolean;
  #tip: ChainTip;
  #cursor: Uint8Array | undefined;
  #closed = false;

  private constructor(init: {
    db: NodeDatabase;
    channel: string;
    blocks: Table;
    meta: Table;
    tip: ChainTip;
    genesisHash: Uint8Array;
    sync: boolean;
    cursor: Uint8Array | undefined;
  }) {
    this.#db = init.db;
    this.#sync = init.sync;
    this.channel = init.channel;
    this.#blocks = init.blocks;
    this.#meta = init.meta;
    this.#tip = init.tip;
    this.genesisHash = init.genesisHash;
    this.#cursor = init.cursor;
  }

  static async open(options: OpenOrdererStoreOptions): Promise<OrdererStore> {
    const { db, channel } = options;
    if (!CHANNEL_NAME_PATTERN.test(channel)) {
      throw new OrdererError('ORDERER_BAD_GENESIS', `channel name ${JSON.stringify(channel)}`);
    }
    const open = openStores.get(db) ?? new Set<string>();
    if (open.has(channel)) {
      throw new OrdererError('ORDERER_IN_USE', `the orderer store of ${channel} is already open`, {
        channel,
      });
    }
    open.add(channel);
    openStores.set(db, open);
    try {
      return await OrdererStore.#open(options);
    } catch (err) {
      open.delete(channel);
      throw err;
    }
  }

  static async #open(options: OpenOrdererStoreOptions): Promise<OrdererStore> {
    const { db, channel, genesis } = options;
    const sync = options.sync ?? true;
    const ns = db.sublevel<Uint8Array, Uint8Array>([ORDERER_NAMESPACE, channel], ENCODINGS);
    const blocks = ns.sublevel<Uint8Array, Uint8Array>('blocks', ENCODINGS) as Table;
    const meta = ns.sublevel<Uint8Array, Uint8Array>('meta', ENCODINGS) as Table;
    const fail = (block: number, problem: string, cause?: unknown) =>
      corrupt(channel, block, problem, cause);
    const tipBytes = await guard(channel, -1, () => meta.get(TIP_KEY));
    let tip: ChainTip;
    if (tipBytes === undefined) {
      for await (const _ of blocks.keys({ limit: 1 })) throw fail(-1, 'missing, but blocks exist');
      if (!genesis) {
        throw new OrdererError(
          'ORDERER_NO_GENESIS',
          `channel ${channel} has no orderer chain yet`,
          {
            channel,
          },
        );
      }
      const h = genesis.header;
      if (h.number !== 0 || h.channel !== channel) {
        throw new OrdererError('ORDERER_BAD_GENESIS', `not block 0 of channel ${channel}`, {
          channel,
        });
      }
      tip = { number: 0, hash: blockHash(h), timestamp: h.timestamp };
      await db.batch(
        [
          { type: 'put', sublevel: blocks, key: u64(0), value: encodeBlock(genesis) },
          { type: 'put', sublevel: meta, key: TIP_KEY, value: encodeTip(tip) },
        ],
        batchOptions(sync),
      );
    } else {
      tip = guardDecode(channel, -1, () => decodeTip(asView(tipBytes)));
    }
    const last = await readBlock(blocks, channel, tip.number);
    if (!last || !equalBytes(blockHash(last.header), tip.hash)) {
      throw fail(tip.number, 'missing or not the block the tip record names');
    }
    for await (const key of blocks.keys({ gt: u64(tip.number), limit: 1 })) {
      throw fail(readU64(asView(key)) ?? -1, 'stored past the tip record');
    }
    const first = tip.number === 0 ? last : await readBlock(blocks, channel, 0);
    if (!first) throw fail(0, 'missing');
    const genesisHash = blockHash(first.header);
    if (genesis && !equalBytes(blockHash(genesis.header), genesisHash)) {
      throw new OrdererError(
        'ORDERER_GENESIS_MISMATCH',
        `channel ${channel}: genesis ${toHex(blockHash(genesis.header))} is not the stored ${toHex(genesisHash)}`,
        { channel, block: 0 },
      );
    }
    const cursorBytes = await guard(channel, -1, () => meta.get(CURSOR_KEY));
    if (cursorBytes !== undefined && cursorBytes.length > MAX_CURSOR_BYTES) {
      throw fail(tip.number, `cursor record of ${cursorBytes.length} bytes`);
    }
    const cursor = cursorBytes === undefined ? undefined : asView(cursorBytes).slice();
    return new OrdererStore({ db, channel, blocks, meta, tip, genesisHash, sync, cursor });
  }

  /** Number of stored blocks, genesis included; the next block's number. */
  get height(): number {
    return this.#tip.number + 1;
  }

  /** The last stored block's number, hash and timestamp (a copy). */
  get tip(): ChainTip {
    return { ...this.#tip, hash: this.#tip.hash.slice() };
  }

  /**
   * The record last appended with `cursor` (a copy), or undefined: what an
   * orderer reading a shared log needs to resume right after the tip. Its
   * format is that orderer's business; the store only keeps it atomic with
   * the block it came with.
   */
  get cursor(): Uint8Array | undefined {
    return this.#cursor?.slice();
  }

  /**
   * Appends the next block and moves the tip in ONE atomic batch (with
   * `cursor`, when given, in the same batch); resolves once level has
   * written it. Refuses (ORDERER_BAD_APPEND, nothing written) a block that
   * does not extend the tip. The caller serialises appends.
   */
  async append(block: Block, options: { cursor?: Uint8Array } = {}): Promise<ChainTip> {
    this.#assertOpen();
    const h = block.header;
    const problem =
      h.channel !== this.channel
        ? `belongs to channel ${h.channel}`
        : h.number !== this.height
          ? `is not next (height ${this.height})`
          : !equalBytes(h.previousHash, this.#tip.hash)
            ? 'does not link to the tip'
            : undefined;
    const bytes = problem === undefined ? encodeBlock(block) : undefined;
    const { cursor } = options;
    if (cursor && cursor.length > MAX_CURSOR_BYTES) {
      throw new OrdererError('ORDERER_BAD_APPEND', `cursor of ${cursor.length} bytes`, {
        channel: this.channel,
        block: h.number,
      });
    }
    if (problem !== undefined || !bytes || bytes.length > MAX_BLOCK_BYTES) {
      throw new OrdererError(
        'ORDERER_BAD_APPEND',
        `channel ${this.channel}: block ${h.number} ${problem ?? 'exceeds MAX_BLOCK_BYTES'}`,
        { channel: this.channel, block: h.number },
      );
    }
    const tip = { number: h.number, hash: blockHash(h), timestamp: h.timestamp };
    await this.#db.batch(
      [
        { type: 'put', sublevel: this.#blocks, key: u64(h.number), value: bytes },
        { type: 'put', sublevel: this.#meta, key: TIP_KEY, value: encodeTip(tip) },
        ...(cursor
          ? [{ type: 'put' as const, sublevel: this.#meta, key: CURSOR_KEY, value: cursor }]
          : []),
      ],
      batchOptions(this.#sync),
    );
    this.#tip = tip;
    if (cursor) this.#cursor = cursor.slice();
    return this.tip;
  }

  /** Block `number`, or undefined at or past the height; ORDERER_CORRUPT if it does not decode. */
  async getBlock(number: number): Promise<Block | undefined> {
    return (await this.getBlocks(number, 1))[0];
  }

  /** Up to `count` consecutive blocks from `from`, stopping at the height. */
  async getBlocks(from: number, count: number): Promise<Block[]> {
    this.#assertOpen();
    const end = Math.min(from + count, this.#tip.number + 1);
    if (from >= end) return [];
    const numbers = Array.from({ length: end - from }, (_, i) => from + i);
    const values = await guard(this.channel, from, () => this.#blocks.getMany(numbers.map(u64)));
    return numbers.map((n, i) => {
      const bytes = values[i];
      if (bytes === undefined) throw corrupt(this.channel, n, 'missing below the tip');
      return decodeStored(this.channel, n, asView(bytes));
    });
  }

  /** Stored blocks from the tip down to genesis, read one at a time (stop early by breaking). */
  async *descending(): AsyncGenerator<Block> {
    this.#assertOpen();
    const values = this.#blocks.iterator({ lte: u64(this.#tip.number), reverse: true });
    try {
      for (let expected = this.#tip.number; ; expected--) {
        const entry = await guard(this.channel, expected, () => values.next());
        if (!entry) return;
        const n = readU64(asView(entry[0]));
        if (n !== expected) throw corrupt(this.channel, expected, 'missing below the tip');
        yield decodeStored(this.channel, n, asView(entry[1]));
      }
    } finally {
      await values.close();
    }
  }

  /** Releases the channel on this database (the database stays open: the caller owns it). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    openStores.get(this.#db)?.delete(this.channel);
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new OrdererError('ORDERER_CLOSED', `orderer store of ${this.channel} is closed`, {
        channel: this.channel,
      });
    }
  }
}

async function readBlock(blocks: Table, channel: string, n: number): Promise<Block | undefined> {
  const bytes = await guard(channel, n, () => blocks.get(u64(n)));
  return bytes === undefined ? undefined : decodeStored(channel, n, asView(bytes));
}
