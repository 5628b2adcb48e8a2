import type { Worker } from 'node:worker_threads';
import { VsccPoolError } from './errors.js';
import { type FromWorker, Lru, WORKER_CHANNEL_CACHE, type WorkerInit } from './protocol.js';
import { spawnVsccWorker } from './spawn.js';

/** Replacements in a row that die before becoming ready; then the slot stays empty. */
const MAX_SPAWN_FAILURES = 3;

/** One worker's place in the pool: a replacement takes the same index. */
export interface Slot<T> {
  readonly index: number;
  readonly worker: Worker;
  ready: boolean;
  /** Terminated by the pool (stuck, or closing): what it held is not to blame. */
  recycled: boolean;
  /** Work sent and not yet answered, by request id. */
  readonly inflight: Map<number, T>;
  /** Mirror of the worker's loaded channels (see WORKER_CHANNEL_CACHE). */
  readonly configs: Lru<true>;
  lastError?: unknown;
}

export interface WorkerSetEvents<T> {
  message(slot: Slot<T>, msg: Exclude<FromWorker, { type: 'ready' }>): void;
  /** A worker ended; its inflight work is the listener's to re-run. Called before the replacement starts. */
  lost(slot: Slot<T>, cause: unknown): void;
  /** A worker became ready. */
  ready(): void;
  /** Every slot is empty and no replacement will start. */
  exhausted(cause: unknown): void;
}

/** Keeps `size` VSCC workers alive: spawns, watches and replaces them. */
export class WorkerSet<T> {
  readonly #slots: (Slot<T> | undefined)[];
  #replaced = 0;
  #spawnFailures = 0;
  #closing = false;
  #starting?: { resolve: () => void; reject: (err: Error) => void };

  constructor(
    size: number,
    readonly init: WorkerInit,
    readonly events: WorkerSetEvents<T>,
  ) {
    this.#slots = Array.from({ length: size }, () => undefined);
  }

  /** Spawns every worker; resolves when all are ready, rejects (VSCC_POOL_START_FAILED) if one dies first. */
  async start(): Promise<void> {
    const started = new Promise<void>((resolve, reject) => {
      this.#starting = { resolve, reject };
    });
    for (let i = 0; i < this.#slots.length; i++) this.#spawn(i);
    try {
      await started;
    } finally {
      this.#starting = undefined;
    }
  }

  get size(): number {
    return this.#slots.length;
  }

  get replaced(): number {
    return this.#replaced;
  }

  slot(index: number): Slot<T> | undefined {
    return this.#slots[index];
  }

  /** Ready workers. */
  live(): Slot<T>[] {
    return this.#slots.filter((s): s is Slot<T> => !!s?.ready);
  }

  any(): boolean {
    return this.#slots.some((s) => s);
  }

  /** Ends a worker the pool gave up on; it is replaced like a crashed one. */
  recycle(slot: Slot<T>): void {
    slot.recycled = true;
    void slot.worker.terminate();
  }

  async close(): Promise<void> {
    this.#closing = true;
    const slots = this.#slots.filter((s): s is Slot<T> => !!s);
    for (const slot of slots) slot.recycled = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #spawn(index: number): void {
    const worker = spawnVsccWorker(this.init);
    const slot: Slot<T> = {
      index,
      worker,
      ready: false,
      recycled: false,
      inflight: new Map(),
      configs: new Lru(WORKER_CHANNEL_CACHE),
    };
    this.#slots[index] = slot;
    worker.on('message', (msg: FromWorker) => {
      if (msg.type !== 'ready') return this.events.message(slot, msg);
      slot.ready = true;
      this.#spawnFailures = 0;
      if (this.#starting && this.#slots.every((s) => s?.ready)) this.#starting.resolve();
      this.events.ready();
    });
    worker.on('error', (err) => {
      slot.lastError = err;
    });
    // A reply that cannot be read would never be answered: start over with a fresh worker.
    worker.on('messageerror', (err) => {
      slot.lastError = err;
      void worker.terminate();
    });
    worker.on('exit', (code) => this.#onExit(slot, code));
  }

  #onExit(slot: Slot<T>, code: number): void {
    if (this.#slots[slot.index] !== slot) return;
    this.#slots[slot.index] = undefined;
    if (this.#closing) return;
    const cause = slot.lastError ?? new Error(`worker exited with code ${code}`);
    if (this.#starting) {
      const msg = `a VSCC worker did not start: ${String(cause)}`;
      this.#starting.reject(new VsccPoolError('VSCC_POOL_START_FAILED', msg, { cause }));
      return;
    }
    this.events.lost(slot, cause);
    if (!slot.ready) this.#spawnFailures++;
    if (this.#spawnFailures <= MAX_SPAWN_FAILURES) {
      this.#replaced++;
      this.#spawn(slot.index);
    } else if (!this.any()) {
      this.events.exhausted(cause);
    }
  }
}
