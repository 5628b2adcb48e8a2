import { setMaxListeners } from 'node:events';
import { type Block, type Channel, CodecError, type Ed25519Backend } from '@weft/core';
import type { OrdererMetrics } from '../../ops/metrics.js';
import { admitEnvelope } from '../admission.js';
import { BlockFeed } from '../block-feed.js';
import { type Clock, systemClock } from '../clock.js';
import type { OrdererError } from '../errors.js';
import { OrdererLifecycle } from '../lifecycle.js';
import type { OrdererStore } from '../orderer-store.js';
import type { BroadcastResult } from '../solo-open.js';
import { BlockSealer } from './block-sealer.js';
import { BroadcastWaiters } from './broadcast-waiters.js';
import type { ChannelLog, LogMessage } from './channel-log.js';
import {
  type JetStreamOrdererOptions,
  type OpenedJetStream,
  openJetStream,
} from './jetstream-open.js';
import { type LogBatch, LogBatcher, type SkipReason } from './log-batcher.js';
import { decodeSignatureNote, decodeTtc, encodeSignatureNote, encodeTtc } from './log-records.js';
import { TtcTimer } from './ttc-timer.js';

export type { JetStreamOrdererOptions };

/** A jetstream orderer's place in its channel's log (JetStreamOrderer.progress). */
export interface JetStreamProgress {
  stream: string;
  /** The NATS connection: up or not, and the server (host:port) it is on. */
  nats: { connected: boolean; server: string };
  /** Stream sequence of the last message read and applied to the cutter (0: none). */
  consumedSeq: number;
  /** Stream sequence of the last message whose effect is in a stored block (the stored cursor). */
  appliedSeq: number;
  /** The next block number the log will cut: stored blocks plus those cut and not yet stored. */
  cutHeight: number;
  /** Stored blocks, genesis included. */
  height: number;
  /** Envelopes read and not yet cut. */
  pending: number;
  /** Blocks cut and not yet stored (waiting for the disk or for other orderers' signatures). */
  unstored: number;
  skipped: Record<SkipReason, number>;
  /** Why the orderer stopped, when it did (it orders nothing more until restarted). */
  failure?: string;
}

/**
 * One orderer node of a jetstream-ordered channel (DESIGN section 5 step
 * 3, the Kafka orderer of the Fabric paper on JetStream). A broadcast is
 * admitted as by the solo orderer, appended to the channel's stream, and
 * acknowledged once this node has stored the block holding it: after the
 * log has it, so an orderer crash loses nothing acknowledged. Every node
 * reads the whole stream in order and cuts the same blocks from it
 * (LogBatcher), its batch timer only appending "time to cut block n"
 * markers, so blocks are identical on every node but for their signatures.
 */
export class JetStreamOrderer {
  readonly channel: Channel;
  /** Log messages that changed nothing, by reason: duplicates and foreign or malformed records. */
  readonly skipped: Record<SkipReason, number> = { duplicate: 0, invalid: 0 };
  readonly #store: OrdererStore;
  readonly #log: ChannelLog;
  readonly #batcher: LogBatcher;
  readonly #sealer: BlockSealer;
  readonly #feed: BlockFeed;
  readonly #clock: Clock;
  readonly #backend: Ed25519Backend | undefined;
  readonly #waiters: BroadcastWaiters;
  readonly #ttc: TtcTimer;
  /** Aborted on close or failure: stops reading, and every publish waiting to retry. */
  readonly #reader = new AbortController();
  #reading: Promise<void> = Promise.resolve();
  /** Stream sequence of the next message to read. */
  #next: number;
  /** Stream sequence of the last message whose effect is in a stored block (the cursor's). */
  #applied: number;
  readonly #metrics: OrdererMetrics | undefined;
  readonly #unwatch: () => void;
  readonly #life: OrdererLifecycle;
  #closing: Promise<void> | undefined;

