import { type Block, blockHash } from '../block/block.js';
import { openGenesis } from '../block/genesis.js';
import { type ChainTip, verifyBlock } from '../block/verify.js';
import { computeCommitHash, genesisCommitHash } from '../commit/commit-hash.js';
import type { Channel } from '../config/channel.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { MemoryState } from '../validate/state.js';
import { type BlockValidation, checkAllInline, validateBlock } from '../validate/validate.js';
import type { TxCheck, TxCheckContext } from '../validate/vscc.js';

export interface ChainReplayOptions {
  channel: Channel;
  genesis: Block;
  /** The genesis block's hash, already checked (openGenesis) by the caller. */
  genesisHash: Uint8Array;
  backend?: Ed25519Backend;
  /** The stateless VSCC half (a worker pool in a browser); defaults to inline. */
  checkAll?: (data: readonly Uint8Array[], ctx: TxCheckContext) => Promise<TxCheck[]>;
}

/** What committing one block produced. */
export interface ReplayedBlock {
  hash: Uint8Array;
  validation: BlockValidation;
  /** VSCC's per-envelope results, in order: tells a spend from a mint without decoding again. */
  checks: TxCheck[];
  /** commitHash after this block. */
  commitHash: Uint8Array;
}

/**
 * A chain replayed in memory exactly as a peer commits it: verify the block
 * against the tip, validate it against the state, apply the writes, chain
 * the commit hash. The auditor and DevChain (tests, benchmarks) share it, so
 * there is one reference replay.
 *
 * Memory: the whole world state (every unspent coin) and every recorded
 * txid stay in memory, O(unspent coins + transactions) — fine for test and
 * development chains, not for a production ledger of millions of txs.
 */
export class ChainReplay {
  readonly state = new MemoryState();
  readonly channel: Channel;
  tip: ChainTip;
  commitHash: Uint8Array;
  readonly #o: ChainReplayOptions;

  constructor(options: ChainReplayOptions) {
    this.#o = options;
    this.channel = options.channel;
    const { genesis, genesisHash } = options;
    this.tip = { number: 0, hash: genesisHash, timestamp: genesis.header.timestamp };
    this.commitHash = genesisCommitHash({ hash: genesisHash, envelopes: genesis.data.length });
  }

  /** Opens a replay from a genesis block checked against the trust anchor. */
  static async open(
    genesis: Block,
    options: {
      expectedHash: Uint8Array;
      backend?: Ed25519Backend;
      checkAll?: ChainReplayOptions['checkAll'];
    },
  ): Promise<ChainReplay> {
    const { channel, hash } = await openGenesis(genesis, options);
    return new ChainReplay({ ...options, channel, genesis, genesisHash: hash });
  }

  /**
   * Verifies, validates and applies the block after the tip. Throws
   * BlockError (leaving the replay unchanged) if it does not extend the tip.
   */
  async commit(block: Block): Promise<ReplayedBlock> {
    const { channel, backend } = this.#o;
    const verified = verifyBlock({ block, previous: this.tip, channel, backend });
    const run = this.#o.checkAll ?? checkAllInline;
    let checks: TxCheck[] = [];
    // Validation only reads the state, so it starts alongside the block's own
    // checks (whose signatures would otherwise hold the VSCC back a round
    // trip); nothing is applied unless the block verifies, and a block that
    // fails both is reported for the block check.
    const validating = validateBlock({
      block,
      channel,
      state: this.state,
      backend,
      checkAll: async (data, ctx) => {
        checks = await run(data, ctx);
        return checks;
      },
    });
    validating.catch(() => {});
    const hash = await verified;
    const validation = await validating;
    this.state.apply(validation);
    this.commitHash = computeCommitHash({
      previous: this.commitHash,
      blockHash: blockHash(block.header),
      codes: validation.codes,
      writes: validation.writes,
    });
    this.tip = { number: block.header.number, hash, timestamp: block.header.timestamp };
    return { hash, validation, checks, commitHash: this.commitHash };
  }
}
