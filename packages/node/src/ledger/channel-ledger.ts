import {
  type Attestation,
  type Block,
  blockHash,
  CHANNEL_NAME_PATTERN,
  type ChannelConfig,
  equalBytes,
  openGenesis,
  type StateView,
  toHex,
  type VersionedValue,
} from '@weft/core';
import { attestationSigners, attestationsBy, putAttestations } from './attestation-index.js';
import { buildCommit, buildGenesis, type CommitInput } from './commit-batch.js';
import type { NodeDatabase } from './database.js';
import { corrupt, guardDecode, guardRead, LedgerError } from './errors.js';
import { asView, u64 } from './keys.js';
import { LedgerQueries } from './queries.js';
import { type CurrentState, decodeBlockMeta, decodeCurrent } from './records.js';
import { checkSavepoint, type RepairReport, removeBlocksPastSavepoint } from './repair.js';
import { type ChannelTables, CURRENT_KEY, channelTables, writeBatch } from './tables.js';

export interface OpenLedgerOptions {
  /** The node's root database (openNodeDatabase); the ledger uses its own namespace in it. */
  db: NodeDatabase;
  channel: string;
  /** Required the first time; afterwards it must be the stored genesis. */
  genesis?: Block;
}

/** Where the chain stands; a copy, safe to keep. */
export interface ChainInfo extends CurrentState {
  channel: string;
  genesisHash: Uint8Array;
}

export type CommitBlockOptions = Omit<CommitInput, 'channel'>;

/** Ledgers open per database, so two instances never commit to one channel at once. */
const openLedgers = new WeakMap<NodeDatabase, Set<string>>();

/**
 * A peer's ledger for one channel: blocks, their codes, transactions,
 * versioned state and indexes, in one namespace of the node's database.
 * Every block is committed by one atomic batch, so after any crash the
 * ledger is exactly some prefix of the chain. Queries are on
 * LedgerQueries, which this class extends.
 */
export class ChannelLedger extends LedgerQueries {
  #current: CurrentState;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  readonly genesisHash: Uint8Array;
  /** What open() repaired (blocks past the savepoint it removed). */
  readonly repair: RepairReport;
  readonly #db: NodeDatabase;

  private constructor(init: {
    db: NodeDatabase;
    t: ChannelTables;
    channel: string;
    current: CurrentState;
    genesisHash: Uint8Array;
    repair: RepairReport;
  }) {
    super(init.t, init.channel);
    this.#db = init.db;
    this.#current = init.current;
    this.genesisHash = init.genesisHash;
    this.repair = init.repair;
  }

  static async open(options: OpenLedgerOptions): Promise<ChannelLedger> {
    const { db, channel, genesis } = options;
    if (!CHANNEL_NAME_PATTERN.test(channel)) {
      throw new LedgerError(
        'LEDGER_CHANNEL',
        `channel name ${JSON.stringify(channel)} is not allowed`,
      );
    }
    const open = openLedgers.get(db) ?? new Set<string>();
    if (open.has(channel)) {
      throw new LedgerError('LEDGER_IN_USE', `the ledger of channel ${channel} is already open`);
    }
    open.add(channel);
    openLedgers.set(db, open);
    try {
      return await ChannelLedger.#open(db, channel, genesis);
    } catch (err) {
      open.delete(channel);
      throw err;
    }
  }

