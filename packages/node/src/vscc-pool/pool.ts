import type { ResourceLimits } from 'node:worker_threads';
import { packEnvelopes, type TxCheck, type TxCheckContext } from '@weft/core';
import { VsccPoolError } from './errors.js';
import type { FromWorker, WorkerFault } from './protocol.js';
import { RateMeter } from './rate.js';
import { DEFAULT_WORKER_LIMITS, type SpawnInit } from './spawn.js';
import {
  type Call,
  chunkSizeFor,
  configRef,
  type ResolvedOptions,
  resolveOptions,
  type Task,
  type VsccPoolOptions as TaskOptions,
  type VsccPoolStats,
} from './tasks.js';
import { type Slot, WorkerSet } from './workers.js';

export type { VsccPoolStats } from './tasks.js';

export interface VsccPoolOptions extends TaskOptions {
  /**
   * V8 heap limits of each worker (worker_threads resourceLimits), merged
   * over DEFAULT_WORKER_LIMITS; a worker that exceeds them dies with
   * ERR_WORKER_OUT_OF_MEMORY and is replaced like any crashed worker.
   */
  workerResourceLimits?: ResourceLimits;
}

/** Two chunks per worker: one running, one waiting, so a worker never idles on a round trip. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * A pool of worker_threads running VSCC's stateless half (core's checkTx)
 * with Node's native crypto. A block is cut into chunks spread over the
 * workers; a worker that dies is replaced and its chunks re-run elsewhere,
 * each chunk's answer being taken at most once.
 *
 * Answers come back as full TxChecks (ParsedTx included) by structured
 * clone, not as codes to be re-parsed here: with two cores, every
 * main-thread microsecond is taken from a worker. Measured on a 2-vCPU
 * AMD EPYC (~16k native verifications/s per thread), validateBlock over a
 * 2000-spend block, 2 workers, chunks of 250, 2 blocks in flight, CPU per
 * thread from /proc/self/task:
 *   full TxCheck:           3,840-4,730 tx/s, main thread 32-37 µs/tx
 *   codes + parseTx here:   2,600-3,030 tx/s, main thread 95-107 µs/tx
 * (receiving a TxCheck is ~18 µs of v8 deserialize for 2.3 KB; parseTx is
 * ~88 µs, mostly core's strict CBOR decode with its re-encode). Results are
 * cloned, not transferred: a TxCheck holds ~16 small ArrayBuffers, and
 * transferring them cost 32 µs/tx to send and 14 µs/tx to receive against
 * 12 and 12 for a plain clone. Requests are transferred (one packed buffer).
 */
export class VsccPool {
  readonly #options: ResolvedOptions;
  readonly #workers: WorkerSet<Task>;
  readonly #calls = new Set<Call>();
  readonly #rates = new RateMeter();
  #queue: Task[] = [];
  #nextId = 1;
  #queuedTx = 0;
  #rerun = 0;
  #closed = false;

