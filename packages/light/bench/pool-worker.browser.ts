import { WeftError, webCryptoEd25519 } from '@weft/core';
import { benchWorkerHandler, type ToBenchWorker } from './worker-serve.js';

// A module Web Worker for the bench's pools (header verification, VSCC)
// and the limit's raw rate, with its own WebCrypto: Chromium's verifies on
// the calling thread, so each worker is one more core verifying.

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<ToBenchWorker>) => void) | null;
  postMessage(message: unknown): void;
};
const handle = benchWorkerHandler(
  webCryptoEd25519().then((b) => {
    if (!b) throw new WeftError('BENCH_NO_BACKEND', 'this worker has no WebCrypto Ed25519');
    return b;
  }),
);

scope.onmessage = async ({ data }) => {
  const answer = await handle(data);
  if (answer) scope.postMessage(answer);
};
