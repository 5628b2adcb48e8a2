import type { Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface';
import { LengthPrefixedDecoder, WireError } from '@weft/core';
import { TransportError } from '../errors.js';
import { type Deadline, waitFor } from './deadline.js';

/**
 * Length-prefixed messages read from a libp2p 3 message stream, isomorphic
 * (no Node built-ins). The stream's own async iterator buffers without
 * limit, so this listens to its events instead and pauses the stream while
 * more than `highWaterBytes` of decoded messages wait for the consumer
 * (yamux then stops granting the sender window). Framing violations fail at
 * once: a declared length above the bound is refused before it is buffered.
 */
export class FrameReader {
  readonly #stream: Stream;
  readonly #decoder: LengthPrefixedDecoder;
  readonly #highWater: number;
  readonly #queue: Uint8Array[] = [];
  #queued = 0;
  #paused = false;
  #failure: TransportError | undefined;
  #wake: (() => void) | undefined;

  constructor(stream: Stream, options: { maxMessageBytes: number; highWaterBytes?: number }) {
    this.#stream = stream;
    this.#decoder = new LengthPrefixedDecoder({ maxMessageBytes: options.maxMessageBytes });
    this.#highWater = options.highWaterBytes ?? 1 << 20;
    stream.addEventListener('message', this.#onMessage);
    stream.addEventListener('close', this.#onClose);
    stream.addEventListener('end', this.#wakeUp);
    stream.addEventListener('remoteCloseWrite', this.#wakeUp);
  }

  dispose(): void {
    this.#stream.removeEventListener('message', this.#onMessage);
    this.#stream.removeEventListener('close', this.#onClose);
    this.#stream.removeEventListener('end', this.#wakeUp);
    this.#stream.removeEventListener('remoteCloseWrite', this.#wakeUp);
    this.#wakeUp();
  }

  /** The next message, or undefined when the remote closed cleanly between messages. */
  async next(deadline: Deadline): Promise<Uint8Array | undefined> {
    for (;;) {
      const msg = this.#queue.shift();
      if (msg !== undefined) {
        this.#queued -= msg.length;
        if (this.#paused && this.#queued <= this.#highWater / 2) {
          this.#paused = false;
          if (this.#stream.readStatus === 'paused') this.#stream.resume();
        }
        return msg;
      }
      if (this.#failure) throw this.#failure;
      const status = this.#stream.status;
      if (status === 'reset' || status === 'aborted') {
        this.#failure = new TransportError('NET_CLOSED', `stream ${status}`);
        throw this.#failure;
      }
      if (this.#drained()) {
        try {
          this.#decoder.finish();
        } catch (err) {
          this.#failure = wireToTransport(err);
          throw this.#failure;
        }
        return undefined;
      }
      const woken = new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      await waitFor(woken, deadline).finally(() => {
        this.#wake = undefined;
      });
    }
  }

  /**
   * Judged from state, not from the 'end' event: multistream-select may push
   * read-ahead bytes back after 'end' fired (a server that answers and closes
   * at once), and 'end' fires only once.
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
    const chunks = evt.data instanceof Uint8Array ? [evt.data] : [...evt.data];
    try {
      for (const chunk of chunks) {
        for (const msg of this.#decoder.push(chunk)) {
          this.#queue.push(msg);
          this.#queued += msg.length;
        }
      }
    } catch (err) {
      // Messages decoded before the violation are still delivered first.
      this.#failure = wireToTransport(err);
    }
    const rs = this.#stream.readStatus;
    if (this.#queued > this.#highWater && !this.#paused && (rs === 'readable' || rs === 'paused')) {
      this.#paused = true;
      this.#stream.pause();
    }
    this.#wakeUp();
  };

  #onClose = (evt: StreamCloseEvent): void => {
    if (evt.error !== undefined) {
      this.#failure ??= new TransportError('NET_CLOSED', `stream closed: ${evt.error.message}`, {
        cause: evt.error,
      });
    }
    this.#wakeUp();
  };
}

/** Framing violations in the node layer's vocabulary. */
export function wireToTransport(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  if (err instanceof WireError) {
    const code =
      err.code === 'WIRE_TOO_LARGE'
        ? 'NET_TOO_LARGE'
        : err.code === 'WIRE_TRUNCATED'
          ? 'NET_CLOSED'
          : 'NET_MALFORMED';
    return new TransportError(code, err.message, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TransportError('NET_CLOSED', message, { cause: err });
}
