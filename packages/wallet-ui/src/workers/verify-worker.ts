import { webCryptoEd25519 } from '@weft/core';
import { type ToVerifyWorker, verifyWorkerHandler } from '@weft/light';

// A module Web Worker verifying for the page: header signatures while the
// chain syncs (headerWorkerPool), the stateless VSCC half while the auditor
// replays (vsccWorkerPool). Chromium's WebCrypto verifies on the calling
// thread, so each worker is one more core verifying; where a browser lacks
// Ed25519 in WebCrypto, core's portable code (noble) verifies instead.

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<ToVerifyWorker>) => void) | null;
  postMessage(message: unknown): void;
};

// The handler is set before anything is awaited, so no early message is missed;
// replies keep the messages' order (a channel config is handled before its requests).
const handler = webCryptoEd25519().then(verifyWorkerHandler);
// The page verifies on its own thread until every worker has said this.
void handler.then(() => scope.postMessage({ type: 'ready' }));

scope.onmessage = async ({ data }) => {
  const reply = await (await handler)(data);
  if (reply) scope.postMessage(reply);
};
