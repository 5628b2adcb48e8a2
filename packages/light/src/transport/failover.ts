import { CodecError } from '@weft/core';
import { TransportError } from '../errors.js';
import { abortReason } from './deadline.js';
import type { NodeEntry, NodeSet } from './node-set.js';

/**
 * When one node's failure should send a call to the next node.
 * - `read`: anything but the caller's own abort: a node that is behind,
 *   refuses, times out or misbehaves may be alone in that.
 * - `submit`: only failures that prove the proposal never reached a gateway
 *   (a dial failure, a node that is no gateway of the channel); after a
 *   timeout the transaction may be in flight, and sending it again through
 *   another gateway is the caller's decision (status() tells).
 */
export type FailoverPolicy = 'read' | 'submit';

const NOT_SENT_CODES = new Set([
  'NET_DIAL_FAILED',
  'NODE_NOT_GATEWAY',
  'NODE_UNKNOWN_CHANNEL',
  'NODE_NOT_PEER',
  'NET_FORBIDDEN',
]);

/** Bytes no honest node sends: the node is blamed, not just passed over. */
const MISBEHAVIOUR_CODES = new Set(['NET_MALFORMED', 'NET_TOO_LARGE']);

/** Any failure of one attempt as a TransportError naming the node. */
export function nodeError(err: unknown, node: string): TransportError {
  if (err instanceof TransportError) {
    if (err.node === node) return err;
    return new TransportError(err.code, err.message, {
      node,
      remote: err.remote,
      cause: err.cause ?? err,
    });
  }
  if (err instanceof CodecError) {
    return new TransportError('NET_MALFORMED', `undecodable answer: ${err.message}`, {
      node,
      cause: err,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TransportError('NET_CLOSED', message, { node, cause: err });
}

export interface FailoverCall<N, T> {
  nodes: NodeSet<N>;
  what: string;
  policy: FailoverPolicy;
  signal?: AbortSignal;
  attempt(entry: NodeEntry<N>): Promise<T>;
  /** Nodes already tried (by a streaming caller that resumes elsewhere). */
  skip?: ReadonlySet<string>;
}

/**
 * Tries the nodes in preference order until one answers. When none does:
 * LIGHT_NOT_FOUND (remote) if some node said it has no such item (the
 * verifier reads that as "not yet"), else LIGHT_NO_NODES with the last
 * failure as cause.
 */
export async function failover<N, T>(
  call: FailoverCall<N, T>,
): Promise<{ node: string; value: T }> {
  const failures: TransportError[] = [];
  for (const entry of call.nodes.order()) {
    if (call.skip?.has(entry.id)) continue;
    if (call.signal?.aborted) throw abortReason(call.signal);
    try {
      const value = await call.attempt(entry);
      call.nodes.succeeded(entry.id);
      return { node: entry.id, value };
    } catch (err) {
      const e = nodeError(err, entry.id);
      if (call.signal?.aborted) throw abortReason(call.signal);
      noteFailure(call.nodes, e);
      if (call.policy === 'submit' && !NOT_SENT_CODES.has(e.code)) throw e;
      failures.push(e);
    }
  }
  throw exhausted(call.what, failures);
}

/**
 * A streamed answer (headers) with failover: when a node's stream fails,
 * the next node is asked to continue after the items already yielded
 * (`open(entry, yielded)`), so a stream cut off midway resumes where it
 * stopped. Each node is tried once per call; a caller's abort ends it.
 */
export async function* failoverStream<N, T>(call: {
  nodes: NodeSet<N>;
  what: string;
  signal?: AbortSignal;
  open(entry: NodeEntry<N>, yielded: number): AsyncIterable<T>;
}): AsyncGenerator<{ node: string; value: T }, void, undefined> {
  const tried = new Set<string>();
  const failures: TransportError[] = [];
  let yielded = 0;
  for (;;) {
    const entry = call.nodes.order().find((n) => !tried.has(n.id));
    if (!entry) throw exhausted(call.what, failures);
    tried.add(entry.id);
    try {
      for await (const value of call.open(entry, yielded)) {
        yielded++;
        yield { node: entry.id, value };
      }
      call.nodes.succeeded(entry.id);
      return;
    } catch (err) {
      const e = nodeError(err, entry.id);
      if (call.signal?.aborted) throw abortReason(call.signal);
      if (e.code === 'NET_ABORTED') throw e;
      noteFailure(call.nodes, e);
      failures.push(e);
    }
  }
}

/** Moves a failed node back (or blames it), according to what went wrong. */
export function noteFailure<N>(nodes: NodeSet<N>, e: TransportError): void {
  if (!e.node) return;
  if (MISBEHAVIOUR_CODES.has(e.code)) nodes.blame(e.node);
  // A node saying it lacks an item is not at fault; everything else is a failure.
  else if (e.code !== 'LIGHT_NOT_FOUND') nodes.failed(e.node);
}

export function exhausted(what: string, failures: readonly TransportError[]): TransportError {
  const notFound = failures.find((f) => f.code === 'LIGHT_NOT_FOUND');
  if (notFound) return notFound;
  const summary = failures.map((f) => `${f.code} (${f.message})`).join('; ');
  return new TransportError('LIGHT_NO_NODES', `no full node answered ${what}: ${summary}`, {
    cause: failures[failures.length - 1],
  });
}
