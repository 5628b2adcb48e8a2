import { BlockError, type Ed25519Backend, verifyHeader } from '@weft/core';
import { unpackHeaderChecks } from './header-pack.js';
import type { FromHeaderWorker, HeaderFailure, ToHeaderWorker } from './header-pool.js';
import { channelWorker } from './worker-pool.js';

/**
 * A header worker's side of headerWorkerPool: the host's worker script
 * passes each message in and posts what comes back (no transfer list: the
 * failures are few and small). Channels are rebuilt from their config once
 * each, with the worker's own backend; every header is judged by core's
 * verifyHeader, all of a message's at once, so the worker's crypto never
 * waits on one header at a time.
 */
export function headerWorkerHandler(
  backend: Ed25519Backend | undefined,
): (m: ToHeaderWorker) => Promise<FromHeaderWorker | undefined> {
  const worker = channelWorker(backend, 'HEADER');
  return async (m) => {
    if (m.type === 'header-config') return worker.config(m.config, m.channel);
    return worker.run(
      m.config,
      async (channel): Promise<FromHeaderWorker> => {
        const failures: HeaderFailure[] = [];
        const checks = unpackHeaderChecks(m).map((c, index) =>
          verifyHeader({ ...c, channel, backend }).then(
            () => undefined,
            (err: unknown) => {
              // Anything but core's verdict on the header is the page's to find out for itself.
              if (!(err instanceof BlockError)) throw err;
              failures.push({ index, code: err.code, message: err.message });
            },
          ),
        );
        await Promise.all(checks);
        return { type: 'headers-verified', id: m.id, failures };
      },
      (code, message) => ({ type: 'headers-failed', id: m.id, code, message }),
    );
  };
}
