import type { Connection, PeerId, Stream } from '@libp2p/interface';
import { END_FRAME, encodeFrameMessage, type Frame, WireError } from '@weft/core';
import { NetError, toNetError } from './errors.js';
import type { NodeHost } from './host.js';
import { ed25519KeyOfPeer } from './identity.js';
import { errorFrameFor, finish, isAsyncIterable, pump, sendFrame } from './rpc-respond.js';
import { MessageReader, sendMessage, withDeadline } from './stream-io.js';

export type RpcAccess = 'members' | 'public';

export interface RpcContext {
  peer: PeerId;
  /** The peer's Ed25519 key (its certificate key when it is a member). */
  publicKey?: Uint8Array;
  member: boolean;
  /** Aborted when the caller goes away, the stream fails or a deadline passes. */
  signal: AbortSignal;
}

/** One DATA frame, or a stream of them (e.g. deliver following the head); END follows either way. */
export type RpcResponse = Uint8Array | AsyncIterable<Uint8Array>;

export type RpcHandler = (
  request: Uint8Array,
  ctx: RpcContext,
) => RpcResponse | Promise<RpcResponse>;

export interface Misbehaviour {
  peer: PeerId;
  code: string;
  protocol: string;
}

export interface ServeOptions {
  maxRequestBytes: number;
  /** Bounds reading the request, the handler's call (until it returns), and sending each frame. */
  timeoutMs: number;
  access: RpcAccess;
  handler: RpcHandler;
  /** Called after a peer broke the framing and was penalised and disconnected. */
  onMisbehaviour?: (event: Misbehaviour) => void;
  /** Called with errors that were sent as INTERNAL, for logging (never sent to the peer). */
  onInternalError?: (err: unknown, protocol: string) => void;
  /** Penalty for misbehaviour (default: the gate's penaltyMs). */
  penaltyMs?: number;
  /** Concurrent inbound streams for this protocol per connection (libp2p default 32). */
  maxInboundStreams?: number;
  /** Concurrent outbound streams this host may open for the protocol per connection (libp2p default 64). */
  maxOutboundStreams?: number;
}

/** Misbehaviour codes: framing violations that cost the peer its connection. */
const PENALISED = new Set(['NET_TOO_LARGE', 'NET_MALFORMED']);

/** Registers `protocol` on the host; returns a function that unregisters it. */
export async function serveProtocol(
  host: NodeHost,
  protocol: string,
  options: ServeOptions,
): Promise<() => Promise<void>> {
  const serve = (stream: Stream, connection: Connection) =>
    serveStream(host, protocol, options, stream, connection).catch((err) => {
      // Last resort: a bug here must cost one stream, never the node.
      hook(() => options.onInternalError?.(err, protocol));
      stream.abort(err instanceof Error ? err : new Error(String(err)));
    });
  await host.handle(protocol, serve, {
    maxInboundStreams: options.maxInboundStreams,
    maxOutboundStreams: options.maxOutboundStreams,
  });
  return () => host.unhandle(protocol);
}