  private constructor(opened: OpenedJetStream, options: JetStreamOrdererOptions) {
    const { channel, store, cursor } = opened;
    this.channel = channel;
    // Each broadcast retrying a publish listens on it: thousands may, legitimately.
    setMaxListeners(0, this.#reader.signal);
    this.#life = new OrdererLifecycle(
      channel.config.channel,
      options.maxPendingBroadcasts ?? 10_000,
    );
    this.#store = store;
    this.#log = opened.log;
    this.#clock = options.clock ?? systemClock;
    this.#backend = options.backend;
    this.#next = cursor.next;
    this.#applied = cursor.next - 1;
    this.#metrics = options.metrics;
    this.#waiters = new BroadcastWaiters(channel.config.channel);
    this.#ttc = new TtcTimer({
      clock: this.#clock,
      timeoutMs: channel.config.ordering.batchTimeoutMs,
      send: async (n) => {
        await this.#log.publish('ttc', encodeTtc(n), this.#reader.signal);
        this.#metrics?.ttcMarker(this.#name, 'sent');
      },
    });
    this.#batcher = new LogBatcher({
      channel: channel.config.channel,
      limits: channel.config.ordering,
      nextNumber: store.height,
      window: opened.window,
    });
    this.#sealer = new BlockSealer({
      channel,
      store,
      signer: options.signer,
      certNotAfter: opened.cert.notAfter,
      backend: options.backend,
      publishNote: (note) =>
        this.#log.publishUntil('sig', encodeSignatureNote(note), this.#reader.signal),
      onStored: (block, batch) => this.#stored(block, batch),
      onFailure: (err) => this.#fail(err),
    });
    this.#feed = new BlockFeed({
      store,
      maxBlockBytes: this.#batcher.maxBytes,
      status: () => this.#life.status,
    });
    this.#unwatch =
      options.metrics?.watchOrdererLog(this.#name, () => {
        const p = this.progress;
        return { ...p, connected: p.nats.connected };
      }) ?? (() => {});
  }

  get #name(): string {
    return this.channel.config.channel;
  }

  static async open(options: JetStreamOrdererOptions): Promise<JetStreamOrderer> {
    const opened = await openJetStream({ ...options, at: (options.clock ?? systemClock).now() });
    const orderer = new JetStreamOrderer(opened, options);
    orderer.#reading = orderer.#read();
    return orderer;
  }

  /** Stored blocks, genesis included: the next block's number. */
  get height(): number {
    return this.#store.height;
  }

  /** Envelopes read from the log and not yet cut into a block. */
  get pending(): number {
    return this.#batcher.pendingCount;
  }

  get closed(): boolean {
    return this.#life.closed;
  }

  /** Where this orderer is in the log: for /healthz, metrics and diagnosing a stall. */
  get progress(): JetStreamProgress {
    const failure = this.#life.failure as { code?: string; message?: string } | undefined;
    return {
      stream: this.#log.stream,
      nats: this.#log.connection,
      consumedSeq: this.#next - 1,
      appliedSeq: this.#applied,
      cutHeight: this.#batcher.nextNumber,
      height: this.#store.height,
      pending: this.#batcher.pendingCount,
      unstored: this.#sealer.queued,
      skipped: { ...this.skipped },
      ...(failure ? { failure: `${failure.code ?? 'error'}: ${failure.message}` } : {}),
    };
  }

  /**
   * Orders one envelope: the solo orderer's admission checks, then an
   * append to the stream (a second copy, from a retry through any orderer,
   * is skipped by every reader). Resolves once it is in a block stored here;
   * rejects with an OrdererError otherwise (ORDERER_LOG_UNAVAILABLE when
   * the log did not take it in time: it may be ordered anyway, and a retry
   * is safe).
   */
  broadcast(envelope: Uint8Array): Promise<BroadcastResult> {
    return this.#life.broadcast(() => this.#admit(envelope));
  }

  async #admit(bytes: Uint8Array): Promise<BroadcastResult> {
    // Waiting starts before publishing, so the block holding it cannot be stored unseen.
    const { txid, envelope, done } = await admitEnvelope(bytes, {
      channel: this.channel,
      at: this.#clock.now(),
      backend: this.#backend,
      fits: (e) => this.#batcher.check(e),
      refuse: (id) => this.#refuseDuplicate(id),
      assertOpen: () => this.#life.assertOpen(),
      admit: ({ tx, txid, envelope }) => ({
        txid,
        envelope,
        done: this.#waiters.wait(txid, { txid: tx.txid, envelope }),
      }),
    });
    try {
      await this.#log.publish('tx', envelope, this.#reader.signal);
    } catch (err) {
      this.#waiters.reject(txid, err);
    }
    return done;
  }

  #refuseDuplicate(txid: string): void {
    if (this.#batcher.has(txid) || this.#waiters.has(txid)) throw this.#waiters.duplicate(txid);
  }

  /** Reads the log from the cursor until closed, applying each message in order. */
  async #read(): Promise<void> {
    try {
      for await (const m of this.#log.read(this.#next, this.#reader.signal)) {
        await this.#apply(m);
        this.#next = m.seq + 1;
        this.#ttc.update(this.#batcher.pendingCount > 0, this.#batcher.nextNumber);
        await this.#sealer.room();
      }
    } catch (err) {
      this.#fail(err);
    }
  }

  async #apply(m: LogMessage): Promise<void> {
    let cut: LogBatch[] | SkipReason = 'invalid';
    try {
      if (m.kind === 'tx') cut = this.#batcher.envelope(m.seq, m.time, m.data);
      else if (m.kind === 'ttc') {
        const batch = this.#batcher.timeToCut(m.seq, m.time, decodeTtc(m.data));
        this.#metrics?.ttcMarker(this.#name, batch ? 'cut' : 'ignored');
        cut = batch ? [batch] : [];
      } else if (m.kind === 'sig') {
        cut = [];
        if (this.#sealer.needsOthers) await this.#sealer.note(decodeSignatureNote(m.data));
      }
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
    }
    if (typeof cut === 'string') {
      this.skipped[cut] += 1;
      this.#metrics?.logSkipped(this.#name, cut);
    } else {
      for (const batch of cut) {
        this.#metrics?.blockCut(this.#name, batch.reason);
        this.#sealer.push(batch);
      }
    }
  }

  #stored(block: Block, batch: LogBatch): void {
    this.#applied = batch.next - 1;
    this.#waiters.stored(block, batch.txids);
    this.#feed.published(block);
  }

  /** Stops ordering after a failure to read, build or store: the stored chain stays a prefix. */
  #fail(err: unknown): void {
    if (this.#life.closed || !this.#life.fail(err)) return;
    this.#stop(this.#life.failedError());
  }

  #stop(reason: OrdererError): void {
    this.#ttc.stop();
    this.#reader.abort();
    this.#sealer.stop();
    this.#waiters.rejectAll(reason);
    this.#feed.wakeAll();
  }

  /** Calls `listener` with each block right after it is stored; returns the unsubscribe. */
  onBlock(listener: (block: Block) => void): () => void {
    return this.#feed.onBlock(listener);
  }

  /** Stored blocks from `from` on, then each new one, as SoloOrderer.deliver. */
  deliver(from: number, signal?: AbortSignal): AsyncGenerator<Block> {
    return this.#feed.deliver(from, signal);
  }

  /**
   * Stops reading and ordering. Broadcasts not yet in a stored block are
   * rejected with ORDERER_CLOSED (their envelopes may still be ordered by
   * the other orderers: the log has them). Deliver streams end. The
   * database stays open: its owner closes it.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (!this.#life.failed) this.#stop(this.#life.closedError('closed before ordering'));
    this.#life.close();
    await this.#reading;
    await this.#sealer.idle();
    this.#feed.wakeAll();
    await this.#feed.drain();
    await this.#log.close();
    this.#unwatch();
    this.#store.close();
  }
}
