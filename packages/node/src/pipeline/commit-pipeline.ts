import {
  type Attestation,
  type Block,
  BlockError,
  type Certificate,
  type Channel,
  checkAllInline,
  codesHash,
  computeCommitHash,
  type Ed25519Backend,
  type Signer,
  signAttestation,
  type TxCheck,
  type TxCheckContext,
  type TxCode,
  validateBlock,
  verifyBlock,
  WeftError,
} from '@weft/core';
import type { ChainInfo, ChannelLedger } from '../ledger/index.js';
import { ReorderBuffer } from './reorder-buffer.js';

export class PipelineError extends WeftError {}

export interface CommittedEvent {
  number: number;
  hash: Uint8Array;
  codes: TxCode[];
  info: ChainInfo;
  attestation?: Attestation;
  /** performance.now() when the block left the reorder buffer for verification. */
  startedAt: number;
}

export interface CommitPipelineOptions {
  ledger: ChannelLedger;
  channel: Channel;
  /** Stateless VSCC for a block's envelopes; a worker pool in production, inline by default. */
  checkAll?: (data: readonly Uint8Array[], ctx: TxCheckContext) => Promise<TxCheck[]>;
  /** When set, each committed block is attested with this peer identity. */
  attester?: { signer: Signer; cert: Certificate };
  backend?: Ed25519Backend;
  /** How many blocks past the tip may wait in the reorder buffer. */
  window?: number;
  /** Blocks verified and in VSCC ahead of the one committing (2: n commits while n+1 is checked). */
  depth?: number;
  onCommitted?: (event: CommittedEvent) => void;
  onRejected?: (number: number, error: WeftError) => void;
}

interface Prepared {
  startedAt: number;
  block: Block;
  hash: Uint8Array;
  checks: Promise<TxCheck[]>;
}

/**
 * A peer's path from ordered blocks to its ledger. Blocks are offered in any
 * order; the reorder buffer releases them in sequence; each is verified
 * against the chain (core's block verifier), its stateless VSCC starts at
 * once (so block n+1 is checked while block n commits), then MVCC runs
 * against committed state and the block, codes, state and indexes commit in
 * one atomic batch. A block that fails verification is dropped (a good copy
 * may still come); invalid transactions are committed with their codes.
 */
export class CommitPipeline {
  readonly #o: CommitPipelineOptions;
  readonly #buffer: ReorderBuffer<Block>;
  readonly #prepared: Prepared[] = [];
  #verifiedTip: { number: number; hash: Uint8Array; timestamp: number };
  #running: Promise<void> | undefined;
  #failure: PipelineError | undefined;
  readonly #waiters = new Map<number, { resolve: () => void; reject: (e: Error) => void }[]>();

  constructor(options: CommitPipelineOptions) {
    this.#o = options;
    const info = options.ledger.info();
    this.#verifiedTip = {
      number: info.height - 1,
      hash: info.lastHash,
      timestamp: info.lastTimestamp,
    };
    this.#buffer = new ReorderBuffer({ next: info.height, window: options.window ?? 256 });
  }

  /** Offers a block from any source (deliver, gossip, pull); returns what the buffer did with it. */
  offer(block: Block): ReturnType<ReorderBuffer<Block>['offer']> {
    if (this.#failure) throw this.#failure;
    const verdict = this.#buffer.offer(block.header.number, block);
    if (verdict === 'held') this.#kick();
    return verdict;
  }

  /** The ledger's committed height. */
  get height(): number {
    return this.#o.ledger.info().height;
  }

  /** Resolves once the ledger's height reaches `height` (or rejects if the pipeline fails). */
  waitForHeight(height: number): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.height >= height) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const list = this.#waiters.get(height) ?? [];
      list.push({ resolve, reject });
      this.#waiters.set(height, list);
    });
  }

  /** Resolves when nothing is left to do with the blocks offered so far. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
    if (this.#failure) throw this.#failure;
  }

  #kick(): void {
    if (this.#running || this.#failure) return;
    this.#running = this.#run()
      .catch((err) => {
        this.#failure =
          err instanceof PipelineError
            ? err
            : new PipelineError(
                'PIPELINE_FAILED',
                `commit pipeline stopped: ${(err as Error).message}`,
                {
                  cause: err,
                },
              );
        // Nothing will reach those heights now: waiters learn why instead of hanging.
        for (const list of this.#waiters.values()) for (const w of list) w.reject(this.#failure);
        this.#waiters.clear();
      })
      .finally(() => {
        this.#running = undefined;
        // Blocks may have arrived while the last commit finished.
        if (!this.#failure && this.#buffer.peek()) this.#kick();
      });
  }

  async #run(): Promise<void> {
    for (;;) {
      await this.#prepare();
      const next = this.#prepared.shift();
      if (!next) return;
      await this.#commit(next);
    }
  }

  /** Verifies released blocks and starts their VSCC, up to `depth` ahead of the committing one. */
  async #prepare(): Promise<void> {
    const depth = this.#o.depth ?? 2;
    for (
      let block = this.#buffer.peek();
      block && this.#prepared.length < depth;
      block = this.#buffer.peek()
    ) {
      const startedAt = performance.now();
      let hash: Uint8Array;
      try {
        hash = await verifyBlock({
          block,
          previous: this.#verifiedTip,
          channel: this.#o.channel,
          backend: this.#o.backend,
        });
      } catch (err) {
        if (!(err instanceof BlockError)) throw err;
        this.#buffer.discardNext();
        this.#o.onRejected?.(block.header.number, err);
        continue;
      }
      this.#buffer.advance();
      this.#verifiedTip = { number: block.header.number, hash, timestamp: block.header.timestamp };
      const ctx: TxCheckContext = {
        channel: this.#o.channel,
        at: block.header.timestamp,
        backend: this.#o.backend,
      };
      const checks = (this.#o.checkAll ?? checkAllInline)(block.data, ctx);
      checks.catch(() => {}); // observed when the block commits; avoid an unhandled rejection meanwhile
      this.#prepared.push({ startedAt, block, hash, checks });
    }
  }

  async #commit(p: Prepared): Promise<void> {
    const { ledger, channel } = this.#o;
    const checks = await p.checks;
    const validation = await validateBlock({
      block: p.block,
      channel,
      state: ledger.stateView(),
      backend: this.#o.backend,
      checkAll: async () => checks,
    });
    const previous = ledger.info();
    const commitHash = computeCommitHash({
      previous: previous.commitHash,
      blockHash: p.hash,
      codes: validation.codes,
      writes: validation.writes,
    });
    const number = p.block.header.number;
    const attestation = this.#o.attester
      ? await signAttestation(
          {
            channel: channel.config.channel,
            number,
            blockHash: p.hash,
            codesHash: codesHash(validation.codes),
            commitHash,
          },
          this.#o.attester.signer,
          this.#o.attester.cert,
        )
      : undefined;
    const info = await ledger.commitBlock({
      block: p.block,
      hash: p.hash,
      validation,
      commitHash,
      attestation,
    });
    this.#o.onCommitted?.({
      number,
      hash: p.hash,
      codes: validation.codes,
      info,
      attestation,
      startedAt: p.startedAt,
    });
    for (const [height, list] of this.#waiters) {
      if (info.height >= height) {
        this.#waiters.delete(height);
        for (const w of list) w.resolve();
      }
    }
  }
}
