import type { Ed25519Backend } from '@weft/core';
import type { FromVsccWorker, ToVsccWorker } from './auditor/vscc-pool.js';
import { vsccWorkerHandler } from './auditor/vscc-worker.js';
import type { FromHeaderWorker, ToHeaderWorker } from './chain/header-pool.js';
import { headerWorkerHandler } from './chain/header-worker.js';

/** What one worker serving both of the client's pools is sent. */
export type ToVerifyWorker = ToHeaderWorker | ToVsccWorker;

/**
 * The worker side of both pools at once, so one set of workers verifies
 * headers while a chain syncs (headerWorkerPool) and the VSCC half while
 * an audit replays (vsccWorkerPool). Replies come in the messages' order
 * per pool, as each pool's handler gives them.
 */
export function verifyWorkerHandler(
  backend: Ed25519Backend | undefined,
): (m: ToVerifyWorker) => Promise<FromHeaderWorker | FromVsccWorker | undefined> {
  const headers = headerWorkerHandler(backend);
  const vscc = vsccWorkerHandler(backend);
  return (m) => (m.type === 'header-config' || m.type === 'verify-headers' ? headers(m) : vscc(m));
}
