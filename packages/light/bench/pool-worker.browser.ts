import { answerEd25519Batch, type Ed25519PoolBatch, WeftError, webCryptoEd25519 } from '@weft/core';
import type { ToVsccWorker } from '../src/auditor/vscc-pool.js';
import { vsccWorkerHandler } from '../src/auditor/vscc-worker.js';

// A module Web Worker for either pool of the bench: Ed25519 batches (core's
// pooledEd25519) or VSCC chunks (the auditor's vsccWorkerPool), with its
// own WebCrypto: Chromium's verifies on the calling thread, so each worker
// is one more core verifying.

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<Ed25519PoolBatch | ToVsccWorker>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};
const backend = webCryptoEd25519().then((b) => {
  if (!b) throw new WeftError('BENCH_NO_BACKEND', 'this worker has no WebCrypto Ed25519');
  return b;
});
const vscc = backend.then(vsccWorkerHandler);

scope.onmessage = async ({ data }) => {
  if ('type' in data) {
    const answer = await (await vscc)(data);
    if (answer) scope.postMessage(answer);
    return;
  }
  const answer = await answerEd25519Batch(data, await backend);
  scope.postMessage(answer, [answer.verdicts.buffer]);
};
