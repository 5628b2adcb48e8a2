import {
  type ChannelConfig,
  checkAllInline,
  packEnvelopes,
  type TxCheck,
  type TxCheckContext,
} from '@weft/core';
import { channelKeys, type PoolOptions, type PoolPort, WorkerPool } from '../chain/worker-pool.js';
import type { CheckAll } from './lookahead.js';

/**
 * The stateless VSCC half on workers, for ChainReplay's checkAll hook: a
 * browser page verifies WebCrypto signatures on its own thread, so an
 * auditor replaying there has one core for everything unless the
 * per-transaction work (decoding, hashing, certificates, signatures) moves
 * to workers. The page keeps what needs the state: MVCC, the writes, the
 * commit hash. Isomorphic: the host makes the workers (Web Workers,
 * worker_threads) and hands over a port per worker; each worker runs
 * vsccWorkerHandler (vscc-worker.ts).
 */

export type ToVsccWorker =
  | { type: 'config'; config: number; channel: ChannelConfig }
  | {
      type: 'check';
      id: number;
      config: number;
      at: number;
      /** The envelopes back to back; envelope i ends at ends[i]. */
      buffer: ArrayBuffer;
      ends: Uint32Array;
    };

export type FromVsccWorker =
  | { type: 'checked'; id: number; checks: TxCheck[] }
  | { type: 'failed'; id: number; code: string; message: string };

/** One worker's port (Web Worker, worker_threads adapter). */
export type VsccPort = PoolPort<ToVsccWorker, FromVsccWorker>;

/** Envelopes per message, at least: fewer are not worth a round trip. */
const MIN_CHUNK = 16;

/**
 * checkAll over the workers behind `ports`: each block's envelopes are cut
 * into one chunk per worker. A chunk a worker cannot answer (it died, hung
 * past `timeoutMs`, or reports a failure) is checked here instead, so a
 * lost worker costs time, never a verdict.
 */
export function vsccWorkerPool(ports: readonly VsccPort[], o: PoolOptions = {}): CheckAll {
  const pool = new WorkerPool(ports, o);
  const keyOf = channelKeys();

  const checkOnWorker = async (part: readonly Uint8Array[], ctx: TxCheckContext) => {
    const config = keyOf(ctx.channel);
    const reply = await pool.request({
      load: part.length,
      prepare: {
        key: config,
        message: () => ({ type: 'config', config, channel: ctx.channel.config }),
      },
      make: (id) => {
        const { buffer, ends } = packEnvelopes(part);
        return {
          message: { type: 'check', id, config, at: ctx.at, buffer, ends },
          transfer: [buffer],
        };
      },
    });
    return reply?.type === 'checked' ? reply.checks : checkAllInline(part, ctx);
  };

  return async (data, ctx) => {
    const live = pool.live;
    if (live === 0 || data.length < MIN_CHUNK) return checkAllInline(data, ctx);
    const chunks = Math.min(live, Math.ceil(data.length / MIN_CHUNK));
    const size = Math.ceil(data.length / chunks);
    const parts = await Promise.all(
      Array.from({ length: chunks }, (_, i) =>
        checkOnWorker(data.slice(i * size, (i + 1) * size), ctx),
      ),
    );
    return parts.flat();
  };
}
