import { sleep } from '@weft/core';

// sleep lives in core (the light client waits the same way); re-exported for the node's modules.
export { sleep };

/** `promise`, or `undefined` once `ms` have passed or `signal` aborted, whichever is first. */
export async function within<T>(
  promise: Promise<T>,
  ms: number,
  signal?: AbortSignal,
): Promise<T | undefined> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([promise, sleep(ms, stop.signal).then(() => undefined)]);
  } finally {
    stop.abort();
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Runs `tick` every `ms` (after a first wait) until `signal` aborts; a tick
 * that throws is reported to `onError` and the loop goes on.
 */
export async function repeatEvery(
  ms: number,
  signal: AbortSignal,
  tick: () => Promise<void>,
  onError: (err: unknown) => void,
): Promise<void> {
  while (!signal.aborted) {
    await sleep(ms, signal);
    if (signal.aborted) return;
    try {
      await tick();
    } catch (err) {
      onError(err);
    }
  }
}
