import {
  type Channel,
  checkTx,
  type Ed25519Backend,
  loadChannel,
  unpackEnvelopes,
  WeftError,
} from '@weft/core';
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
  const channels = new Map<number, Promise<Channel>>();
  return async (m) => {
    if (m.type === 'config') {
      const loading = loadChannel(m.channel, backend);
      // Reported with the first check that needs it.
      loading.catch(() => {});
      channels.set(m.config, loading);
      return undefined;
    }
    try {
      const channel = await channels.get(m.config);
      if (!channel) throw new WeftError('VSCC_NO_CONFIG', `no channel config ${m.config}`);
      // A copy each: what the checks keep (txid, writes) then pins one envelope, not the chunk.
      const checks = unpackEnvelopes(m.buffer, m.ends).map((view) =>
        checkTx(view.slice(), { channel, at: m.at, backend }),
      );
      return { type: 'checked', id: m.id, checks: await Promise.all(checks) };
    } catch (err) {
      const code = err instanceof WeftError ? err.code : 'VSCC_WORKER_FAILED';
      return { type: 'failed', id: m.id, code, message: String(err) };
    }
  };
}
