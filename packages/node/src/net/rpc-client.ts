import type { Libp2p, PeerId, Stream } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { decodeFrame, encodeLengthPrefixed, MAX_ERROR_PAYLOAD_BYTES } from '@weft/core';
import { NetError, toNetError } from './errors.js';
import { MessageReader, sendMessage, type WaitOptions, withDeadline } from './stream-io.js';

export interface CallOptions {
  /** Bound on the one DATA payload. */
  maxResponseBytes: number;
  /** Deadline for the whole call: dial, request and response. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface StreamCallOptions {
  /** Bound on each DATA payload. */
  maxResponseBytes: number;
  /**
   * Deadline for opening the stream and sending the request, then for each
   * frame in turn (Infinity: wait forever, e.g. following the chain head
   * and relying on `signal`).
   */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Decoded frames held before the stream is paused (default 1 MiB). */
  highWaterBytes?: number;
}

export type DialTarget = PeerId | Multiaddr;
type Dialer = Pick<Libp2p, 'dialProtocol'>;

/** A request that expects exactly one DATA frame then END. */
export async function callProtocol(
  host: Dialer,
  target: DialTarget,
  protocol: string,
  request: Uint8Array,
  options: CallOptions,
): Promise<Uint8Array> {
  const deadline = deadlineSignal(options.timeoutMs, options.signal, `call to ${protocol}`);
  try {
    let result: Uint8Array | undefined;
    const frames = streamProtocol(host, target, protocol, request, {
      maxResponseBytes: options.maxResponseBytes,
      timeoutMs: Number.POSITIVE_INFINITY,
      signal: deadline.signal,
    });
    for await (const payload of frames) {
      if (result !== undefined) throw new NetError('NET_MALFORMED', 'more than one DATA frame');
      result = payload;
    }
    if (result === undefined) throw new NetError('NET_MALFORMED', 'END without a DATA frame');
    return result;
  } finally {
    deadline.dispose();
  }
}

/**
 * Sends `request` and yields each DATA payload until END. An ERROR frame
 * throws a NetError with the remote's code (`remote: true`); local failures
 * throw NET_TIMEOUT, NET_TOO_LARGE, NET_MALFORMED, NET_CLOSED, NET_ABORTED or
 * NET_DIAL_FAILED. Breaking out of the loop resets the stream, which aborts
 * the handler's signal on the server. Nothing is sent until iteration starts.
 */
export async function* streamProtocol(
  host: Dialer,
  target: DialTarget,
  protocol: string,
  request: Uint8Array,
  options: StreamCallOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { maxResponseBytes, timeoutMs, signal } = options;
  // An ERROR frame may be larger than a tiny DATA bound; the kind byte comes on top.
  const maxFrameBytes = Math.max(maxResponseBytes, MAX_ERROR_PAYLOAD_BYTES) + 1;
  let stream: Stream | undefined;
  let reader: MessageReader | undefined;
  let finished = false;
  try {
    stream = await open(host, target, protocol, request, timeoutMs, signal);
    reader = new MessageReader(stream, {
      maxMessageBytes: maxFrameBytes,
      highWaterBytes: options.highWaterBytes,
    });
    const wait: WaitOptions = { timeoutMs, signal, what: `response frame of ${protocol}` };
    for (;;) {
      const message = await reader.next(wait);
      if (message === undefined) throw new NetError('NET_CLOSED', 'stream ended before END');
      const frame = decodeFrame(message, { maxBytes: maxFrameBytes });
      if (frame.kind === 'end') {
        finished = true;
        return;
      }
      if (frame.kind === 'error') {
        finished = true;
        throw new NetError(frame.code, frame.message, { remote: true });
      }
      if (frame.payload.length > maxResponseBytes) {
        throw new NetError('NET_TOO_LARGE', `DATA frame above ${maxResponseBytes} bytes`);
      }
      yield frame.payload;
    }
  } catch (err) {
    if (err instanceof NetError) throw err;
    if (signal?.aborted) throw reasonOf(signal);
    throw toNetError(err);
  } finally {
    reader?.dispose();
    if (stream !== undefined) release(stream, finished, timeoutMs);
  }
}

async function open(
  host: Dialer,
  target: DialTarget,
  protocol: string,
  request: Uint8Array,
  timeoutMs: number,
  parent: AbortSignal | undefined,
): Promise<Stream> {
  const phase = deadlineSignal(timeoutMs, parent, `opening ${protocol}`);
  let stream: Stream;
  try {
    stream = await host.dialProtocol(target, protocol, { signal: phase.signal });
  } catch (err) {
    phase.dispose();
    if (phase.signal.aborted) throw reasonOf(phase.signal);
    throw new NetError('NET_DIAL_FAILED', `cannot open ${protocol}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    const wait: WaitOptions = { timeoutMs: Number.POSITIVE_INFINITY, signal: phase.signal };
    await sendMessage(stream, encodeLengthPrefixed(request), wait);
    // Half-close: the request is complete; the response still flows back.
    await withDeadline(stream.close({ signal: phase.signal }), wait);
    return stream;
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)));
    if (phase.signal.aborted) throw reasonOf(phase.signal);
    throw toNetError(err);
  } finally {
    phase.dispose();
  }
}

/** After END the server closes its side; otherwise (or if it lingers) the stream is reset. */
function release(stream: Stream, finished: boolean, timeoutMs: number): void {
  if (!finished) {
    stream.abort(new NetError('NET_ABORTED', 'caller stopped reading'));
    return;
  }
  if (stream.status !== 'open') return;
  const grace = Number.isFinite(timeoutMs) ? timeoutMs : 10_000;
  const timer = setTimeout(
    () => stream.abort(new NetError('NET_TIMEOUT', 'peer did not close')),
    grace,
  );
  timer.unref?.();
  stream.addEventListener('close', () => clearTimeout(timer), { once: true });
}

function reasonOf(signal: AbortSignal): NetError {
  const reason: unknown = signal.reason;
  return reason instanceof NetError
    ? reason
    : new NetError('NET_ABORTED', 'aborted by the caller', { cause: reason });
}

/** An AbortSignal that fires with NET_TIMEOUT after `timeoutMs`, or when `parent` does. */
function deadlineSignal(
  timeoutMs: number,
  parent: AbortSignal | undefined,
  what: string,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (Number.isFinite(timeoutMs)) {
    timer = setTimeout(
      () =>
        controller.abort(new NetError('NET_TIMEOUT', `${what} timed out after ${timeoutMs} ms`)),
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
