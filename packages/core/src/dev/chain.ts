import { type Block, blockHash } from '../block/block.js';
import { type ChainTip, verifyBlock } from '../block/verify.js';
import { computeCommitHash, genesisCommitHash } from '../commit/commit-hash.js';
import { MemoryState } from '../validate/state.js';
import { type BlockValidation, validateBlock } from '../validate/validate.js';
import type { DevNetwork } from './network.js';
import { buildBlock } from './transactions.js';

/**
 * An in-memory chain that commits blocks the way a peer does (verify,
 * validate, apply, chain the commit hash). Tests and benchmarks use it as
 * the reference replay.
 */
export class DevChain {
  readonly state = new MemoryState();
  readonly blocks: Block[];
  tip: ChainTip;
  commitHash: Uint8Array;

  constructor(readonly net: DevNetwork) {
    this.blocks = [net.genesis];
    this.tip = { number: 0, hash: net.genesisHash, timestamp: net.genesis.header.timestamp };
    this.commitHash = genesisCommitHash({
      hash: net.genesisHash,
      envelopes: net.genesis.data.length,
    });
  }

  /** Orders `data` into the next block and commits it. */
  async append(data: Uint8Array[]): Promise<{ block: Block; validation: BlockValidation }> {
    const block = await buildBlock(this.net, this.tip, data);
    return { block, validation: await this.commit(block) };
  }

  /** Verifies, validates and applies a block; throws BlockError if it does not extend the tip. */
  async commit(block: Block): Promise<BlockValidation> {
    const { channel, backend } = this.net;
    const hash = await verifyBlock({ block, previous: this.tip, channel, backend });
    const validation = await validateBlock({ block, channel, state: this.state, backend });
    this.state.apply(validation);
    this.commitHash = computeCommitHash({
      previous: this.commitHash,
      blockHash: blockHash(block.header),
      codes: validation.codes,
      writes: validation.writes,
    });
    this.blocks.push(block);
    this.tip = { number: block.header.number, hash, timestamp: block.header.timestamp };
    return validation;
  }
}
