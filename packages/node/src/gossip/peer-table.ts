import type { PeerId } from '@libp2p/interface';
import type { PeerHeight } from './state-transfer.js';

/** An alive message stamped this far in the future is not believed. */
const MAX_CLOCK_SKEW_MS = 60_000;

/**
 * The channel's peers as their alive messages describe them: height and
 * when we last heard from each. A message is taken only if its `seq` is
 * newer than the last one from that signer and not from the far future,
 * so a replayed or stale message cannot move a peer back or keep a dead
 * one alive for long. Peers silent for `forgetAfterMs` are dropped.
 */
export class PeerTable {
  readonly #peers = new Map<string, { peer: PeerId; height: number; seq: number; at: number }>();
  readonly #forgetAfterMs: number;

  constructor(options: { forgetAfterMs: number }) {
    this.#forgetAfterMs = options.forgetAfterMs;
  }

  /** Records an alive message from `key`; false if it is stale or implausible. */
  record(key: string, alive: { peer: PeerId; height: number; seq: number }, now: number): boolean {
    const last = this.#peers.get(key);
    if ((last && alive.seq <= last.seq) || alive.seq > now + MAX_CLOCK_SKEW_MS) return false;
    this.#peers.set(key, { ...alive, at: now });
    return true;
  }

  /** Peers heard from within `withinMs`, with the heights they announced. */
  heights(now: number, withinMs: number): PeerHeight[] {
    const out: PeerHeight[] = [];
    for (const [key, p] of this.#peers) {
      if (now - p.at > this.#forgetAfterMs) this.#peers.delete(key);
      else if (now - p.at <= withinMs) out.push({ peer: p.peer, height: p.height });
    }
    return out;
  }
}
