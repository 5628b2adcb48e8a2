import { checkTx, type Ed25519Backend, unpackEnvelopes } from '@weft/core';
import { channelWorker } from '../chain/worker-pool.js';
import type { FromVsccWorker, ToVsccWorker } from './vscc-pool.js';

/**
 * A VSCC worker's side of vsccWorkerPool: the host's worker script passes
 * each message in and posts what comes back (with no transfer list: the
 * checks are small). Channels are rebuilt here from their config, once
 * each, with the worker's own backend.
 */
export function vsccWorkerHandler(
  backend: Ed25519Backend | undefined,
): (m: ToVsccWorker) => Promise<FromVsccWorker | undefined> {
  const worker = channelWorker(backend, 'VSCC');
  return async (m) => {
    if (m.type === 'config') return worker.config(m.config, m.channel);
    return worker.run(
      m.config,
      async (channel): Promise<FromVsccWorker> => {
        // A copy each: what the checks keep (txid, writes) then pins one envelope, not the chunk.
        const checks = unpackEnvelopes(m.buffer, m.ends).map((view) =>
          checkTx(view.slice(), { channel, at: m.at, backend }),
        );
        return { type: 'checked', id: m.id, checks: await Promise.all(checks) };
      },
      (code, message) => ({ type: 'failed', id: m.id, code, message }),
    );
  };
}
