import {
  type Channel,
  type ChannelConfig,
  type Ed25519Backend,
  loadChannel,
  WeftError,
} from '@weft/core';

/**
 * Requests spread over workers (Web Workers, worker_threads), shared by the
 * header pool and the auditor's VSCC pool. Isomorphic: the host makes the
 * workers and hands over one port per worker. Each request goes to the
 * least loaded live worker; a worker that fails, or leaves a request
 * unanswered past the timeout, is dropped (and terminated when its port
 * can), and every request it held resolves undefined, which the caller
 * answers with its own code: a lost or hung worker costs time, never a
 * verdict.
 */

export interface PoolPort<Req, Rep> {
  post(message: Req, transfer: ArrayBuffer[]): void;
  /** Registers the handlers for the worker's replies and for its failure. */
  listen(onMessage: (m: Rep) => void, onError: (err: unknown) => void): void;
  /** Stops the worker; called when it is dropped. */
  terminate?(): void;
}

export interface PoolOptions {
  /**
   * Milliseconds a worker may leave a request unanswered before it counts
   * as hung (default 30 s: far above any honest request, which is a few
   * dozen verifications).
   */
  timeoutMs?: number;
}

export const DEFAULT_POOL_TIMEOUT_MS = 30_000;

interface Pending<Rep> {
  load: number;
  timer: ReturnType<typeof setTimeout>;
  settle: (reply: Rep | undefined) => void;
}

interface Slot<Req, Rep> {
  port: PoolPort<Req, Rep>;
  pending: Map<number, Pending<Rep>>;
  load: number;
  /** Keys of the set-up messages (channel configs) this worker has had. */
  prepared: Set<number>;
  dead: boolean;
}

export interface PoolRequest<Req> {
  /** The request's size, for picking the least loaded worker. */
  load: number;
  /** A message the worker needs once before this one (a channel config), by key. */
  prepare?: { key: number; message: () => Req };
  /** The request with its id, and the buffers to transfer. */
  make(id: number): { message: Req; transfer: ArrayBuffer[] };
}

export class WorkerPool<Req, Rep extends { id: number }> {
  readonly #slots: Slot<Req, Rep>[];
  readonly #timeoutMs: number;
  #nextId = 0;

  constructor(ports: readonly PoolPort<Req, Rep>[], o: PoolOptions = {}) {
    this.#timeoutMs = o.timeoutMs ?? DEFAULT_POOL_TIMEOUT_MS;
    if (!(this.#timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    this.#slots = ports.map((port) => ({
      port,
      pending: new Map(),
      load: 0,
      prepared: new Set(),
      dead: false,
    }));
    for (const slot of this.#slots) {
      slot.port.listen(
        (m) => {
          const p = slot.pending.get(m?.id);
          if (!p) return;
          slot.pending.delete(m.id);
          slot.load -= p.load;
          clearTimeout(p.timer);
          p.settle(m);
        },
        () => this.#drop(slot),
      );
    }
  }

  /** Workers still answering. */
  get live(): number {
    return this.#slots.reduce((n, s) => (s.dead ? n : n + 1), 0);
  }

  /** The worker's reply, or undefined when no worker answered it. */
  request(r: PoolRequest<Req>): Promise<Rep | undefined> {
    let slot: Slot<Req, Rep> | undefined;
    for (const s of this.#slots) if (!s.dead && (!slot || s.load < slot.load)) slot = s;
    if (!slot) return Promise.resolve(undefined);
    const target = slot;
    const id = this.#nextId++;
    let made: { message: Req; transfer: ArrayBuffer[] };
    try {
      made = r.make(id);
    } catch {
      // Input the message cannot carry is the caller's to judge, not the worker's fault.
      return Promise.resolve(undefined);
    }
    return new Promise((settle) => {
      const timer = setTimeout(() => this.#drop(target), this.#timeoutMs);
      target.pending.set(id, { load: r.load, timer, settle });
      target.load += r.load;
      try {
        if (r.prepare && !target.prepared.has(r.prepare.key)) {
          target.port.post(r.prepare.message(), []);
          target.prepared.add(r.prepare.key);
        }
        target.port.post(made.message, made.transfer);
      } catch {
        this.#drop(target);
      }
    });
  }

  #drop(slot: Slot<Req, Rep>): void {
    if (slot.dead) return;
    slot.dead = true;
    for (const p of slot.pending.values()) {
      clearTimeout(p.timer);
      p.settle(undefined);
    }
    slot.pending.clear();
    slot.load = 0;
    try {
      slot.port.terminate?.();
    } catch {
      // Already gone.
    }
  }
}

/** Small numbers naming channels in worker messages (a worker loads each config once). */
export function channelKeys(): (channel: Channel) => number {
  const keys = new WeakMap<Channel, number>();
  let next = 0;
  return (channel) => {
    let key = keys.get(channel);
    if (key === undefined) {
      key = next++;
      keys.set(channel, key);
    }
    return key;
  };
}

/**
 * A worker's side of a pool whose requests name a channel: configs arrive
 * once each (by key) and are rebuilt with the worker's own backend; each
 * request then runs under its channel, and whatever it throws becomes the
 * refusal `refused` builds, which the page answers on its own thread.
 * Error codes: `${prefix}_NO_CONFIG`, `${prefix}_WORKER_FAILED`.
 */
export function channelWorker(backend: Ed25519Backend | undefined, prefix: string) {
  const channels = new Map<number, Promise<Channel>>();
  return {
    config(key: number, config: ChannelConfig): undefined {
      const loading = loadChannel(config, backend);
      // Reported with the first request that needs it.
      loading.catch(() => {});
      channels.set(key, loading);
      return undefined;
    },
    async run<T>(
      key: number,
      work: (channel: Channel) => Promise<T>,
      refused: (code: string, message: string) => T,
    ): Promise<T> {
      try {
        const channel = await channels.get(key);
        if (!channel) throw new WeftError(`${prefix}_NO_CONFIG`, `no channel config ${key}`);
        return await work(channel);
      } catch (err) {
        const code = err instanceof WeftError ? err.code : `${prefix}_WORKER_FAILED`;
        return refused(code, String(err));
      }
    },
  };
}
