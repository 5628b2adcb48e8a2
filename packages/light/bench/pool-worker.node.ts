import { parentPort } from 'node:worker_threads';
import { WeftError, webCryptoEd25519 } from '@weft/core';
import { installNodeSha256 } from './node-sha.js';
import { benchWorkerHandler, type ToBenchWorker } from './worker-serve.js';

// A worker_threads worker for the bench's pools (see pool-worker.browser.ts),
// with Node's WebCrypto, the backend the light client uses in Node too.

installNodeSha256();
const handle = benchWorkerHandler(
  webCryptoEd25519().then((b) => {
    if (!b) throw new WeftError('BENCH_NO_BACKEND', 'this Node has no WebCrypto Ed25519');
    return b;
  }),
);
const port = parentPort!;

port.on('message', async (data: ToBenchWorker) => {
  const answer = await handle(data);
  if (answer) port.postMessage(answer);
});
