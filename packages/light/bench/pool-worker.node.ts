import { parentPort } from 'node:worker_threads';
import { answerEd25519Batch, type Ed25519PoolBatch, WeftError, webCryptoEd25519 } from '@weft/core';
import type { ToVsccWorker } from '../src/auditor/vscc-pool.js';
import { vsccWorkerHandler } from '../src/auditor/vscc-worker.js';
import { installNodeSha256 } from './node-sha.js';

// A worker_threads worker for either pool of the bench (see
// pool-worker.browser.ts), with Node's WebCrypto, the backend the light
// client uses in Node too.

installNodeSha256();
const backend = webCryptoEd25519().then((b) => {
  if (!b) throw new WeftError('BENCH_NO_BACKEND', 'this Node has no WebCrypto Ed25519');
  return b;
});
const vscc = backend.then(vsccWorkerHandler);
const port = parentPort!;

port.on('message', async (data: Ed25519PoolBatch | ToVsccWorker) => {
  if ('type' in data) {
    const answer = await (await vscc)(data);
    if (answer) port.postMessage(answer);
    return;
  }
  const answer = await answerEd25519Batch(data, await backend);
  port.postMessage(answer, [answer.verdicts.buffer]);
});
