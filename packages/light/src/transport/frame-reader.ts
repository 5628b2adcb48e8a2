import type { Stream } from '@libp2p/interface';
import { StreamMessageReader, WireError, wireErrorNetCode } from '@weft/core';
import { TransportError } from '../errors.js';
import { type Deadline, waitFor } from './deadline.js';

/** Core's stream reader with the light client's errors (TransportError) and deadlines. */
export class FrameReader {
  readonly #reader: StreamMessageReader;

  constructor(stream: Stream, options: { maxMessageBytes: number; highWaterBytes?: number }) {
    this.#reader = new StreamMessageReader(stream, { ...options, toError: wireToTransport });
  }

  dispose(): void {
    this.#reader.dispose();
  }

  /** The next message, or undefined when the remote closed cleanly between messages. */
  next(d: Deadline): Promise<Uint8Array | undefined> {
    return this.#reader.next((woken) => waitFor(woken, d));
  }
}

/** Framing violations in the node layer's vocabulary. */
export function wireToTransport(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  if (err instanceof WireError) {
    return new TransportError(wireErrorNetCode(err), err.message, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TransportError('NET_CLOSED', message, { cause: err });
}
