import type { PeerId } from '@libp2p/interface';
import {
  type Block,
  decodeBlock,
  encodeBlocksRequest,
  MAX_BLOCK_BYTES,
  PROTOCOLS,
  WeftError,
} from '@weft/core';
import type { Logger } from 'pino';
import { type NodeHost, streamProtocol } from '../net/index.js';
import type { CommitPipeline } from '../pipeline/commit-pipeline.js';
import { repeatEvery, within } from '../util/sleep.js';

/** A peer of the channel and the height it last announced. */
export interface PeerHeight {
  peer: PeerId;
  height: number;
}

export interface StateTransferOptions {
  host: NodeHost;
  channel: string;
  pipeline: CommitPipeline;
  /** Peers heard from recently, with their heights. */
  peers: () => PeerHeight[];
  /** Checks a block's seal (channel, data hash, orderer signatures); throws a WeftError if forged. */
  verifySeal: (block: Block) => Promise<void>;
  /** A peer sent a forged or malformed block. */
  punish: (peer: PeerId, reason: string) => void;
  /** Called with the blocks each pull delivered: `count` of them from `from` on. */
  onPulled: (count: number, from: number) => void;
  intervalMs: number;
  /** Blocks per request (the server caps it too). */
  batchSize: number;
  /** A peer this far behind pulls even while push still brings blocks. */
  maxLag?: number;
  log: Logger;
  signal: AbortSignal;
}

/**
 * Pull, Fabric's state transfer and anti-entropy: every interval compare
 * our height with the heights peers announce; if someone is ahead and we
 * made no progress since the last look (a gap push will not fill: a
 * missed message, a restart, a new peer), or we are far behind, fetch the
 * missing range in batches from a peer ahead over `/weft/blocks/1.0.0`
 * until we reach its height. Never needs the orderer.
 */
export class StateTransfer {
  readonly #o: StateTransferOptions;
  #lastHeight = -1;

  constructor(options: StateTransferOptions) {
    this.#o = options;
  }

  run(): Promise<void> {
    return repeatEvery(
      this.#o.intervalMs,
      this.#o.signal,
      () => this.tick(),
      (err) => this.#o.log.warn({ err }, 'state transfer failed'),
    );
  }

  /** One look at the peers' heights, pulling if needed. */
  async tick(): Promise<void> {
    const height = this.#o.pipeline.height;
    const ahead = this.#o.peers().filter((p) => p.height > height);
    const progressed = height > this.#lastHeight;
    this.#lastHeight = height;
    if (ahead.length === 0) return;
    const best = Math.max(...ahead.map((p) => p.height));
    if (progressed && best - height <= (this.#o.maxLag ?? 64)) return;
    // Random among those ahead, so one slow source does not hold everyone back.
    const order = ahead.sort(() => Math.random() - 0.5);
    for (const source of order) {
      if (this.#o.signal.aborted) return;
      try {
        await this.#pullFrom(source);
        return;
      } catch (err) {
        this.#o.log.debug({ err, peer: source.peer.toString() }, 'pull from peer failed');
      }
    }
  }

  async #pullFrom(source: PeerHeight): Promise<void> {
    const { pipeline, signal } = this.#o;
    while (!signal.aborted && pipeline.height < source.height) {
      const from = pipeline.height;
      const to = Math.min(source.height, from + this.#o.batchSize);
      let got = 0;
      const request = encodeBlocksRequest({ channel: this.#o.channel, from, to });
      for await (const bytes of streamProtocol(
        this.#o.host,
        source.peer,
        PROTOCOLS.blocks,
        request,
        { maxResponseBytes: MAX_BLOCK_BYTES, timeoutMs: 30_000, signal },
      )) {
        const block = this.#checked(source.peer, bytes, from + got);
        await this.#o.verifySeal(block).catch((err: unknown) => {
          this.#o.punish(source.peer, `pulled a forged block: ${(err as Error).message}`);
          throw err;
        });
        pipeline.offer(block);
        got++;
      }
      if (got === 0) return;
      this.#o.onPulled(got, from);
      // Commit before asking for more, so the reorder window never overflows;
      // a block the pipeline refused leaves the height short: look again later.
      await within(pipeline.waitForHeight(from + got), 60_000, signal);
      if (pipeline.height < from + got) return;
    }
  }

  #checked(peer: PeerId, bytes: Uint8Array, expected: number): Block {
    let block: Block;
    try {
      block = decodeBlock(bytes);
    } catch (err) {
      this.#o.punish(peer, 'pulled a malformed block');
      throw err;
    }
    if (block.header.number !== expected) {
      this.#o.punish(peer, `asked for block ${expected}, got ${block.header.number}`);
      throw new WeftError('GOSSIP_PULL_OUT_OF_ORDER', `expected block ${expected}`);
    }
    return block;
  }
}
