import { LengthPrefixedDecoder } from './length-prefix.js';

/**
 * The part of a libp2p 3 message stream the reader uses. Structural, so
 * core needs no libp2p dependency; a libp2p `Stream` fits it.
 */
export interface MessageStream {
  readonly status: string;
  readonly readStatus: string;
  readonly remoteWriteStatus: string;
  readonly readBufferLength: number;
  // biome-ignore lint/suspicious/noExplicitAny: libp2p's typed event map does not narrow to a structural type
  addEventListener(type: string, listener: (evt: any) => void): void;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  removeEventListener(type: string, listener: (evt: any) => void): void;
  pause(): void;
  resume(): void;
}

export interface StreamReaderOptions {
  maxMessageBytes: number;
  /** Pause the stream while this many decoded bytes wait for the consumer (default 1 MiB). */
  highWaterBytes?: number;
  /** The caller's error for a framing violation (a WireError) or a closed stream. */
  toError: (err: unknown) => Error;
}

/** Bounds one wait for more data (a deadline, a caller's signal); rejects to give up. */
export type WaitForData = (woken: Promise<void>) => Promise<void>;

const READER_EVENTS = ['end', 'remoteCloseWrite'] as const;

/**
 * Length-prefixed messages read from a libp2p 3 message stream, the same in
 * the node and the light client. The stream's own async iterator buffers
 * without limit, so this listens to its events and pauses the stream while
 * more than `highWaterBytes` of decoded messages wait for the consumer
 * (yamux then stops granting the sender window). Framing violations fail at
 * once: a declared length above the bound is refused before it is buffered.
 */
export class StreamMessageReader {
  readonly #stream: MessageStream;
  readonly #decoder: LengthPrefixedDecoder;
  readonly #highWater: number;
  readonly #toError: (err: unknown) => Error;
  readonly #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #paused = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(stream: MessageStream, options: StreamReaderOptions) {
    this.#stream = stream;
    this.#decoder = new LengthPrefixedDecoder({ maxMessageBytes: options.maxMessageBytes });
    this.#highWater = options.highWaterBytes ?? 1 << 20;
    this.#toError = options.toError;
    stream.addEventListener('message', this.#onMessage);
    stream.addEventListener('close', this.#onClose);
    for (const type of READER_EVENTS) stream.addEventListener(type, this.#wakeUp);
  }

  /** Stops listening; unread data stays with the stream. */
  dispose(): void {
    this.#stream.removeEventListener('message', this.#onMessage);
    this.#stream.removeEventListener('close', this.#onClose);
    for (const type of READER_EVENTS) this.#stream.removeEventListener(type, this.#wakeUp);
    this.#wakeUp();
  }

  /**
   * The next message, or undefined when the remote closed its side cleanly
   * at a message boundary. Throws `toError`'s errors for framing violations,
   * a reset or a truncated message, and whatever `wait` rejects with.
   */
  async next(wait: WaitForData): Promise<Uint8Array | undefined> {
    for (;;) {
      const msg = this.#queue.shift();
      if (msg !== undefined) {
        this.#queuedBytes -= msg.length;
        if (this.#paused && this.#queuedBytes <= this.#highWater / 2) {
          this.#paused = false;
          if (this.#stream.readStatus === 'paused') this.#stream.resume();
        }
        return msg;
      }
      if (this.#failure) throw this.#failure;
      const status = this.#stream.status;
      if (status === 'reset' || status === 'aborted') {
        this.#failure = this.#toError(new Error(`stream ${status}`));
        throw this.#failure;
      }
      if (this.#drained()) {
        try {
          this.#decoder.finish();
        } catch (err) {
          this.#failure = this.#toError(err);
          throw this.#failure;
        }
        return undefined;
      }
      const woken = new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      await wait(woken).finally(() => {
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

  #onMessage = (evt: { data: Uint8Array | Iterable<Uint8Array> }): void => {
    if (this.#failure) return;
    const chunks = evt.data instanceof Uint8Array ? [evt.data] : [...evt.data];
    try {
      for (const chunk of chunks) {
        for (const msg of this.#decoder.push(chunk)) {
          this.#queue.push(msg);
          this.#queuedBytes += msg.length;
        }
      }
    } catch (err) {
      // Messages decoded before the violation are still delivered first.
      this.#failure = this.#toError(err);
    }
    const rs = this.#stream.readStatus;
    if (
      this.#queuedBytes > this.#highWater &&
      !this.#paused &&
      (rs === 'readable' || rs === 'paused')
    ) {
      this.#paused = true;
      this.#stream.pause();
    }
    this.#wakeUp();
  };

  #onClose = (evt: { error?: Error }): void => {
    if (evt.error !== undefined) {
      this.#failure ??= this.#toError(
        new Error(`stream closed: ${evt.error.message}`, { cause: evt.error }),
      );
    }
    this.#wakeUp();
  };
}
