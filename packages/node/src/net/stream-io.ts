import type { Stream } from '@libp2p/interface';
import { StreamMessageReader } from '@weft/core';
import { NetError, toNetError } from './errors.js';

/**
 * Length-prefixed messages over a libp2p 3 message stream, with backpressure
 * both ways: the writer waits for 'drain' when send() returns false, and the
 * reader pauses the stream (yamux then stops granting window) while too many
 * decoded messages wait for the consumer. The stream's own async iterator
 * buffers without limit, so the reader listens to events instead.
 */

export interface WaitOptions {
  /** Give up after this long (Infinity: wait forever). */
  timeoutMs: number;
  signal?: AbortSignal;
  /** What the timeout is for, in the NET_TIMEOUT message. */
  what?: string;
}

/** Resolves when `promise` does, or rejects with NET_TIMEOUT / NET_ABORTED first. */
export function withDeadline<T>(promise: Promise<T>, options: WaitOptions): Promise<T> {
  const { timeoutMs, signal, what = 'operation' } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => settle(() => reject(abortError(signal!)));
    const settle = (fn: () => void) => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    if (Number.isFinite(timeoutMs)) {
      timer = setTimeout(
        () =>
          settle(() =>
            reject(new NetError('NET_TIMEOUT', `${what} timed out after ${timeoutMs} ms`)),
          ),
        timeoutMs,
      );
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => settle(() => resolve(v)),
      (e) => settle(() => reject(e)),
    );
  });
}

function abortError(signal: AbortSignal): NetError {
  const reason: unknown = signal.reason;
  if (reason instanceof NetError) return reason;
  return new NetError('NET_ABORTED', 'aborted', { cause: reason });
}

/** Sends one message, waiting for the transport to drain first if it asked to. */
export async function sendMessage(
  stream: Stream,
  bytes: Uint8Array,
  wait: WaitOptions,
): Promise<void> {
  if (stream.writableNeedsDrain) {
    await withDeadline(stream.onDrain({ signal: wait.signal }), { ...wait, what: 'send' });
  }
  try {
    if (!stream.send(bytes)) {
      await withDeadline(stream.onDrain({ signal: wait.signal }), { ...wait, what: 'send' });
    }
  } catch (err) {
    throw toNetError(err);
  }
}

export interface MessageReaderOptions {
  maxMessageBytes: number;
  /** Pause the stream while this many decoded bytes wait for the consumer (default 1 MiB). */
  highWaterBytes?: number;
}

/** Core's stream reader with the node's errors (NetError) and waits (WaitOptions). */
export class MessageReader {
  readonly #reader: StreamMessageReader;

  constructor(stream: Stream, options: MessageReaderOptions) {
    this.#reader = new StreamMessageReader(stream, { ...options, toError: (e) => toNetError(e) });
  }

  /** Stops listening; unread data stays with the stream. */
  dispose(): void {
    this.#reader.dispose();
  }

  /**
   * The next message, or undefined when the remote closed its side cleanly at
   * a message boundary. Throws NetError: NET_TOO_LARGE / NET_MALFORMED for
   * framing violations, NET_CLOSED for a reset or a truncated message,
   * NET_TIMEOUT / NET_ABORTED from `wait`.
   */
  next(wait: WaitOptions): Promise<Uint8Array | undefined> {
    return this.#reader.next((woken) => withDeadline(woken, wait));
  }
}
