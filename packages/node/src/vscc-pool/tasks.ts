import os from 'node:os';
import {
  type ChannelConfig,
  channelConfigToCbor,
  encode,
  sha256,
  type TxCheck,
  toHex,
} from '@weft/core';
import { VsccPoolError } from './errors.js';

export interface VsccPoolOptions {
  /** Worker threads; default os.availableParallelism(). */
  size?: number;
  /** A checkAll not fully answered by then rejects with VSCC_POOL_TIMEOUT. Default 60 s. */
  timeoutMs?: number;
  /** Envelopes accepted and not yet answered, over all calls; beyond it VSCC_POOL_QUEUE_FULL. Default 40,000. */
  maxQueuedTx?: number;
  /** Envelopes per chunk; default a quarter of a block per worker, within 16..64. */
  chunkSize?: number;
  /** Workers a chunk may see die under it before its call rejects (VSCC_POOL_WORKER_CRASHED). Default 3. */
  maxCrashesPerChunk?: number;
  /** Lets injectFault() work; never set in production. */
  testHooks?: boolean;
}

export interface VsccPoolStats {
  size: number;
  /** Workers started and ready to take chunks. */
  live: number;
  /** Workers started to replace one that died or was stuck. */
  replaced: number;
  /** Chunks sent again because their worker died. */
  rerunChunks: number;
  queuedTx: number;
}

export type ResolvedOptions = Required<Omit<VsccPoolOptions, 'chunkSize'>> &
  Pick<VsccPoolOptions, 'chunkSize'>;

export function resolveOptions(options: VsccPoolOptions): ResolvedOptions {
  const size = options.size ?? os.availableParallelism();
  if (!Number.isInteger(size) || size < 1) {
    throw new VsccPoolError('VSCC_POOL_OPTIONS', `pool size must be a positive integer: ${size}`);
  }
  return {
    size,
    timeoutMs: options.timeoutMs ?? 60_000,
    maxQueuedTx: options.maxQueuedTx ?? 40_000,
    chunkSize: options.chunkSize,
    maxCrashesPerChunk: options.maxCrashesPerChunk ?? 3,
    testHooks: options.testHooks ?? false,
  };
}

const CHUNKS_PER_WORKER = 4;
const MIN_CHUNK = 16;
/**
 * Small chunks keep a worker's garbage young (a 64-envelope chunk lives
 * about 20 ms) and even out the end of a block. Measured, 2000-spend block,
 * 2 workers: chunks of 32-64 gave 4,720-4,960 tx/s and ~33 µs/tx of V8
 * helper-thread GC; chunks of 250 gave 4,550-4,650 tx/s and ~50 µs/tx.
 */
const MAX_CHUNK = 64;

export function chunkSizeFor(envelopes: number, workers: number, option?: number): number {
  if (option !== undefined) return Math.max(1, Math.floor(option));
  const even = Math.ceil(envelopes / (workers * CHUNKS_PER_WORKER));
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, even));
}

/** A channel config as workers receive it: canonical bytes, named by their hash. */
export interface ConfigRef {
  hash: string;
  bytes: Uint8Array;
}

const configRefs = new WeakMap<ChannelConfig, ConfigRef>();

/** Encoded once per config object: a Channel keeps its config across blocks. */
export function configRef(config: ChannelConfig): ConfigRef {
  let ref = configRefs.get(config);
  if (!ref) {
    const bytes = encode(channelConfigToCbor(config));
    ref = { hash: toHex(sha256(bytes)), bytes };
    configRefs.set(config, ref);
  }
  return ref;
}

/** One checkAll: filled chunk by chunk, settled once. */
export interface Call {
  results: TxCheck[];
  remaining: number;
  size: number;
  settled: boolean;
  resolve: (checks: TxCheck[]) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

/** One chunk of a call: envelopes [start, start + data.length). */
export interface Task {
  id: number;
  call: Call;
  start: number;
  data: readonly Uint8Array[];
  config: ConfigRef;
  at: number;
  /** Workers that died while holding it. */
  crashes: number;
}
