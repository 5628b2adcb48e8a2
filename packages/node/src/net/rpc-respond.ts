import type { Stream } from '@libp2p/interface';
import { END_FRAME, encodeFrameMessage, type Frame, isErrorCode, WeftError } from '@weft/core';
import { NetError, toNetError } from './errors.js';
import { sendMessage, type WaitOptions, withDeadline } from './stream-io.js';

// The sending half of a served request: DATA frames with backpressure, the
// closing END or ERROR frame, and the rules for what an error may reveal.

export function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return v !== null && typeof v === 'object' && Symbol.asyncIterator in v;
}

/**
 * The ERROR frame for a handler failure: a WeftError's code and message go
 * to the caller; another error with a code sends only the code (its message
 * may hold local paths); anything else is INTERNAL. Stacks never leave.
 */
export function errorFrameFor(err: unknown, onInternal: () => void): Frame {
  const code = (err as { code?: unknown } | null)?.code;
  if (isErrorCode(code)) {
    const message = err instanceof WeftError ? err.message : code;
    return { kind: 'error', code, message };
  }
  onInternal();
  return { kind: 'error', code: 'INTERNAL', message: 'internal error' };
}

/**
 * Sends each item as a DATA frame, waiting for drain between frames. Returns
 * the closing frame, or undefined when the stream itself failed (nothing more
 * can be sent). The iterator is closed whichever way the loop ends.
 */
export async function pump(
  items: AsyncIterable<unknown>,
  stream: Stream,
  wait: WaitOptions & { signal: AbortSignal },
  internal: (err: unknown) => () => void,
): Promise<Frame | undefined> {
  const it = items[Symbol.asyncIterator]();
  let closed = false;
  try {
    for (;;) {
      let step: IteratorResult<unknown>;
      try {
        // The gap between items is the handler's business (a deliver stream
        // may wait minutes for a block); the caller's departure still ends it.
        step = await withDeadline(it.next(), {
          timeoutMs: Number.POSITIVE_INFINITY,
          signal: wait.signal,
        });
      } catch (err) {
        // Aborted while the iterator is still busy: released in finally.
        if (wait.signal.aborted) return undefined;
        closed = true; // an iterator that threw is finished
        return errorFrameFor(err, internal(err));
      }
      if (step.done) {
        closed = true;
        return END_FRAME;
      }
      if (!(step.value instanceof Uint8Array)) {
        const err = new TypeError('handler yielded something other than bytes');
        return errorFrameFor(err, internal(err));
      }
      try {
        await sendMessage(stream, encodeFrameMessage({ kind: 'data', payload: step.value }), wait);
      } catch (err) {
        stream.abort(toNetError(err));
        return undefined;
      }
    }
  } finally {
    // Not awaited: a generator suspended on a slow await settles its return() only later.
    if (!closed) void Promise.resolve(it.return?.()).catch(() => {});
  }
}

export async function sendFrame(stream: Stream, frame: Frame, timeoutMs: number): Promise<boolean> {
  if (stream.writeStatus !== 'writable') return false;
  try {
    await sendMessage(stream, encodeFrameMessage(frame), { timeoutMs, what: 'send' });
    await stream.close({ signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends the closing frame and closes our side. A caller that never closes
 * its side would pin the stream (and a slot of maxInboundStreams), so the
 * stream is reset if it is not fully closed within `timeoutMs`.
 */
export async function finish(stream: Stream, frame: Frame, timeoutMs: number): Promise<void> {
  if (!(await sendFrame(stream, frame, timeoutMs))) {
    stream.abort(new NetError('NET_CLOSED', 'could not send the closing frame'));
    return;
  }
  if (stream.status === 'closed') return;
  const timer = setTimeout(
    () => stream.abort(new NetError('NET_TIMEOUT', 'peer did not close')),
    timeoutMs,
  );
  timer.unref?.();
  stream.addEventListener('close', () => clearTimeout(timer), { once: true });
}
