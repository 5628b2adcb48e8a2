import type { Ed25519Backend } from '@weft/core';
import { type ToVerifyWorker, verifyWorkerHandler } from '../src/verify-worker.js';
import { type SignatureSet, signatureSet, verifyRate } from './measure.js';

/**
 * What a bench worker (Web Worker or worker_threads, see pool-worker.*.ts)
 * answers: the light client's header and VSCC protocols, and the limit's
 * raw rate measured on the worker itself, so a client on workers is
 * compared with what the same workers verify raw.
 */

/** Measure the raw verification rate on this worker for `ms` milliseconds. */
export interface RateRequest {
  type: 'rate';
  ms: number;
}

export interface RateReply {
  type: 'rate';
  rate: number;
}

export type ToBenchWorker = ToVerifyWorker | RateRequest;

/** Verifications in flight when a worker measures its concurrent rate (as the page does). */
const WINDOW = 64;

export function benchWorkerHandler(
  backend: Promise<Ed25519Backend>,
): (m: ToBenchWorker) => Promise<object | undefined> {
  const verify = backend.then(verifyWorkerHandler);
  let set: Promise<SignatureSet> | undefined;
  return async (m) => {
    if (m.type !== 'rate') return (await verify)(m);
    const b = await backend;
    set ??= signatureSet(2048, b);
    const s = await set;
    // The faster of one at a time and WINDOW in flight, as the page's own limit.
    const rate = Math.max(
      await verifyRate(s, b, 1, m.ms / 2),
      await verifyRate(s, b, WINDOW, m.ms / 2),
    );
    return { type: 'rate', rate } satisfies RateReply;
  };
}
