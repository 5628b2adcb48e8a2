import { type Block, checkAllInline, type TxCheck, type TxCheckContext } from '@weft/core';

/** Blocks whose VSCC starts ahead of the replay: two keep a worker's queue full while the page commits. */
const LOOKAHEAD = 2;

export type CheckAll = (data: readonly Uint8Array[], ctx: TxCheckContext) => Promise<TxCheck[]>;

/**
 * VSCC blocks ahead. The replay asks for block n's checks only once
 * block n-1 is committed, so without this the signature verifications
 * (threads, workers) sit idle while the replay decodes, hashes, runs MVCC
 * and chains the commit hash. The stateless half depends on nothing but
 * the envelopes, the channel and the block's time, so when block n's
 * checks start, the next blocks' start too if they have arrived; the
 * replay then finds them done or under way. They are found by the block's own `data`
 * array, so only the very block the replay validates can use them.
 */
export class VsccLookahead {
  readonly #run: CheckAll;
  readonly #arrived = new Map<number, Block>();
  readonly #numbers = new WeakMap<readonly Uint8Array[], number>();
  readonly #started = new Map<readonly Uint8Array[], Promise<TxCheck[]>>();

  constructor(run: CheckAll = checkAllInline) {
    this.#run = run;
  }

  /** A block came from a node (not yet verified). */
  arrived(block: Block): void {
    this.#arrived.set(block.header.number, block);
    this.#numbers.set(block.data, block.header.number);
  }

  /** ChainReplay's checkAll hook. */
  readonly checkAll: CheckAll = (data, ctx) => {
    const checks = this.#started.get(data) ?? this.#run(data, ctx);
    this.#started.delete(data);
    const n = this.#numbers.get(data);
    if (n !== undefined) {
      // Blocks up to this one are done with (genesis never passes through here).
      for (const k of this.#arrived.keys()) if (k <= n) this.#arrived.delete(k);
      for (let k = 1; k <= LOOKAHEAD; k++) {
        const next = this.#arrived.get(n + k);
        if (!next || this.#started.has(next.data)) continue;
        const early = this.#run(next.data, { ...ctx, at: next.header.timestamp });
        // Consumed when the replay reaches that block; a block it rejects first never is.
        early.catch(() => {});
        this.#started.set(next.data, early);
      }
    }
    return checks;
  };
}
