import { webCryptoEd25519 } from '@weft/core';
import {
  headerWorkerHandler,
  type ToHeaderWorker,
  type ToVsccWorker,
  vsccWorkerHandler,
} from '@weft/light';

// A module Web Worker verifying for the page: header signatures while the
// chain syncs (headerWorkerPool), the stateless VSCC half while the auditor
// replays (vsccWorkerPool). Chromium's WebCrypto verifies on the calling
// thread, so each worker is one more core verifying; where a browser lacks
// Ed25519 in WebCrypto, core's portable code (noble) verifies instead.

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<ToHeaderWorker | ToVsccWorker>) => void) | null;
  postMessage(message: unknown): void;
};

// The handler is set before anything is awaited, so no early message is missed;
// replies keep the messages' order (a channel config is handled before its requests).
const handlers = webCryptoEd25519().then((backend) => ({
  headers: headerWorkerHandler(backend),
  vscc: vsccWorkerHandler(backend),
}));
// The page verifies on its own thread until every worker has said this.
void handlers.then(() => scope.postMessage({ type: 'ready' }));

scope.onmessage = async ({ data }) => {
  const h = await handlers;
  const reply =
    data.type === 'header-config' || data.type === 'verify-headers'
      ? await h.headers(data)
      : await h.vscc(data);
  if (reply) scope.postMessage(reply);
};
