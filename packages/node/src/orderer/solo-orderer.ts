import type { Block, Certificate, Channel, Ed25519Backend, Signer } from '@weft/core';
import type { OrdererMetrics } from '../ops/metrics.js';
import { admitEnvelope, type RecentTxids } from './admission.js';
import { assembleBlock } from './assemble.js';
import { BlockCutter, type CutBatch } from './block-cutter.js';
import { BlockFeed } from './block-feed.js';
import { type Clock, systemClock } from './clock.js';
import { OrdererError } from './errors.js';
import { OrdererLifecycle } from './lifecycle.js';
import { OrdererStore } from './orderer-store.js';
import {
  type BroadcastResult,
  openOrdererChannel,
  recentTxidsOf,
  type SoloOrdererOptions,
} from './solo-open.js';

export type { BroadcastResult, SoloOrdererOptions };

interface Waiter {
  txid: Uint8Array;
  resolve(result: BroadcastResult): void;
  reject(err: unknown): void;
}

/**
 * The solo ordering service of one channel (DESIGN section 5 step 3):
 * admits envelopes, cuts them into blocks by count, bytes or timeout, signs
 * and stores each block, then acknowledges its envelopes and wakes deliver
 * streams. A broadcast resolves only once its block is durably stored, so
 * nothing acknowledged is lost; every other outcome is a typed rejection.
 */
export class SoloOrderer {
  readonly channel: Channel;
  readonly #store: OrdererStore;
  readonly #cutter: BlockCutter;
  readonly #signer: Signer;
  readonly #certNotAfter: number;
  readonly #clock: Clock;
  readonly #backend: Ed25519Backend | undefined;
  readonly #recent: RecentTxids;
  readonly #feed: BlockFeed;
  readonly #metrics: OrdererMetrics | undefined;
  /** Waiters of the cutter's pending envelopes, in the same order. */
  #waiting: Waiter[] = [];
  #cancelTimer: (() => void) | undefined;
  #writing: Promise<void> = Promise.resolve();
  readonly #life: OrdererLifecycle;
  /** Set when a block could not be stored; the cause is kept for the errors. */
  #closing: Promise<void> | undefined;

