import type { Stream } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { decodeFrame, encodeLengthPrefixed, MAX_ERROR_PAYLOAD_BYTES } from '@weft/core';
import { TransportError } from '../errors.js';
import { abortReason, deadline, waitFor } from './deadline.js';
import { FrameReader, wireToTransport } from './frame-reader.js';

/**
 * One Weft call over a libp2p stream (framing in packages/node/src/net/
 * PROTOCOLS.md, codec in core's wire module): send the length-prefixed
 * request, half-close, then read DATA frames until END or ERROR. Every wait
 * has a deadline and every frame a size bound; an ERROR frame becomes a
 * TransportError with the node's code and `remote: true`.
 */

export interface StreamDialer {
  dialProtocol(
    target: Multiaddr,
    protocol: string,
    options?: { signal?: AbortSignal },
  ): Promise<Stream>;
}

export interface FramesOptions {
  /** Bound on each DATA payload. */
  maxDataBytes: number;
  /** Dialling, opening the stream and sending the request. */
  openTimeoutMs: number;
  /** Waiting for each response frame (Infinity when `signal` bounds the whole call). */
  frameTimeoutMs: number;
  signal?: AbortSignal;
}

/** Yields each DATA payload. Stopping early (break, throw) resets the stream. */
export async function* requestFrames(
  dialer: StreamDialer,
  target: Multiaddr,
  protocol: string,
  request: Uint8Array,
  options: FramesOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  // An ERROR frame may be larger than a small DATA bound; the kind byte comes on top.
  const maxFrameBytes = Math.max(options.maxDataBytes, MAX_ERROR_PAYLOAD_BYTES) + 1;
  const stream = await open(dialer, target, protocol, request, options);
  const reader = new FrameReader(stream, { maxMessageBytes: maxFrameBytes });
  let finished = false;
  try {
    for (;;) {
      const frameDeadline = deadline(options.frameTimeoutMs, options.signal, `${protocol} answer`);
      let message: Uint8Array | undefined;
      try {
        message = await reader.next(frameDeadline);
      } finally {
        frameDeadline.dispose();
      }
      if (message === undefined) throw new TransportError('NET_CLOSED', 'stream ended before END');
      let frame: ReturnType<typeof decodeFrame>;
      try {
        frame = decodeFrame(message, { maxBytes: maxFrameBytes });
      } catch (err) {
        throw wireToTransport(err);
      }
      if (frame.kind === 'end') {
        finished = true;
        return;
      }
      if (frame.kind === 'error') {
        finished = true;
        throw new TransportError(frame.code, frame.message, { remote: true });
      }
      if (frame.payload.length > options.maxDataBytes) {
        throw new TransportError('NET_TOO_LARGE', `DATA frame above ${options.maxDataBytes} bytes`);
      }
      yield frame.payload;
    }
  } finally {
    reader.dispose();
    release(stream, finished);
  }
}

/** A call answered by exactly one DATA frame, under one deadline for the whole call. */
export async function requestOne(
  dialer: StreamDialer,
  target: Multiaddr,
  protocol: string,
  request: Uint8Array,
  options: { maxDataBytes: number; timeoutMs: number; signal?: AbortSignal },
): Promise<Uint8Array> {
  const whole = deadline(options.timeoutMs, options.signal, `call to ${protocol}`);
  try {
    let answer: Uint8Array | undefined;
    for await (const payload of requestFrames(dialer, target, protocol, request, {
      maxDataBytes: options.maxDataBytes,
      openTimeoutMs: options.timeoutMs,
      frameTimeoutMs: Number.POSITIVE_INFINITY,
      signal: whole.signal,
    })) {
      if (answer !== undefined) throw new TransportError('NET_MALFORMED', 'more than one answer');
      answer = payload;
    }
    if (answer === undefined) throw new TransportError('NET_MALFORMED', 'END without an answer');
    return answer;
  } finally {
    whole.dispose();
  }
}

async function open(
  dialer: StreamDialer,
  target: Multiaddr,
  protocol: string,
  request: Uint8Array,
  options: FramesOptions,
): Promise<Stream> {
  const phase = deadline(options.openTimeoutMs, options.signal, `opening ${protocol}`);
  let stream: Stream;
  const dialing = dialer.dialProtocol(target, protocol, { signal: phase.signal });
  try {
    stream = await waitFor(dialing, phase);
  } catch (err) {
    // A stream that opens after the deadline is nobody's: reset it.
    dialing.then(
      (late) => late.abort(new TransportError('NET_ABORTED', 'opened too late')),
      () => {},
    );
    phase.dispose();
    if (phase.signal.aborted) throw abortReason(phase.signal);
    const message = err instanceof Error ? err.message : String(err);
    throw new TransportError('NET_DIAL_FAILED', `cannot open ${protocol}: ${message}`, {
      cause: err,
    });
  }
  try {
    if (!stream.send(encodeLengthPrefixed(request))) {
      await waitFor(stream.onDrain({ signal: phase.signal }), phase);
    }
    // Half-close: the request is complete; the answer still flows back.
    await waitFor(stream.close({ signal: phase.signal }), phase);
    return stream;
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)));
    if (phase.signal.aborted) throw abortReason(phase.signal);
    throw wireToTransport(err);
  } finally {
    phase.dispose();
  }
}

/** After END the node closes its side; otherwise (or if it lingers) the stream is reset. */
function release(stream: Stream, finished: boolean): void {
  if (!finished) {
    stream.abort(new TransportError('NET_ABORTED', 'stopped reading'));
    return;
  }
  if (stream.status !== 'open') return;
  const timer = setTimeout(
    () => stream.abort(new TransportError('NET_TIMEOUT', 'node did not close')),
    5_000,
  );
  // Node would otherwise stay alive for the grace period; browsers have no unref.
  (timer as { unref?: () => void }).unref?.();
  stream.addEventListener('close', () => clearTimeout(timer), { once: true });
}
