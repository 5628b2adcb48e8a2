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
  /**
   * Deliver: pause before the next orderer after a failure. Broadcast: pause
   * before going round the orderers again, doubled each round. Default 500 ms.
   */
  retryDelayMs?: number;
  /** Times a broadcast goes round every orderer before giving up. Default 2. */
  broadcastRounds?: number;
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
 * Failures that prove the attempt put nothing in the log: the orderer was
 * never reached, or refused before taking the envelope. After any other
 * failure (a stream cut by a crash, a timeout, ORDERER_LOG_UNAVAILABLE,
 * ORDERER_CLOSED) the envelope may have been appended and be ordered anyway.
 */
const NOT_TAKEN = new Set([
  'NET_DIAL_FAILED',
  'NET_FORBIDDEN',
  'ORDERER_BUSY',
  'NODE_NOT_ORDERER',
  'NODE_UNKNOWN_CHANNEL',
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

  /**
   * Has `envelope` ordered, trying each orderer in turn (the one that last
   * answered first) and going round them `broadcastRounds` times with a
   * growing pause. Resolves with where it was ordered, or with `undefined`
   * when a retry was refused as a duplicate after an earlier attempt may have
   * appended it: the log has the txid (from that attempt, which died before
   * answering, or from another submitter), so it is ordered, where is not
   * known, and the caller learns the outcome from the chain. Rejects with
   * the orderer's error when it would be the same at every orderer.
   */
  async broadcast(envelope: Uint8Array): Promise<BroadcastAck | undefined> {
    const request = encodeBroadcastRequest({ channel: this.#o.channel, envelope });
    const count = this.#targets.length;
    const attempts = count * Math.max(1, this.#o.broadcastRounds ?? 2);
    let last: unknown;
    let mayBeInLog = false;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const round = Math.floor(attempt / count);
      if (attempt > 0 && attempt % count === 0) {
        await sleep((this.#o.retryDelayMs ?? 500) * 2 ** (round - 1));
      }
      const at = (this.#preferred + attempt) % count;
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
        const code = err instanceof WeftError ? err.code : undefined;
        if (code === 'ORDERER_DUPLICATE_TXID' && mayBeInLog) {
          this.#preferred = at;
          this.#o.log.info(
            { orderer: this.#targets[at]!.toString() },
            'broadcast retry refused as a duplicate: an earlier attempt was ordered',
          );
          return undefined;
        }
        if (code !== undefined && FINAL.has(code)) throw err;
        if (code === undefined || !NOT_TAKEN.has(code)) mayBeInLog = true;
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