  private constructor(init: {
    channel: Channel;
    cert: Certificate;
    store: OrdererStore;
    options: SoloOrdererOptions;
    recent: RecentTxids;
  }) {
    const { channel, store, options } = init;
    this.channel = channel;
    this.#life = new OrdererLifecycle(
      channel.config.channel,
      options.maxPendingBroadcasts ?? 10_000,
    );
    this.#certNotAfter = init.cert.notAfter;
    this.#store = store;
    this.#signer = options.signer;
    this.#clock = options.clock ?? systemClock;
    this.#backend = options.backend;
    this.#recent = init.recent;
    this.#metrics = options.metrics;
    this.#cutter = new BlockCutter({ limits: channel.config.ordering, nextNumber: store.height });
    this.#feed = new BlockFeed({
      store,
      maxBlockBytes: this.#cutter.maxBytes,
      status: () => this.#life.status,
    });
  }

  static async open(options: SoloOrdererOptions): Promise<SoloOrderer> {
    const clock = options.clock ?? systemClock;
    const { channel, cert } = await openOrdererChannel({ ...options, at: clock.now() });
    const store = await OrdererStore.open({
      db: options.db,
      channel: channel.config.channel,
      genesis: options.genesis,
      sync: options.sync,
    });
    try {
      const recent = await recentTxidsOf(store, options.recentTxids ?? 20_000);
      return new SoloOrderer({ channel, cert, store, options, recent });
    } catch (err) {
      store.close();
      throw err;
    }
  }

  /** Stored blocks, genesis included: the next block's number. */
  get height(): number {
    return this.#store.height;
  }

  /** Envelopes admitted but not yet cut into a block (they wait for count, bytes or timeout). */
  get pending(): number {
    return this.#cutter.pendingCount;
  }

  get closed(): boolean {
    return this.#life.closed;
  }

  /**
   * Orders one envelope. Resolves once it is in a block durably stored
   * (which block, which index); rejects with an OrdererError otherwise, in
   * which case it was not acknowledged and the client may retry.
   */
  broadcast(envelope: Uint8Array): Promise<BroadcastResult> {
    return this.#life.broadcast(() => this.#admit(envelope));
  }

  async #admit(bytes: Uint8Array): Promise<BroadcastResult> {
    const done = await admitEnvelope(bytes, {
      channel: this.channel,
      at: this.#clock.now(),
      backend: this.#backend,
      fits: (e) => this.#cutter.check(e),
      refuse: (id) => this.#refuseDuplicate(id),
      assertOpen: () => this.#life.assertOpen(),
      admit: ({ tx, txid, envelope }) => {
        const batches = this.#cutter.ordered(envelope);
        this.#recent.add(txid);
        const acked = new Promise<BroadcastResult>((resolve, reject) => {
          this.#waiting.push({ txid: tx.txid, resolve, reject });
        });
        for (const batch of batches) this.#enqueue(batch);
        this.#armTimer();
        // Wrapped: a promise returned from an async function would be awaited here.
        return { acked };
      },
    });
    return done.acked;
  }

  #refuseDuplicate(txid: string): void {
    if (this.#recent.has(txid)) {
      throw new OrdererError('ORDERER_DUPLICATE_TXID', `txid ${txid} was already ordered here`, {
        channel: this.channel.config.channel,
      });
    }
  }

  /** Starts the batch timeout when a pending batch gets its first envelope. */
  #armTimer(): void {
    if (this.#cancelTimer || this.#cutter.pendingCount === 0) return;
    // The timer delivers what a shared log would: "time to cut block n".
    const n = this.#cutter.nextNumber;
    this.#cancelTimer = this.#clock.setTimer(this.channel.config.ordering.batchTimeoutMs, () => {
      this.#cancelTimer = undefined;
      const batch = this.#cutter.timeToCut(n);
      if (batch) this.#enqueue(batch);
    });
  }

  #disarmTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  /** Hands a cut batch to the writer; blocks are signed and stored strictly in order. */
  #enqueue(batch: CutBatch): void {
    this.#disarmTimer();
    this.#metrics?.blockCut(this.channel.config.channel, batch.reason);
    const waiters = this.#waiting.splice(0, batch.envelopes.length);
    this.#writing = this.#writing.then(() => this.#write(batch, waiters));
  }

  async #write(batch: CutBatch, waiters: Waiter[]): Promise<void> {
    if (this.#life.failed) return rejectAll(waiters, this.#life.failedError());
    let block: Block;
    try {
      block = await assembleBlock({
        channel: this.channel.config.channel,
        batch,
        tip: this.#store.tip,
        now: this.#clock.now(),
        signer: this.#signer,
        certNotAfter: this.#certNotAfter,
      });
      await this.#store.append(block);
    } catch (err) {
      this.#fail(err);
      return rejectAll(waiters, this.#life.failedError());
    }
    for (const [index, w] of waiters.entries()) {
      w.resolve({ txid: w.txid, block: batch.number, index });
    }
    this.#feed.published(block);
  }

  /** A block could not be stored: stop, since the chain on disk is no longer certain. */
  #fail(err: unknown): void {
    if (!this.#life.fail(err)) return;
    this.#disarmTimer();
    this.#cutter.cutPending();
    rejectAll(this.#waiting.splice(0), this.#life.failedError());
    this.#feed.wakeAll();
  }

  /** Calls `listener` with each block right after it is stored; returns the unsubscribe. */
  onBlock(listener: (block: Block) => void): () => void {
    return this.#feed.onBlock(listener);
  }

  /**
   * Stored blocks from `from` on, then each new block as it is stored,
   * until `signal` aborts or the orderer closes (the iteration then just
   * ends; after a storage failure it ends once the stored blocks are
   * served). Blocks are read from the store in small chunks, so a
   * far-behind reader costs bounded memory. A `from` past the head waits
   * for it; one that is not a block number throws ORDERER_BAD_REQUEST.
   */
  deliver(from: number, signal?: AbortSignal): AsyncGenerator<Block> {
    return this.#feed.deliver(from, signal);
  }

  /**
   * Stops ordering. Envelopes still pending in the cutter are rejected with
   * ORDERER_CLOSED, never acknowledged (as Fabric's orderer does), unless
   * `flush` cuts them into a last block first; batches already cut are
   * stored and acknowledged before close resolves. Deliver streams end. The
   * database stays open: its owner closes it.
   */
  close(options: { flush?: boolean } = {}): Promise<void> {
    this.#closing ??= this.#close(options.flush ?? false);
    return this.#closing;
  }

  async #close(flush: boolean): Promise<void> {
    this.#disarmTimer();
    if (flush && !this.#life.failed) {
      const batch = this.#cutter.cutPending('forced');
      if (batch) this.#enqueue(batch);
    }
    this.#life.close();
    this.#cutter.cutPending();
    rejectAll(this.#waiting.splice(0), this.#life.closedError('closed before ordering'));
    await this.#writing;
    this.#feed.wakeAll();
    await this.#feed.drain();
    this.#store.close();
  }
}

function rejectAll(waiters: readonly Waiter[], err: unknown): void {
  for (const w of waiters) w.reject(err);
}
