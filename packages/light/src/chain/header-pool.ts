import {
  BlockError,
  type Channel,
  type ChannelConfig,
  nextTask,
  type VerifyHeaderOptions,
  verifyHeader,
} from '@weft/core';
import { packHeaderChecks } from './header-pack.js';
import { channelKeys, type PoolOptions, type PoolPort, WorkerPool } from './worker-pool.js';

/**
 * Header verification on workers, for HeaderChain's `verifyHeader` option:
 * core's verifyHeader (link, orderer certificates, signatures, policy) runs
 * on each worker with its own WebCrypto, so a page keeps one thread for
 * decoding, linking and storing while every core verifies. Headers are
 * packed into one message per `batchSize` (or per task, when fewer arrive),
 * posted to the least loaded worker, and each verdict comes back as core's
 * would have been: the hash, or a BlockError with core's code and message.
 * Whatever a worker cannot answer (it failed, hung past `timeoutMs`, or
 * hit something other than a BlockError) is verified here with core's
 * verifyHeader, so the verdict never depends on the workers.
 */

/** core's verifyHeader, or a stand-in that reaches the same verdicts (headerWorkerPool). */
export type HeaderVerifier = ((o: VerifyHeaderOptions) => Promise<Uint8Array>) & {
  /** Headers it wants in flight to keep busy (HeaderChain's default suits one thread). */
  readonly window?: number;
};

/** Messages per worker in flight: replies wait while the page decodes, so a few must queue. */
const MESSAGES_PER_WORKER = 8;

export type ToHeaderWorker =
  | { type: 'header-config'; config: number; channel: ChannelConfig }
  | {
      type: 'verify-headers';
      id: number;
      config: number;
      /** packHeaderChecks' buffer and channel names. */
      buffer: ArrayBuffer;
      channels: string[];
    };

/** A header that failed core's checks: its index in the message, and the BlockError's code and message. */
export interface HeaderFailure {
  index: number;
  code: string;
  message: string;
}

export type FromHeaderWorker =
  | { type: 'headers-verified'; id: number; failures: HeaderFailure[] }
  | { type: 'headers-failed'; id: number; code: string; message: string };

export type HeaderPort = PoolPort<ToHeaderWorker, FromHeaderWorker>;

export interface HeaderPoolOptions extends PoolOptions {
  /** Headers per message (default 64). */
  batchSize?: number;
}

interface Queued {
  o: VerifyHeaderOptions;
  hash: Uint8Array;
  resolve: (hash: Uint8Array) => void;
  reject: (err: unknown) => void;
}

export function headerWorkerPool(
  ports: readonly HeaderPort[],
  o: HeaderPoolOptions = {},
): HeaderVerifier {
  const batchSize = o.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  const pool = new WorkerPool(ports, o);
  const keyOf = channelKeys();
  const later = nextTask();
  let queue: Queued[] = [];
  let scheduled = false;

  const local = (items: readonly Queued[]) => {
    for (const it of items) verifyHeader({ ...it.o, hash: it.hash }).then(it.resolve, it.reject);
  };

  const send = async (channel: Channel, items: Queued[]) => {
    const config = keyOf(channel);
    const reply = await pool.request({
      load: items.length,
      prepare: {
        key: config,
        message: () => ({ type: 'header-config', config, channel: channel.config }),
      },
      make: (id) => {
        const pack = packHeaderChecks(
          items.map(({ o: c, hash }) => ({
            header: c.header,
            signatures: c.signatures,
            previous: c.previous,
            hash,
          })),
        );
        return {
          message: { type: 'verify-headers', id, config, ...pack },
          transfer: [pack.buffer],
        };
      },
    });
    if (reply?.type !== 'headers-verified') return local(items);
    const failed = new Map(reply.failures.map((f) => [f.index, f]));
    items.forEach((it, i) => {
      const f = failed.get(i);
      if (f) it.reject(new BlockError(f.code, f.message));
      else it.resolve(it.hash);
    });
  };

  const flush = () => {
    scheduled = false;
    const items = queue;
    queue = [];
    if (items.length === 0) return;
    if (pool.live === 0) return local(items);
    // One message per channel: a worker judges a message under one config.
    const byChannel = new Map<Channel, Queued[]>();
    for (const it of items) {
      const list = byChannel.get(it.o.channel);
      if (list) list.push(it);
      else byChannel.set(it.o.channel, [it]);
    }
    for (const [channel, list] of byChannel) void send(channel, list);
  };

  const verify = (v: VerifyHeaderOptions) => {
    // HeaderChain always has the hash; without it, core's order of checks is kept by verifying here.
    const hash = v.hash;
    if (!hash) return verifyHeader(v);
    return new Promise<Uint8Array>((resolve, reject) => {
      queue.push({ o: v, hash, resolve, reject });
      if (queue.length >= batchSize) flush();
      else if (!scheduled) {
        scheduled = true;
        later(flush);
      }
    });
  };
  // With no workers at all, the chain's own window suits the page verifying alone.
  const window = ports.length ? batchSize * ports.length * MESSAGES_PER_WORKER : undefined;
  return Object.assign(verify, { window });
}
