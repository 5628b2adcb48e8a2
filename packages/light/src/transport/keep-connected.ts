import type { Libp2p, PeerId } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { deadline } from './deadline.js';
import type { NodeEntry } from './node-set.js';

export interface KeepConnectedOptions {
  /** The wait before redialling a node that dropped or could not be dialled. Default 1 s. */
  minDelayMs?: number;
  /** The longest wait between dials of a node that stays away. Default 30 s. */
  maxDelayMs?: number;
}

/** 2 ** 20 minimum waits is past any sensible maximum; the cap only keeps the number finite. */
const MAX_EXPONENT = 20;

interface Kept {
  readonly entry: NodeEntry<Multiaddr>;
  /** Failed dials and short-lived connections in a row: the backoff's exponent. */
  failures: number;
  connectedAt?: number;
  timer?: ReturnType<typeof setTimeout>;
  dialing: boolean;
}

/**
 * Holds a connection open to every configured full node, so that a page
 * can say which nodes it reaches and a node that restarts is back in use
 * before anyone needs it. Each node is dialled at start; one that drops,
 * or cannot be dialled, is redialled after a wait that doubles per failed
 * dial (with jitter, so browsers do not all redial a restarted node at
 * once) up to `maxDelayMs`; the waits start again from `minDelayMs` after
 * a connection that held for `maxDelayMs`. One dial per node at a time,
 * each bounded by `dialTimeoutMs`; nothing is dialled after stop().
 */
export class ConnectionKeeper {
  readonly #host: Libp2p;
  readonly #nodes: Map<string, Kept>;
  readonly #minDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #dialTimeoutMs: number;
  readonly #stopped = new AbortController();
  readonly #unlisten: () => void;

  constructor(
    host: Libp2p,
    entries: readonly NodeEntry<Multiaddr>[],
    o: KeepConnectedOptions & { dialTimeoutMs: number },
  ) {
    this.#minDelayMs = o.minDelayMs ?? 1_000;
    this.#maxDelayMs = Math.max(o.maxDelayMs ?? 30_000, this.#minDelayMs);
    if (!(this.#minDelayMs > 0)) throw new RangeError('minDelayMs must be positive');
    this.#host = host;
    this.#dialTimeoutMs = o.dialTimeoutMs;
    this.#nodes = new Map(
      entries.map((entry) => [entry.id, { entry, failures: 0, dialing: false }]),
    );
    this.#unlisten = onPeerEvents(host, {
      connect: (peer) => this.#onConnect(peer),
      disconnect: (peer) => this.#onDisconnect(peer),
    });
  }

  /** Dials every node not connected yet (in the background). */
  start(): void {
    for (const node of this.#nodes.values()) void this.#dial(node);
  }

  stop(): void {
    this.#stopped.abort();
    this.#unlisten();
    for (const node of this.#nodes.values()) clearTimeout(node.timer);
  }

  #onConnect(peer: string): void {
    const node = this.#nodes.get(peer);
    if (!node) return;
    // Connected, by a request or by a redial: no dial is due.
    node.connectedAt = Date.now();
    clearTimeout(node.timer);
    node.timer = undefined;
  }

  #onDisconnect(peer: string): void {
    const node = this.#nodes.get(peer);
    if (!node) return;
    // A connection that held starts the waits afresh; one the node closes at
    // once (it refuses us, or is shutting down) counts as a failed dial, so a
    // node that keeps hanging up is not redialled every `minDelayMs`.
    const held = Date.now() - (node.connectedAt ?? 0) >= this.#maxDelayMs;
    node.failures = held ? 0 : Math.min(node.failures + 1, MAX_EXPONENT);
    node.connectedAt = undefined;
    this.#later(node);
  }

  #later(node: Kept): void {
    if (this.#stopped.signal.aborted || node.timer !== undefined || node.dialing) return;
    const ceiling = Math.min(this.#maxDelayMs, this.#minDelayMs * 2 ** node.failures);
    const wait = Math.max(this.#minDelayMs, ceiling * (0.5 + Math.random() / 2));
    node.timer = setTimeout(() => {
      node.timer = undefined;
      void this.#dial(node);
    }, wait);
  }

  async #dial(node: Kept): Promise<void> {
    if (this.#stopped.signal.aborted || node.dialing || this.#connected(node)) return;
    node.dialing = true;
    const d = deadline(this.#dialTimeoutMs, this.#stopped.signal, 'redial');
    try {
      await this.#host.dial(node.entry.target, { signal: d.signal });
    } catch {
      // Unreachable for now (or stopped): the next wait is longer.
      node.failures = Math.min(node.failures + 1, MAX_EXPONENT);
    } finally {
      d.dispose();
      node.dialing = false;
    }
    if (!this.#connected(node)) this.#later(node);
  }

  #connected(node: Kept): boolean {
    const id = node.entry.id;
    return this.#host.getConnections().some((c) => c.remotePeer.toString() === id);
  }
}

/**
 * Follows `host`'s peers (PeerId strings): `connect` when one gets its first
 * open connection, `disconnect` when its last one closes. Returns the unsubscribe.
 */
export function onPeerEvents(
  host: Libp2p,
  on: { connect(peer: string): void; disconnect(peer: string): void },
): () => void {
  const connect = (evt: CustomEvent<PeerId>) => on.connect(evt.detail.toString());
  const disconnect = (evt: CustomEvent<PeerId>) => on.disconnect(evt.detail.toString());
  host.addEventListener('peer:connect', connect);
  host.addEventListener('peer:disconnect', disconnect);
  return () => {
    host.removeEventListener('peer:connect', connect);
    host.removeEventListener('peer:disconnect', disconnect);
  };
}
