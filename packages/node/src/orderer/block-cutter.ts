import { type BatchConfig, MAX_BLOCK_BYTES, MAX_ENVELOPE_BYTES } from '@weft/core';
import { OrdererError } from './errors.js';

/**
 * Room a block needs besides its envelopes: the header (core's
 * MAX_HEADER_BYTES is 512), up to MAX_BLOCK_SIGNATURES signatures of about
 * 110 bytes, and the block's CBOR map and array heads. A channel may set
 * maxBytes as high as MAX_BLOCK_BYTES, which is also the bound every block
 * decoder applies, so the cutter keeps this much below it: a block it cuts
 * always decodes.
 */
export const BLOCK_OVERHEAD_BYTES = 16 * 1024;

/** Why a batch was cut (logs and metrics; not part of the block). */
export type CutReason = 'count' | 'bytes' | 'timeout' | 'forced';

export interface CutBatch {
  /** The block number this batch becomes. */
  number: number;
  envelopes: Uint8Array[];
  /** Sum of envelopeBatchBytes over the envelopes. */
  bytes: number;
  reason: CutReason;
}

export interface BlockCutterOptions {
  limits: Pick<BatchConfig, 'maxTxCount' | 'maxBytes'>;
  /** Number of the block the first batch becomes: the chain's height. */
  nextNumber: number;
}

/**
 * What an envelope occupies in a block's data array: its bytes plus the
 * CBOR byte-string head, so `maxBytes` bounds the data as encoded.
 */
export function envelopeBatchBytes(envelope: Uint8Array): number {
  const n = envelope.length;
  const head = n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
  return n + head;
}

/**
 * The pure, deterministic batcher of one channel (Fabric's blockcutter):
 * envelopes in, batches out, no clock and no I/O, so every orderer that
 * feeds it the same sequence of envelopes and time-to-cut markers cuts the
 * same blocks. Concatenating the batches it returns gives exactly the
 * envelopes it accepted, in order.
 *
 * Rules, in order, for each envelope: one that alone exceeds maxBytes is
 * refused (ORDERER_ENVELOPE_TOO_LARGE) and changes nothing; if adding it
 * would exceed maxBytes the pending batch is cut first; it is appended; the
 * batch is cut when it holds maxTxCount envelopes. The timeout is not the
 * cutter's business: whoever owns time calls timeToCut(n) (a solo timer, or
 * a marker read from a shared log) or cutPending().
 */
export class BlockCutter {
  readonly maxTxCount: number;
  /** The channel's maxBytes, capped so a full block stays within MAX_BLOCK_BYTES. */
  readonly maxBytes: number;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #next: number;

  constructor(options: BlockCutterOptions) {
    const { maxTxCount, maxBytes } = options.limits;
    if (!Number.isSafeInteger(maxTxCount) || maxTxCount < 1) {
      throw new RangeError(`maxTxCount ${maxTxCount} is not a positive integer`);
    }
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(`maxBytes ${maxBytes} is not a positive integer`);
    }
    if (!Number.isSafeInteger(options.nextNumber) || options.nextNumber < 0) {
      throw new RangeError(`nextNumber ${options.nextNumber} is not a block number`);
    }
    this.maxTxCount = maxTxCount;
    this.maxBytes = Math.min(maxBytes, MAX_BLOCK_BYTES - BLOCK_OVERHEAD_BYTES);
    this.#next = options.nextNumber;
  }

  /** Number of the block the pending batch (or the next one) becomes. */
  get nextNumber(): number {
    return this.#next;
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Throws ORDERER_ENVELOPE_TOO_LARGE if `envelope` could never be batched. */
  check(envelope: Uint8Array): void {
    if (envelope.length > MAX_ENVELOPE_BYTES) {
      throw new OrdererError(
        'ORDERER_ENVELOPE_TOO_LARGE',
        `envelope of ${envelope.length} bytes exceeds MAX_ENVELOPE_BYTES (${MAX_ENVELOPE_BYTES})`,
      );
    }
    const size = envelopeBatchBytes(envelope);
    if (size > this.maxBytes) {
      throw new OrdererError(
        'ORDERER_ENVELOPE_TOO_LARGE',
        `envelope of ${size} bytes exceeds the batch limit of ${this.maxBytes} bytes`,
      );
    }
  }

  /**
   * Adds an envelope; returns the batches this cut, oldest first. With these
   * rules that is at most one (a bytes cut leaves the new envelope pending
   * alone, and a count cut needs maxTxCount of them); a list keeps the
   * shape of Fabric's Ordered() should a rule ever cut twice.
   */
  ordered(envelope: Uint8Array): CutBatch[] {
    this.check(envelope);
    const size = envelopeBatchBytes(envelope);
    const cut: CutBatch[] = [];
    if (this.#pending.length > 0 && this.#pendingBytes + size > this.maxBytes) {
      cut.push(this.#cut('bytes'));
    }
    this.#pending.push(envelope);
    this.#pendingBytes += size;
    if (this.#pending.length >= this.maxTxCount) cut.push(this.#cut('count'));
    return cut;
  }

  /**
   * A time-to-cut marker for block `number`: cuts the pending batch if it
   * would become that block. Any other marker is ignored: an older one is
   * stale (its batch was already cut by count or bytes, or another orderer's
   * marker came first), and ignoring a premature one too keeps every
   * consumer of a shared log reaching the same verdict.
   */
  timeToCut(number: number): CutBatch | undefined {
    if (number !== this.#next) return undefined;
    return this.cutPending('timeout');
  }

  /** Cuts whatever is pending, if anything. */
  cutPending(reason: CutReason = 'forced'): CutBatch | undefined {
    return this.#pending.length === 0 ? undefined : this.#cut(reason);
  }

  #cut(reason: CutReason): CutBatch {
    const batch: CutBatch = {
      number: this.#next,
      envelopes: this.#pending,
      bytes: this.#pendingBytes,
      reason,
    };
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#next += 1;
    return batch;
  }
}
