import type { Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface';
import { LengthPrefixedDecoder } from '@weft/core';
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

export class MessageReader {
  readonly #stream: Stream;
  readonly #decoder: LengthPrefixedDecoder;
  readonly #highWater: number;
  readonly #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #failure: NetError | undefined;
  #wake: (() => void) | undefined;
  #paused = false;

  constructor(stream: Stream, options: MessageReaderOptions) {
    this.#stream = stream;
    this.#decoder = new LengthPrefixedDecoder({ maxMessageBytes: options.maxMessageBytes });
    this.#highWater = options.highWaterBytes ?? 1 << 20;
    stream.addEventListener('message', this.#onMessage);
    stream.addEventListener('close', this.#onClose);
    for (const type of ['end', 'remoteCloseWrite'] as const) {
      stream.addEventListener(type, this.#wakeUp);
    }
  }

  /** Stops listening; unread data stays with the stream. */
  dispose(): void {
    this.#stream.removeEventListener('message', this.#onMessage);
    this.#stream.removeEventListener('close', this.#onClose);
    for (const type of ['end', 'remoteCloseWrite'] as const) {
      this.#stream.removeEventListener(type, this.#wakeUp);
    }
    this.#wakeUp();
  }

  /**
   * The next message, or undefined when the remote closed its side cleanly at
   * a message boundary. Throws NetError: NET_TOO_LARGE / NET_MALFORMED for
   * framing violations, NET_CLOSED for a reset or a truncated message,
   * NET_TIMEOUT / NET_ABORTED from `wait`.
   */
  async next(wait: WaitOptions): Promise<Uint8Array | undefined> {
    for (;;) {
      const msg = this.#queue.shift();
      if (msg !== undefined) {
        this.#queuedBytes -= msg.length;
        this.#maybeResume();
        return msg;
      }
      if (this.#failure) throw this.#failure;
      const status = this.#stream.status;
      if (status === 'reset' || status === 'aborted') {
        this.#failure = new NetError('NET_CLOSED', `stream ${status}`);
        throw this.#failure;
      }
      if (this.#drained()) {
        try {
          this.#decoder.finish();
        } catch (err) {
          this.#failure = toNetError(err);
          throw this.#failure;
        }
        return undefined;
      }
      const woken = new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      await withDeadline(woken, wait).finally(() => {
        this.#wake = undefined;
      });
    }
  }

  /**
   * No more data will come. Judged from state, not from the 'end' event:
   * multistream-select may push read-ahead bytes back after 'end' has fired
   * (a server that answers and closes at once), and 'end' fires only once.
   */
  #drained(): boolean {
    const s = this.#stream;
    if (s.readBufferLength > 0) return false;
    return s.remoteWriteStatus === 'closed' || s.readStatus === 'closed' || s.status === 'closed';
  }

  #wakeUp = (): void => {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  };

  #onMessage = (evt: StreamMessageEvent): void => {
    if (this.#failure) return;
    const data = evt.data instanceof Uint8Array ? [evt.data] : [...evt.data];
    try {
      for (const chunk of data) {
        for (const msg of this.#decoder.push(chunk)) {
          this.#queue.push(msg);
          this.#queuedBytes += msg.length;
        }
      }
    } catch (err) {
      // Messages decoded before the violation are still delivered first.
      this.#failure = toNetError(err);
    }
    if (this.#queuedBytes > this.#highWater && !this.#paused && this.#canFlowControl()) {
      this.#paused = true;
      this.#stream.pause();
    }
    this.#wakeUp();
  };

  #onClose = (evt: StreamCloseEvent): void => {
    if (evt.error !== undefined) {
      this.#failure ??= new NetError('NET_CLOSED', `stream closed: ${evt.error.message}`, {
        cause: evt.error,
      });
    }
    this.#wakeUp();
  };

  #canFlowControl(): boolean {
    const s = this.#stream.readStatus;
    return s === 'readable' || s === 'paused';
  }

  #maybeResume(): void {
    if (this.#paused && this.#queuedBytes <= this.#highWater / 2) {
      this.#paused = false;
      if (this.#stream.readStatus === 'paused') this.#stream.resume();
    }
  }
}