  private constructor(options: VsccPoolOptions) {
    this.#options = resolveOptions(options);
    // WorkerSet hands this object, as it is, to spawnVsccWorker for every worker it starts.
    const init: SpawnInit = {
      testHooks: this.#options.testHooks,
      resourceLimits: { ...DEFAULT_WORKER_LIMITS, ...options.workerResourceLimits },
    };
    this.#workers = new WorkerSet<Task>(this.#options.size, init, {
      message: (slot, msg) => this.#onMessage(slot, msg),
      lost: (slot, cause) => this.#onLost(slot, cause),
      ready: () => this.#pump(),
      exhausted: (cause) =>
        this.#failAll(
          new VsccPoolError('VSCC_POOL_NO_WORKERS', `no worker could be started: ${String(cause)}`),
        ),
    });
  }

  /** Starts the workers; resolves once every one has loaded (else VSCC_POOL_START_FAILED). */
  static async start(options: VsccPoolOptions = {}): Promise<VsccPool> {
    const pool = new VsccPool(options);
    try {
      await pool.#workers.start();
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get stats(): VsccPoolStats {
    return {
      size: this.#workers.size,
      live: this.#workers.live().length,
      replaced: this.#workers.replaced,
      rerunChunks: this.#rerun,
      queuedTx: this.#queuedTx,
    };
  }

  /**
   * One TxCheck per envelope, in order: what core's checkAllInline returns.
   * Bound, with validateBlock's `checkAll` signature (the channel is
   * `ctx.channel`): `validateBlock({ ..., checkAll: pool.checkAll })`.
   * Workers verify with the native backend whatever `ctx.backend` is: every
   * Weft backend gives the same verdicts.
   */
  readonly checkAll = (data: readonly Uint8Array[], ctx: TxCheckContext): Promise<TxCheck[]> => {
    const refuse = (code: string, msg: string) => Promise.reject(new VsccPoolError(code, msg));
    if (this.#closed) return refuse('VSCC_POOL_CLOSED', 'pool is closed');
    if (data.length === 0) return Promise.resolve([]);
    const { maxQueuedTx, timeoutMs } = this.#options;
    if (this.#queuedTx + data.length > maxQueuedTx) {
      const msg = `${this.#queuedTx} envelopes queued, ${data.length} more exceed ${maxQueuedTx}`;
      return refuse('VSCC_POOL_QUEUE_FULL', msg);
    }
    if (!this.#workers.any()) return refuse('VSCC_POOL_NO_WORKERS', 'no worker is running');
    const config = configRef(ctx.channel.config);
    const chunk = chunkSizeFor(data.length, this.#workers.size, this.#options.chunkSize);
    return new Promise<TxCheck[]>((resolve, reject) => {
      const call: Call = {
        results: new Array(data.length),
        remaining: Math.ceil(data.length / chunk),
        size: data.length,
        settled: false,
        resolve,
        reject,
      };
      call.timer = setTimeout(() => this.#timeOut(call), timeoutMs).unref();
      this.#calls.add(call);
      this.#queuedTx += data.length;
      for (let start = 0; start < data.length; start += chunk) {
        const slice = data.slice(start, start + chunk);
        const id = this.#nextId++;
        this.#queue.push({ id, call, start, data: slice, config, at: ctx.at, crashes: 0 });
      }
      this.#pump();
    });
  };

  /**
   * Native Ed25519 verifications per second summed over `workers` workers
   * (default all), each verifying one signature in a loop for `ms` after a
   * warm-up of ms/5. Run it while the pool is otherwise idle.
   */
  async measureVerifyRate(options: { ms?: number; workers?: number } = {}): Promise<number> {
    const slots = this.#workers.live().slice(0, options.workers);
    return this.#rates.measure(slots, options.ms ?? 1000, () => this.#nextId++);
  }

  /**
   * Test only (testHooks): worker `worker` fails after `afterTxs` envelopes
   * of its next chunk (exit, uncaught throw or endless loop), or is
   * terminated right now.
   */
  injectFault(options: { worker: number; fault: WorkerFault | 'terminate'; afterTxs?: number }) {
    const slot = this.#workers.slot(options.worker);
    if (!this.#options.testHooks || !slot) {
      throw new VsccPoolError('VSCC_POOL_TEST_HOOKS', 'needs testHooks: true and a live worker');
    }
    if (options.fault === 'terminate') void slot.worker.terminate();
    else {
      const afterTxs = options.afterTxs ?? 0;
      slot.worker.postMessage({ type: 'fault', fault: options.fault, afterTxs });
    }
  }

  /** Rejects every pending call with VSCC_POOL_CLOSED and terminates the workers. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#failAll(new VsccPoolError('VSCC_POOL_CLOSED', 'pool closed'));
    await this.#workers.close();
  }

  #failAll(error: VsccPoolError): void {
    for (const call of [...this.#calls]) this.#settle(call, error);
    this.#rates.failAll(error);
    this.#queue = [];
  }

  #onMessage(slot: Slot<Task>, msg: Exclude<FromWorker, { type: 'ready' }>): void {
    if (this.#rates.take(msg)) return;
    // No task: its chunk was re-run elsewhere or its call ended. Answers are taken at most once.
    const task = slot.inflight.get(msg.id);
    if (!task) return;
    slot.inflight.delete(msg.id);
    const call = task.call;
    if (msg.type === 'failed') {
      this.#settle(call, new VsccPoolError('VSCC_POOL_TASK_FAILED', `${msg.code}: ${msg.message}`));
    } else if (msg.type === 'checked' && !call.settled) {
      if (msg.checks.length !== task.data.length) {
        const error = new VsccPoolError('VSCC_POOL_BAD_RESULT', 'wrong number of checks');
        this.#settle(call, error);
      } else {
        for (const [i, check] of msg.checks.entries()) call.results[task.start + i] = check;
        if (--call.remaining === 0) this.#settle(call);
      }
    }
    this.#pump();
  }

  #onLost(slot: Slot<Task>, cause: unknown): void {
    const rerun: Task[] = [];
    for (const task of slot.inflight.values()) {
      if (task.call.settled) continue;
      if (!slot.recycled && ++task.crashes >= this.#options.maxCrashesPerChunk) {
        const msg = `a chunk was on ${task.crashes} workers that died; last: ${String(cause)}`;
        this.#settle(task.call, new VsccPoolError('VSCC_POOL_WORKER_CRASHED', msg, { cause }));
      } else rerun.push(task);
    }
    slot.inflight.clear();
    this.#rerun += rerun.length;
    this.#queue.unshift(...rerun);
    this.#rates.lost(slot, cause);
    this.#pump();
  }

  #settle(call: Call, error?: Error): void {
    if (call.settled) return;
    call.settled = true;
    clearTimeout(call.timer);
    this.#calls.delete(call);
    this.#queuedTx -= call.size;
    if (error) call.reject(error);
    else call.resolve(call.results);
  }

  #timeOut(call: Call): void {
    const { timeoutMs } = this.#options;
    const msg = `VSCC results not all back after ${timeoutMs} ms`;
    this.#settle(call, new VsccPoolError('VSCC_POOL_TIMEOUT', msg));
    this.#queue = this.#queue.filter((t) => t.call !== call);
    // A worker still holding one of its chunks is presumed stuck: replace it.
    for (const slot of this.#workers.live()) {
      if ([...slot.inflight.values()].some((t) => t.call === call)) this.#workers.recycle(slot);
    }
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let best: Slot<Task> | undefined;
      for (const s of this.#workers.live()) {
        if (s.inflight.size >= IN_FLIGHT_PER_WORKER) continue;
        if (!best || s.inflight.size < best.inflight.size) best = s;
      }
      if (!best) return;
      const task = this.#queue.shift()!;
      if (!task.call.settled) this.#send(best, task);
    }
  }

  #send(slot: Slot<Task>, task: Task): void {
    const { hash, bytes } = task.config;
    if (!slot.configs.get(hash)) {
      slot.worker.postMessage({ type: 'config', hash, bytes });
      slot.configs.set(hash, true);
    }
    const { buffer, ends } = packEnvelopes(task.data);
    slot.inflight.set(task.id, task);
    const msg = { type: 'check', id: task.id, config: hash, at: task.at, buffer, ends };
    slot.worker.postMessage(msg, [buffer]);
  }
}
