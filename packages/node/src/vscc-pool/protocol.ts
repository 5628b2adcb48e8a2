import type { TxCheck } from '@weft/core';

/** Faults a test can arm in a worker (only when the pool was started with testHooks). */
export type WorkerFault = 'exit' | 'throw' | 'hang';

export type ToWorker =
  | { type: 'config'; hash: string; bytes: Uint8Array }
  | {
      type: 'check';
      id: number;
      config: string;
      at: number;
      /** Every envelope of the chunk back to back; `ends[i]` is where envelope i stops. */
      buffer: ArrayBuffer;
      ends: Uint32Array;
    }
  | { type: 'rate'; id: number; ms: number }
  | { type: 'fault'; fault: WorkerFault; afterTxs: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'checked'; id: number; checks: TxCheck[] }
  | { type: 'failed'; id: number; code: string; message: string }
  | { type: 'rate'; id: number; count: number; ms: number };

/** What the pool hands a worker at start. */
export interface WorkerInit {
  testHooks: boolean;
}

/**
 * Loaded channels a worker keeps. The main thread mirrors each worker's set
 * with the same LRU fed the same message sequence (a port delivers in
 * order), so it knows without asking whether a config must be sent first.
 */
export const WORKER_CHANNEL_CACHE = 8;

/** A Map that forgets its least recently used entry beyond `capacity`. */
export class Lru<V> {
  readonly #map = new Map<string, V>();
  constructor(readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.capacity) {
      const oldest = this.#map.keys().next().value;
      if (oldest !== undefined) this.#map.delete(oldest);
    }
  }
}