  static async #open(db: NodeDatabase, channel: string, genesis?: Block): Promise<ChannelLedger> {
    const t = channelTables(db, channel);
    const what = 'the current-state record (table current)';
    const stored = await guardRead(channel, what, () => t.tables.current.get(CURRENT_KEY));
    if (!stored) return ChannelLedger.#create(db, t, channel, genesis);
    const current = guardDecode(channel, what, () => decodeCurrent(asView(stored)));
    await checkSavepoint(t, channel, current);
    const genesisHash = await ChannelLedger.#storedGenesisHash(t, channel);
    if (genesis && !equalBytes(blockHash(genesis.header), genesisHash)) {
      throw new LedgerError(
        'LEDGER_GENESIS_MISMATCH',
        `channel ${channel}: genesis ${toHex(blockHash(genesis.header))} is not the stored ${toHex(genesisHash)}`,
      );
    }
    const repair = await removeBlocksPastSavepoint(t, channel, current);
    return new ChannelLedger({ db, t, channel, current, genesisHash, repair });
  }

  static async #create(
    db: NodeDatabase,
    t: ChannelTables,
    channel: string,
    genesis?: Block,
  ): Promise<ChannelLedger> {
    if (!genesis) {
      throw new LedgerError(
        'LEDGER_NO_GENESIS',
        `channel ${channel} has no ledger yet; give its genesis block`,
      );
    }
    if (genesis.header.channel !== channel) {
      throw new LedgerError(
        'LEDGER_CHANNEL',
        `genesis of channel ${genesis.header.channel}, not ${channel}`,
      );
    }
    // A current-state record is written in the same batch as block 0, so
    // blocks without one mean hand-made or foreign data: refuse to mix in.
    for await (const _ of t.tables.blocks.keys({ limit: 1 })) {
      throw corrupt(
        channel,
        'the current-state record (table current)',
        'missing, but blocks are stored',
      );
    }
    const { channel: loaded, hash } = await openGenesis(genesis);
    const { ops, next } = buildGenesis({ genesis, hash, config: loaded.config });
    await writeBatch(t, ops);
    return new ChannelLedger({
      db,
      t,
      channel,
      current: next,
      genesisHash: hash,
      repair: { removedBlocks: [] },
    });
  }

  static async #storedGenesisHash(t: ChannelTables, channel: string): Promise<Uint8Array> {
    const what = 'block 0 (table numbers)';
    const bytes = await guardRead(channel, what, () => t.tables.numbers.get(u64(0)));
    if (!bytes) throw corrupt(channel, what, 'missing');
    return guardDecode(channel, what, () => decodeBlockMeta(asView(bytes))).hash;
  }

  info(): ChainInfo {
    const c = this.#current;
    // Copies, so a caller cannot change the ledger's idea of its tip.
    return {
      ...c,
      lastHash: c.lastHash.slice(),
      commitHash: c.commitHash.slice(),
      channel: this.channel,
      genesisHash: this.genesisHash.slice(),
    };
  }

  /** Committed state as core's validator reads it; always the latest committed block. */
  stateView(): StateView {
    return {
      get: (key: string): Promise<VersionedValue | undefined> => this.getState(key),
      getMany: (keys: readonly string[]) => this.getStates(keys),
      hasTxid: (txid: Uint8Array): Promise<boolean> => this.hasTxids([txid]).then(([has]) => !!has),
      hasTxids: (txids: readonly Uint8Array[]) => this.hasTxids(txids),
    };
  }

  /**
   * Commits a verified, validated block in ONE atomic batch: block, number
   * and hash indexes, txids with codes, state writes, coin index, current
   * state and savepoint, and `attestation` if given. Refuses (LedgerError,
   * nothing written) a block that is not next, does not link to the last
   * hash, or whose validation, commitHash or attestation do not fit it.
   */
  commitBlock(options: CommitBlockOptions): Promise<ChainInfo> {
    return this.#exclusive(async () => {
      const input: CommitInput = { ...options, channel: this.channel };
      const read = (keys: string[]) => this.getStates(keys);
      const { ops, next } = await buildCommit(input, this.#current, read);
      await writeBatch(this.t, ops);
      this.#current = next;
      return this.info();
    });
  }

  /** Stores an attestation gathered from another peer; the caller has verified it. */
  addAttestation(attestation: Attestation): Promise<void> {
    return this.addAttestations([attestation]);
  }

  /** Stores attestations gathered from other peers in one write; the caller has verified them. */
  addAttestations(list: readonly Attestation[]): Promise<void> {
    return this.#exclusive(() => putAttestations(this.t, this.channel, list));
  }

  /** For each block `from..from+count-1`, the signer keys of its stored attestations, ascending. */
  attestationSigners(from: number, count: number): Promise<Uint8Array[][]> {
    return attestationSigners(this.t, this.channel, from, count);
  }

  /** The stored attestations by any of `signers` of blocks `from..from+count-1`. */
  attestationsBy(from: number, count: number, signers: readonly Uint8Array[]) {
    return attestationsBy(this.t, this.channel, from, count, signers);
  }

  /** The config in force at the tip (the genesis config until config blocks exist). */
  async config(): Promise<ChannelConfig> {
    return this.configAt(0);
  }

  /** Waits for a commit in progress and releases the channel; the database stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    openLedgers.get(this.#db)?.delete(this.channel);
  }

  /** Writes one at a time: each commit builds on the state the previous one left. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        new LedgerError('LEDGER_CLOSED', `ledger of ${this.channel} is closed`),
      );
    }
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
