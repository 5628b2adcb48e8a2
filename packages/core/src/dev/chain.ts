import { ChainReplay } from '../audit/replay.js';
import type { Block } from '../block/block.js';
import type { ChainTip } from '../block/verify.js';
import type { MemoryState } from '../validate/state.js';
import type { BlockValidation } from '../validate/validate.js';
import type { DevNetwork } from './network.js';
import { buildBlock } from './transactions.js';

/**
 * An in-memory chain that commits blocks the way a peer does (verify,
 * validate, apply, chain the commit hash) through core's ChainReplay, the
 * replay the auditor uses too. Tests and benchmarks use it as the
 * reference replay; it also keeps the blocks so fake full nodes can serve them.
 */
export class DevChain {
  readonly replay: ChainReplay;
  readonly blocks: Block[];

  constructor(readonly net: DevNetwork) {
    this.blocks = [net.genesis];
    this.replay = new ChainReplay({
      channel: net.channel,
      genesis: net.genesis,
      genesisHash: net.genesisHash,
      backend: net.backend,
    });
  }

  get state(): MemoryState {
    return this.replay.state;
  }

  get tip(): ChainTip {
    return this.replay.tip;
  }

  get commitHash(): Uint8Array {
    return this.replay.commitHash;
  }

  /** Orders `data` into the next block and commits it. */
  async append(data: Uint8Array[]): Promise<{ block: Block; validation: BlockValidation }> {
    const block = await buildBlock(this.net, this.tip, data);
    return { block, validation: await this.commit(block) };
  }

  /** Verifies, validates and applies a block; throws BlockError if it does not extend the tip. */
  async commit(block: Block): Promise<BlockValidation> {
    const { validation } = await this.replay.commit(block);
    this.blocks.push(block);
    return validation;
  }
}