async function serveStream(
  host: NodeHost,
  protocol: string,
  options: ServeOptions,
  stream: Stream,
  connection: Connection,
): Promise<void> {
  const { timeoutMs } = options;
  const gate = host.services.access;
  const peer = connection.remotePeer;
  const controller = new AbortController();
  const onClose = () => controller.abort(new NetError('NET_CLOSED', 'stream closed'));
  stream.addEventListener('close', onClose, { once: true });
  const reader = new MessageReader(stream, {
    maxMessageBytes: options.maxRequestBytes,
    highWaterBytes: options.maxRequestBytes,
  });
  const wait = { timeoutMs, signal: controller.signal };

  let misbehaved = false;
  const misbehave = async (err: NetError) => {
    if (misbehaved) return;
    misbehaved = true;
    controller.abort(err);
    gate.penalise(peer, options.penaltyMs);
    hook(() => options.onMisbehaviour?.({ peer, code: err.code, protocol }));
    await sendFrame(stream, { kind: 'error', code: err.code, message: err.message }, timeoutMs);
    // Closing our side returns before the frame has left the connection, and
    // hanging up at once can drop it: give it until the peer closes too, or
    // a moment (a hostile peer need not close).
    await closedOrAfter(stream, ERROR_GRACE_MS);
    // The peer broke the framing, so nothing else it sends can be trusted: drop every connection.
    await host.hangUp(peer, { signal: AbortSignal.timeout(timeoutMs) }).catch(() => {
      for (const c of host.getConnections(peer)) c.abort(err);
    });
  };

  try {
    if (gate.isPenalised(peer)) {
      stream.abort(new NetError('NET_FORBIDDEN', 'peer is penalised'));
      return;
    }
    const member = gate.isMember(peer);
    if (options.access === 'members' && !member) {
      await finish(
        stream,
        { kind: 'error', code: 'NET_FORBIDDEN', message: 'members only' },
        timeoutMs,
      );
      return;
    }

    let request: Uint8Array | undefined;
    try {
      request = await reader.next({ ...wait, what: 'request' });
    } catch (err) {
      const e = requestError(err);
      if (PENALISED.has(e.code)) await misbehave(e);
      else if (e.code === 'NET_TIMEOUT') await finish(stream, errorOf(e), timeoutMs);
      else stream.abort(e);
      return;
    }
    if (request === undefined) {
      // Opened and closed without a word: pointless, but not hostile.
      await finish(
        stream,
        { kind: 'error', code: 'NET_MALFORMED', message: 'no request' },
        timeoutMs,
      );
      return;
    }

    // A request is one message; anything after it is a protocol violation.
    reader.next({ timeoutMs: Number.POSITIVE_INFINITY, signal: controller.signal }).then(
      (extra) => {
        if (extra !== undefined)
          void misbehave(new NetError('NET_MALFORMED', 'data after request'));
      },
      (err) => {
        const e = requestError(err);
        if (PENALISED.has(e.code)) void misbehave(e);
      },
    );

    const ctx: RpcContext = {
      peer,
      publicKey: ed25519KeyOfPeer(peer),
      member,
      signal: controller.signal,
    };
    const internal = (err: unknown) => () => hook(() => options.onInternalError?.(err, protocol));
    let response: RpcResponse;
    try {
      response = await withDeadline(
        Promise.resolve().then(() => options.handler(request, ctx)),
        { ...wait, what: 'handler' },
      );
    } catch (err) {
      // Aborted: the caller left or misbehaved, and there is nobody to answer.
      if (controller.signal.aborted) return;
      // Tell a handler that overran its deadline to stop before answering for it.
      controller.abort(err);
      await finish(stream, errorFrameFor(err, internal(err)), timeoutMs);
      return;
    }

    if (response instanceof Uint8Array) {
      try {
        await sendMessage(stream, encodeFrameMessage({ kind: 'data', payload: response }), wait);
      } catch (err) {
        stream.abort(toNetError(err));
        return;
      }
      await finish(stream, END_FRAME, timeoutMs);
      return;
    }
    if (!isAsyncIterable(response)) {
      const err = new TypeError('handler returned neither bytes nor an async iterable');
      await finish(stream, errorFrameFor(err, internal(err)), timeoutMs);
      return;
    }
    const last = await pump(response, stream, wait, internal);
    if (last !== undefined) await finish(stream, last, timeoutMs);
  } finally {
    stream.removeEventListener('close', onClose);
    reader.dispose();
    if (!controller.signal.aborted) controller.abort(new NetError('NET_CLOSED', 'request done'));
  }
}

/** Runs a caller's hook; a hook that throws must not take the node down with it. */
function hook(fn: () => void): void {
  try {
    fn();
  } catch {
    // Deliberately ignored: hooks are for logging and metrics.
  }
}

function requestError(err: unknown): NetError {
  const e = toNetError(err);
  // A clean close in the middle of the request is a malformed request, not a dropped line.
  if (e.cause instanceof WireError && e.cause.code === 'WIRE_TRUNCATED') {
    return new NetError('NET_MALFORMED', 'request truncated', { cause: e.cause });
  }
  return e;
}

function errorOf(e: NetError): Frame {
  return { kind: 'error', code: e.code, message: e.message };
}

/** How long a misbehaving peer's ERROR frame gets to leave before the hang-up. */
const ERROR_GRACE_MS = 250;

function closedOrAfter(stream: Stream, ms: number): Promise<void> {
  if (stream.status === 'closed') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stream.addEventListener(
      'close',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
