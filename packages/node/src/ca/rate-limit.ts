/**
 * Token buckets for the CA's public protocol: one for every caller
 * together and one per caller (by PeerId), each refilled continuously to
 * `perMinute` requests a minute. A light client can make new PeerIds at
 * will, so the shared bucket is the real bound; the per-caller one keeps a
 * single caller from spending all of it.
 */
export interface RateLimits {
  perMinute: number;
  perPeerPerMinute: number;
}

/** Callers remembered at once; beyond this the least recently seen are forgotten. */
const MAX_TRACKED = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #limits: RateLimits;
  readonly #now: () => number;
  readonly #all: Bucket;
  readonly #peers = new Map<string, Bucket>();

  constructor(limits: RateLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
    this.#all = { tokens: limits.perMinute, at: now() };
  }

  /** Takes one token from the caller's bucket and the shared one; false when either is empty. */
  take(peer: string): boolean {
    const now = this.#now();
    let mine = this.#peers.get(peer);
    if (mine) this.#peers.delete(peer);
    else mine = { tokens: this.#limits.perPeerPerMinute, at: now };
    // Re-inserted: the Map's order is least recently seen first.
    this.#peers.set(peer, mine);
    if (this.#peers.size > MAX_TRACKED) {
      const oldest = this.#peers.keys().next().value;
      if (oldest !== undefined) this.#peers.delete(oldest);
    }
    refill(mine, this.#limits.perPeerPerMinute, now);
    refill(this.#all, this.#limits.perMinute, now);
    if (mine.tokens < 1 || this.#all.tokens < 1) return false;
    mine.tokens -= 1;
    this.#all.tokens -= 1;
    return true;
  }
}

function refill(b: Bucket, perMinute: number, now: number): void {
  const elapsed = Math.max(0, now - b.at);
  b.tokens = Math.min(perMinute, b.tokens + (elapsed * perMinute) / 60_000);
  b.at = now;
}
