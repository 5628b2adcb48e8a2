import { type BatchConfig, toHex } from '@weft/core';
import { parseForOrdering, type RecentTxids } from '../admission.js';
import { BlockCutter, type CutBatch } from '../block-cutter.js';
import { OrdererError } from '../errors.js';

/**
 * Txids an orderer remembers from the log to skip duplicates: the newest
 * this many envelopes it put in blocks (or pending). Every orderer must use
 * the same number, or they would skip differently and fork, so it is a
 * constant of the ordering rules like the cutter's, not a setting.
 */
export const LOG_TXID_WINDOW = 50_000;

/** A batch cut from the log, with what the orderer needs to seal and resume it. */
export interface LogBatch extends CutBatch {
  /** The log's time (ms) of the message that cut it: the block's timestamp, clamped to the chain. */
  time: number;
  /** Stream sequence of the first message whose effect is not in this block or earlier ones. */
  next: number;
  /** Hex txid of each envelope, in order. */
  txids: string[];
}

/** Why a log message changed nothing. */
export type SkipReason = 'duplicate' | 'invalid';

/**
 * The deterministic part of jetstream ordering: feeds the log's envelopes
 * and time-to-cut markers, in stream order, into the solo cutter. Every
 * orderer reading the same stream from the same cursor with the same window
 * cuts the same batches at the same stream positions. An envelope that is
 * not a transaction of this channel or could never fit a block is skipped,
 * and so is one whose txid is in the window: a retried publish or a
 * client's retry through another orderer changes nothing.
 */
export class LogBatcher {
  readonly #cutter: BlockCutter;
  readonly #window: RecentTxids;
  readonly #channel: string;
  /** Txids of the cutter's pending envelopes, in the same order. */
  #pendingTxids: string[] = [];

  constructor(options: {
    channel: string;
    limits: Pick<BatchConfig, 'maxTxCount' | 'maxBytes'>;
    nextNumber: number;
    /** The newest LOG_TXID_WINDOW txids of the stored chain (recentTxidsOf). */
    window: RecentTxids;
  }) {
    if (options.window.capacity !== LOG_TXID_WINDOW) {
      throw new RangeError(`the txid window must hold ${LOG_TXID_WINDOW} txids`);
    }
    this.#channel = options.channel;
    this.#cutter = new BlockCutter({ limits: options.limits, nextNumber: options.nextNumber });
    this.#window = options.window;
  }

  get nextNumber(): number {
    return this.#cutter.nextNumber;
  }

  get pendingCount(): number {
    return this.#cutter.pendingCount;
  }

  get maxBytes(): number {
    return this.#cutter.maxBytes;
  }

  /** The admission check the log applies again: throws ORDERER_ENVELOPE_TOO_LARGE. */
  check(envelope: Uint8Array): void {
    this.#cutter.check(envelope);
  }

  /** True if `txid` (hex) was put in a recent block or is pending: a broadcast of it is a duplicate. */
  has(txid: string): boolean {
    return this.#window.has(txid);
  }

  /**
   * An envelope read at stream sequence `seq` with log time `time`: the
   * batches it cut (a bytes cut leaves it pending; a count cut includes
   * it), or the reason it was skipped.
   */
  envelope(seq: number, time: number, bytes: Uint8Array): LogBatch[] | SkipReason {
    let txid: string;
    try {
      this.#cutter.check(bytes);
      txid = toHex(parseForOrdering(bytes, this.#channel).txid);
    } catch (err) {
      if (err instanceof OrdererError) return 'invalid';
      throw err;
    }
    if (this.#window.has(txid)) return 'duplicate';
    this.#window.add(txid);
    this.#pendingTxids.push(txid);
    return this.#cutter.ordered(bytes).map((batch) => {
      const includesThis = batch.envelopes[batch.envelopes.length - 1] === bytes;
      return this.#withLog(batch, time, includesThis ? seq + 1 : seq);
    });
  }

  /** A time-to-cut marker for block `block` at `seq`: cuts the pending batch if it is that block. */
  timeToCut(seq: number, time: number, block: number): LogBatch | undefined {
    const batch = this.#cutter.timeToCut(block);
    return batch && this.#withLog(batch, time, seq + 1);
  }

  #withLog(batch: CutBatch, time: number, next: number): LogBatch {
    const txids = this.#pendingTxids.splice(0, batch.envelopes.length);
    return { ...batch, time, next, txids };
  }
}
