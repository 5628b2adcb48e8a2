import {
  type Channel,
  type ChannelConfig,
  checkAllInline,
  packEnvelopes,
  type TxCheck,
  type TxCheckContext,
} from '@weft/core';
import type { CheckAll } from './lookahead.js';

/**
 * The stateless VSCC half on workers, for ChainReplay's checkAll hook: a
 * browser page verifies WebCrypto signatures on its own thread, so an
 * auditor replaying there has one core for everything unless the
 * per-transaction work (decoding, hashing, certificates, signatures) moves
 * to workers. The page keeps what needs the state: MVCC, the writes, the
 * commit hash. Isomorphic: the host makes the workers (Web Workers,
 * worker_threads) and hands over a port per worker; each worker runs
 * answerVsccMessage (vscc-worker.ts).
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

export interface VsccPort {
  post(message: ToVsccWorker, transfer: ArrayBuffer[]): void;
  listen(onMessage: (m: FromVsccWorker) => void, onError: (err: unknown) => void): void;
}

interface Worker {
  port: VsccPort;
  configs: Set<number>;
  pending: Map<number, Pending>;
  dead: boolean;
}

interface Pending {
  data: readonly Uint8Array[];
  ctx: TxCheckContext;
  resolve: (checks: TxCheck[]) => void;
  reject: (err: unknown) => void;
}

/** Envelopes per message, at least: fewer are not worth a round trip. */
const MIN_CHUNK = 16;

/**
 * checkAll over the workers behind `ports`: each block's envelopes are cut
 * into one chunk per worker. A chunk a worker cannot answer (it died, or
 * reports a failure) is checked here instead, so a lost worker costs time,
 * never a verdict.
 */
export function vsccWorkerPool(ports: readonly VsccPort[]): CheckAll {
  const configs = new WeakMap<Channel, number>();
  let nextConfig = 0;
  let nextId = 0;
  const workers: Worker[] = ports.map((port) => ({
    port,
    configs: new Set(),
    pending: new Map(),
    dead: false,
  }));
  const inline = (p: Pending) => checkAllInline(p.data, p.ctx).then(p.resolve, p.reject);
  const fail = (w: Worker) => {
    w.dead = true;
    for (const p of w.pending.values()) inline(p);
    w.pending.clear();
  };
  for (const w of workers) {
    w.port.listen(
      (m) => {
        const p = w.pending.get(m.id);
        if (!p) return;
        w.pending.delete(m.id);
        if (m.type === 'checked') p.resolve(m.checks);
        else inline(p);
      },
      () => fail(w),
    );
  }

  const send = (w: Worker, p: Pending) => {
    let config = configs.get(p.ctx.channel);
    if (config === undefined) {
      config = nextConfig++;
      configs.set(p.ctx.channel, config);
    }
    const id = nextId++;
    const { buffer, ends } = packEnvelopes(p.data);
    w.pending.set(id, p);
    try {
      if (!w.configs.has(config)) {
        w.port.post({ type: 'config', config, channel: p.ctx.channel.config }, []);
        w.configs.add(config);
      }
      w.port.post({ type: 'check', id, config, at: p.ctx.at, buffer, ends }, [buffer]);
    } catch {
      fail(w);
    }
  };

  return async (data, ctx) => {
    const live = workers.filter((w) => !w.dead);
    if (live.length === 0 || data.length < MIN_CHUNK) return checkAllInline(data, ctx);
    const chunks = Math.min(live.length, Math.ceil(data.length / MIN_CHUNK));
    const size = Math.ceil(data.length / chunks);
    const parts = await Promise.all(
      Array.from({ length: chunks }, (_, i) => {
        const part = data.slice(i * size, (i + 1) * size);
        const w = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
        return new Promise<TxCheck[]>((resolve, reject) =>
          send(w, { data: part, ctx, resolve, reject }),
        );
      }),
    );
    return parts.flat();
  };
}
