import type { Ed25519Backend } from './ed25519.js';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from './ed25519.js';

/**
 * Ed25519 verification spread over workers (Web Workers, worker_threads),
 * behind the ordinary backend interface so header sync and the auditor use
 * it unchanged. Worth it where one thread is the bottleneck: Chromium's
 * WebCrypto verifies on the calling thread, so a page verifying on its main
 * thread has one core for signatures and everything else together.
 *
 * Verifications are packed into batches (one transferable buffer each) and
 * posted to the least loaded worker: a batch goes when it is full, or on
 * the next macrotask, so a caller that starts many verifications in one
 * turn (a window of headers, a block's transactions) pays one message per
 * batch rather than per signature. Only raw verification crosses; the
 * strict precheck stays with the caller (verifyStrict), and signing stays
 * on the local backend.
 */

/** One batch: item i is publicKey || signature || message, ending at ends[i]. */
export interface Ed25519PoolBatch {
  id: number;
  buffer: ArrayBuffer;
  ends: Uint32Array;
}

/** A worker's answer: verdicts[i] is 1 when item i verified. */
export interface Ed25519PoolVerdicts {
  id: number;
  verdicts: Uint8Array<ArrayBuffer>;
}

/** The host's handle on one worker: Web Worker and worker_threads adapters are a few lines each. */
export interface Ed25519PoolPort {
  post(batch: Ed25519PoolBatch, transfer: ArrayBuffer[]): void;
  /** Registers the handlers for the worker's answers and for its failure. */
  listen(onVerdicts: (v: Ed25519PoolVerdicts) => void, onError: (err: unknown) => void): void;
}

export interface PooledEd25519Options {
  ports: readonly Ed25519PoolPort[];
  /** Signs, derives keys, and verifies whatever a failed worker left unanswered. */
  local: Ed25519Backend;
  /** Verifications per message (default 64). */
  batchSize?: number;
}

interface Item {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  resolve: (ok: boolean) => void;
}

interface Worker {
  port: Ed25519PoolPort;
  outstanding: Map<number, Item[]>;
  items: number;
  dead: boolean;
}

/**
 * A scheduler for the next macrotask: setImmediate in Node, a message to
 * itself in a browser or worker (setTimeout would be clamped to 4 ms).
 * Batching pools flush a partial batch on it.
 */
export function nextTask(): (fn: () => void) => void {
  if (typeof globalThis.setImmediate === 'function') return (fn) => globalThis.setImmediate(fn);
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}

export function pooledEd25519(o: PooledEd25519Options): Ed25519Backend {
  const batchSize = o.batchSize ?? 64;
  const later = nextTask();
  const workers: Worker[] = o.ports.map((port) => ({
    port,
    outstanding: new Map(),
    items: 0,
    dead: false,
  }));
  let queue: Item[] = [];
  let scheduled = false;
  let nextId = 0;

  const runLocally = (items: readonly Item[]) => {
    for (const it of items)
      o.local
        .verify(it.publicKey, it.message, it.signature)
        .then(it.resolve, () => it.resolve(false));
  };

  const flush = () => {
    scheduled = false;
    if (queue.length === 0) return;
    const items = queue;
    queue = [];
    let target: Worker | undefined;
    for (const w of workers) if (!w.dead && (!target || w.items < target.items)) target = w;
    if (!target) return runLocally(items);
    const batch = pack(nextId++, items);
    target.outstanding.set(batch.id, items);
    target.items += items.length;
    try {
      target.port.post(batch, [batch.buffer]);
    } catch {
      fail(target);
    }
  };

  const fail = (w: Worker) => {
    // A lost worker must not turn into a rejected signature: its share is verified here.
    w.dead = true;
    for (const items of w.outstanding.values()) runLocally(items);
    w.outstanding.clear();
    w.items = 0;
  };

  for (const w of workers) {
    w.port.listen(
      ({ id, verdicts }) => {
        const items = w.outstanding.get(id);
        if (!items) return;
        w.outstanding.delete(id);
        w.items -= items.length;
        items.forEach((it, i) => {
          it.resolve(verdicts[i] === 1);
        });
      },
      () => fail(w),
    );
  }

  return {
    name: `${o.local.name}-pool`,
    verify(publicKey, message, signature) {
      if (publicKey.length !== PUBLIC_KEY_LENGTH || signature.length !== SIGNATURE_LENGTH)
        return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        queue.push({ publicKey, message, signature, resolve });
        if (queue.length >= batchSize) flush();
        else if (!scheduled) {
          scheduled = true;
          later(flush);
        }
      });
    },
    sign: (secretKey, message) => o.local.sign(secretKey, message),
    getPublicKey: (secretKey) => o.local.getPublicKey(secretKey),
  };
}

/** Bytes of an item before its message. */
const HEAD = PUBLIC_KEY_LENGTH + SIGNATURE_LENGTH;

function pack(id: number, items: readonly Item[]): Ed25519PoolBatch {
  const ends = new Uint32Array(items.length);
  let total = 0;
  items.forEach((it, i) => {
    total += HEAD + it.message.length;
    ends[i] = total;
  });
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const it of items) {
    bytes.set(it.publicKey, at);
    bytes.set(it.signature, at + PUBLIC_KEY_LENGTH);
    bytes.set(it.message, at + HEAD);
    at += HEAD + it.message.length;
  }
  return { id, buffer: bytes.buffer, ends };
}

/** The worker's side: verifies a batch with the worker's own backend. */
export async function answerEd25519Batch(
  batch: Ed25519PoolBatch,
  backend: Ed25519Backend,
): Promise<Ed25519PoolVerdicts> {
  const bytes = new Uint8Array(batch.buffer);
  const checks: Promise<boolean>[] = [];
  let start = 0;
  for (const end of batch.ends) {
    const publicKey = bytes.subarray(start, start + PUBLIC_KEY_LENGTH);
    const signature = bytes.subarray(start + PUBLIC_KEY_LENGTH, start + HEAD);
    const message = bytes.subarray(start + HEAD, end);
    checks.push(backend.verify(publicKey, message, signature).catch(() => false));
    start = end;
  }
  const verdicts = Uint8Array.from(await Promise.all(checks), (ok) => (ok ? 1 : 0));
  return { id: batch.id, verdicts };
}
