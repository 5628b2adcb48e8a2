// Raw bytes on a Weft protocol stream, for tests that must break the framing
// on purpose (callProtocol cannot): write exactly the given bytes, then read
// back whatever frames the server sends until it closes or resets.
import type { Libp2p, Stream } from '@libp2p/interface';
import {
  decodeFrame,
  encodeLengthPrefixed,
  encodeVarint,
  type Frame,
  MAX_ERROR_PAYLOAD_BYTES,
} from '@weft/core';
import type { DialTarget } from '../../src/net/index.js';
import { MessageReader } from '../../src/net/stream-io.js';

/** How a raw exchange ended, as the caller saw it. */
export interface RawReply {
  /** Frames the server sent, in order. */
  frames: Frame[];
  /** 'closed': the server ended its side cleanly; 'reset': reset or connection gone; 'timeout': neither in time. */
  end: 'closed' | 'reset' | 'timeout';
  /** Set when the server's reply itself broke the framing (never expected). */
  badReply?: string;
}

export interface RawOptions {
  /** Half-close after writing (default true); false leaves the request open, as a sender still writing would. */
  closeWrite?: boolean;
  /** Bound on dialling, writing and reading the whole reply (default 5 s). */
  timeoutMs?: number;
  /** Bound on one reply frame (default: an ERROR frame's bound). */
  maxFrameBytes?: number;
}

/** The ERROR frame among `frames`, if any. */
export function errorOf(reply: RawReply): { code: string; message: string } | undefined {
  const f = reply.frames.find((x) => x.kind === 'error');
  return f?.kind === 'error' ? { code: f.code, message: f.message } : undefined;
}

/** A one-line account of a reply, for assertion messages. */
export function describeReply(reply: RawReply): string {
  const frames = reply.frames.map((f) =>
    f.kind === 'error' ? `ERROR ${f.code} (${f.message})` : f.kind.toUpperCase(),
  );
  return `[${frames.join(', ')}] then ${reply.end}${reply.badReply ? `; bad reply: ${reply.badReply}` : ''}`;
}

/**
 * Opens `protocol` on `target`, writes `bytes` in one piece, and reads frames
 * until the server ends the stream. After an END or ERROR frame the caller's
 * side is closed (a server waits for that before closing its own).
 */
export async function rawExchange(
  host: Pick<Libp2p, 'dialProtocol'>,
  target: DialTarget,
  protocol: string,
  bytes: Uint8Array,
  options: RawOptions = {},
): Promise<RawReply> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxFrameBytes = options.maxFrameBytes ?? MAX_ERROR_PAYLOAD_BYTES + 1;
  const signal = AbortSignal.timeout(timeoutMs);
  const stream: Stream = await host.dialProtocol(target, protocol, { signal });
  const reader = new MessageReader(stream, { maxMessageBytes: maxFrameBytes });
  const frames: Frame[] = [];
  let writeClosed = false;
  const closeWrite = async () => {
    if (writeClosed) return;
    writeClosed = true;
    await stream.close({ signal }).catch(() => {});
  };
  try {
    if (bytes.length > 0 && !stream.send(bytes)) await stream.onDrain({ signal });
    if (options.closeWrite ?? true) await closeWrite();
    for (;;) {
      const message = await reader.next({ timeoutMs, signal, what: 'reply frame' });
      if (message === undefined) return { frames, end: 'closed' };
      let frame: Frame;
      try {
        frame = decodeFrame(message, { maxBytes: maxFrameBytes });
      } catch (err) {
        return { frames, end: 'reset', badReply: (err as Error).message };
      }
      frames.push(frame);
      if (frame.kind !== 'data') await closeWrite();
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { frames, end: code === 'NET_TIMEOUT' || signal.aborted ? 'timeout' : 'reset' };
  } finally {
    reader.dispose();
    if (stream.status === 'open') stream.abort(new Error('raw exchange done'));
  }
}

/** Writes `bytes` on `protocol` and closes, reading nothing (for protocols that never answer, e.g. gossipsub). */
export async function rawSend(
  host: Pick<Libp2p, 'dialProtocol'>,
  target: DialTarget,
  protocol: string,
  bytes: Uint8Array,
  timeoutMs = 2000,
): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs);
  const stream = await host.dialProtocol(target, protocol, { signal });
  try {
    if (bytes.length > 0 && !stream.send(bytes)) await stream.onDrain({ signal });
    await stream.close({ signal });
  } catch {
    // The other side may reset a stream carrying garbage: that is an answer too.
  } finally {
    if (stream.status === 'open') stream.abort(new Error('raw send done'));
  }
}

/** A declared length with no body: the message a sender of `length` bytes would start with. */
export function declaredLength(length: number): Uint8Array {
  return encodeVarint(length);
}

/** The first `keep` body bytes of a message declaring `length`: cut short. */
export function truncatedMessage(length: number, keep: number): Uint8Array {
  const prefix = encodeVarint(length);
  const out = new Uint8Array(prefix.length + keep);
  out.set(prefix, 0);
  out.fill(0xa5, prefix.length);
  return out;
}

/** One whole request message followed by more bytes (here a second message). */
export function withTrailingBytes(request: Uint8Array, extra: Uint8Array): Uint8Array {
  const first = encodeLengthPrefixed(request);
  const second = encodeLengthPrefixed(extra);
  const out = new Uint8Array(first.length + second.length);
  out.set(first, 0);
  out.set(second, first.length);
  return out;
}
