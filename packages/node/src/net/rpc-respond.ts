import type { Stream } from '@libp2p/interface';
import {
  concatBytes,
  END_FRAME,
  encodeFrameMessage,
  type Frame,
  isErrorCode,
  WeftError,
} from '@weft/core';
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
 * DATA frames sent in one write at most: with yamux's 12-byte header a batch
 * still fits one noise message (65,519 bytes of plaintext).
 */
export const BATCH_BYTES = 64_000;

/**
 * Whether `p` settles before the next macrotask: work already under way in
 * microtasks counts, anything waiting on I/O or a timer does not.
 */
function settlesAtOnce(p: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const immediate = setImmediate(() => resolve(false));
    const settled = () => {
      clearImmediate(immediate);
      resolve(true);
    };
    p.then(settled, settled);
  });
}

/**
 * Sends each item as a DATA frame, waiting for drain between writes. Items
 * the handler has ready at once go out together, up to BATCH_BYTES per write
 * (the frames are the same; a header sync then costs a write, an encryption
 * and a yamux frame per batch, not per header). The pending batch is sent as
 * soon as the next item is not ready, so a slow stream (a deliver stream
 * waiting for blocks) sends each item when it comes. Returns the closing
 * frame, or undefined when the stream itself failed or the caller left
 * (nothing more can be sent). The iterator is closed whichever way the loop
 * ends.
 */
export async function pump(
  items: AsyncIterable<unknown>,
  stream: Stream,
  wait: WaitOptions & { signal: AbortSignal },
  internal: (err: unknown) => () => void,
): Promise<Frame | undefined> {
  const it = items[Symbol.asyncIterator]();
  let closed = false;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  // False when nothing more can be sent: the caller left, or the stream failed (then aborted).
  const flush = async (): Promise<boolean> => {
    const frames = batch;
    batch = [];
    batchBytes = 0;
    if (wait.signal.aborted) return false;
    if (frames.length === 0) return true;
    try {
      await sendMessage(stream, frames.length === 1 ? frames[0]! : concatBytes(...frames), wait);
      return true;
    } catch (err) {
      stream.abort(toNetError(err));
      return false;
    }
  };
  // The closing frame, after what was yielded before it.
  const closing = async (frame: Frame) => ((await flush()) ? frame : undefined);
  try {
    for (;;) {
      const next = it.next();
      if (batch.length > 0 && !(await settlesAtOnce(next)) && !(await flush())) return undefined;
      let step: IteratorResult<unknown>;
      try {
        // The gap between items is the handler's business (a deliver stream
        // may wait minutes for a block); the caller's departure still ends it.
        step = await withDeadline(next, {
          timeoutMs: Number.POSITIVE_INFINITY,
          signal: wait.signal,
        });
      } catch (err) {
        // Aborted while the iterator is still busy: released in finally.
        if (wait.signal.aborted) return undefined;
        closed = true; // an iterator that threw is finished
        return closing(errorFrameFor(err, internal(err)));
      }
      if (step.done) {
        closed = true;
        return closing(END_FRAME);
      }
      if (!(step.value instanceof Uint8Array)) {
        const err = new TypeError('handler yielded something other than bytes');
        return closing(errorFrameFor(err, internal(err)));
      }
      const frame = encodeFrameMessage({ kind: 'data', payload: step.value });
      if (batchBytes + frame.length > BATCH_BYTES && !(await flush())) return undefined;
      batch.push(frame);
      batchBytes += frame.length;
      if (batchBytes >= BATCH_BYTES && !(await flush())) return undefined;
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
