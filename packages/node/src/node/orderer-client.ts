import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import {
  type Block,
  type BroadcastAck,
  decodeBlock,
  decodeBroadcastAck,
  encodeBlocksRequest,
  encodeBroadcastRequest,
  MAX_BLOCK_BYTES,
  MAX_SMALL_MESSAGE,
  PROTOCOLS,
  WeftError,
} from '@weft/core';
import type { Logger } from 'pino';
import { callProtocol, type NodeHost, streamProtocol } from '../net/index.js';
import { sleep } from '../util/sleep.js';

export interface OrdererClientOptions {
  host: NodeHost;
  channel: string;
  /** Orderer multiaddrs with /p2p ids, in preference order. */
  orderers: readonly string[];
  log: Logger;
  /** Bound on one broadcast, from dial to acknowledgement (the block must be cut). Default 30 s. */
  broadcastTimeoutMs?: number;
  /** Pause before trying the next orderer after a failure. Default 500 ms. */
  retryDelayMs?: number;
}

/** Orderer errors that would be the same at every orderer: no point failing over. */
const FINAL = new Set([
  'ORDERER_ENVELOPE_TOO_LARGE',
  'ORDERER_BAD_ENVELOPE',
  'ORDERER_WRONG_CHANNEL',
  'ORDERER_UNKNOWN_CREATOR',
  'ORDERER_BAD_SIGNATURE',
  'ORDERER_DUPLICATE_TXID',
]);

/**
 * A peer's or gateway's link to the ordering service: broadcast with
 * failover between orderers, and deliver that follows the chain from a
 * height and, when an orderer goes away, resumes at the next orderer from
 * the next block it needs.
 */
export class OrdererClient {
  readonly #o: OrdererClientOptions;
  readonly #targets: Multiaddr[];
  #preferred = 0;

  constructor(options: OrdererClientOptions) {
    this.#o = options;
    this.#targets = options.orderers.map((a) => multiaddr(a));
    if (this.#targets.length === 0) {
      throw new WeftError('NODE_NO_ORDERER', `channel ${options.channel} names no orderer`);
    }
  }

  async broadcast(envelope: Uint8Array): Promise<BroadcastAck> {
    const request = encodeBroadcastRequest({ channel: this.#o.channel, envelope });
    let last: unknown;
    for (let i = 0; i < this.#targets.length; i++) {
      const at = (this.#preferred + i) % this.#targets.length;
      try {
        const reply = await callProtocol(
          this.#o.host,
          this.#targets[at]!,
          PROTOCOLS.broadcast,
          request,
          {
            maxResponseBytes: MAX_SMALL_MESSAGE,
            timeoutMs: this.#o.broadcastTimeoutMs ?? 30_000,
          },
        );
        this.#preferred = at;
        return decodeBroadcastAck(reply);
      } catch (err) {
        if (err instanceof WeftError && FINAL.has(err.code)) throw err;
        last = err;
        this.#o.log.warn({ err, orderer: this.#targets[at]!.toString() }, 'broadcast failed');
      }
    }
    throw last instanceof WeftError
      ? last
      : new WeftError('NODE_ORDERING_UNAVAILABLE', `no orderer took the envelope: ${String(last)}`);
  }

  /**
   * Calls `onBlock` with every block from `nextHeight()` on, in order,
   * until `signal` aborts. `nextHeight` is asked again on every reconnect,
   * so a consumer that committed blocks meanwhile is not sent them twice.
   */
  async follow(options: {
    nextHeight: () => number;
    /** Called with the decoded block and the bytes it came in (for relaying). */
    onBlock: (block: Block, bytes: Uint8Array) => Promise<void> | void;
    signal: AbortSignal;
  }): Promise<void> {
    const { signal } = options;
    let attempt = 0;
    while (!signal.aborted) {
      const at = (this.#preferred + attempt) % this.#targets.length;
      const target = this.#targets[at]!;
      try {
        const request = encodeBlocksRequest({
          channel: this.#o.channel,
          from: options.nextHeight(),
        });
        for await (const bytes of streamProtocol(this.#o.host, target, PROTOCOLS.deliver, request, {
          maxResponseBytes: MAX_BLOCK_BYTES,
          timeoutMs: Number.POSITIVE_INFINITY,
          signal,
        })) {
          await options.onBlock(decodeBlock(bytes), bytes);
          attempt = 0;
          this.#preferred = at;
        }
      } catch (err) {
        if (signal.aborted) return;
        this.#o.log.warn({ err, orderer: target.toString() }, 'deliver interrupted; failing over');
      }
      attempt++;
      await sleep(this.#o.retryDelayMs ?? 500, signal);
    }
  }
}
