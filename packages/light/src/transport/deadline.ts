import { TransportError } from '../errors.js';

/** A signal that aborts with a TransportError (NET_TIMEOUT, or NET_ABORTED from the caller). */
export interface Deadline {
  readonly signal: AbortSignal;
}

export interface OwnedDeadline extends Deadline {
  /** Clears the timer and the link to the parent; call when the guarded work ends. */
  dispose(): void;
}

/** Aborts after `timeoutMs` (never when Infinity), or as soon as `parent` aborts. */
export function deadline(
  timeoutMs: number,
  parent: AbortSignal | undefined,
  what: string,
): OwnedDeadline {
  const controller = new AbortController();
  const onParent = () => controller.abort(abortReason(parent!));
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (Number.isFinite(timeoutMs) && !controller.signal.aborted) {
    timer = setTimeout(
      () =>
        controller.abort(
          new TransportError('NET_TIMEOUT', `${what} timed out after ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
  }
  return {
    signal: controller.signal,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/** The TransportError a signal aborted with (a caller's own reason becomes NET_ABORTED). */
export function abortReason(signal: AbortSignal): TransportError {
  const reason: unknown = signal.reason;
  if (reason instanceof TransportError) return reason;
  return new TransportError('NET_ABORTED', 'aborted by the caller', { cause: reason });
}

/** Settles with `promise`, or rejects with the deadline's reason first. */
export function waitFor<T>(promise: Promise<T>, d: Deadline): Promise<T> {
  const { signal } = d;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
