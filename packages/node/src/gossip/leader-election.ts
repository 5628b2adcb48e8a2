/**
 * Per channel and org, which peer pulls blocks from the ordering service,
 * after Fabric gossip's leader election: every peer announces itself
 * (alive messages) and the leader says so in its own; a peer that has heard
 * no leader for `electionTimeoutMs` takes the lead if it has the lowest id
 * among the org's peers it has heard from within that time; a leader that
 * hears a lower-id leader steps down. A peer that joins an org with a live
 * leader follows it (no preemption), so leadership is stable.
 *
 * Pure: time comes in as arguments, so tests drive it without timers.
 */

export type ElectionMode = 'elect' | 'static-leader' | 'static-follower';

export interface LeaderElectionOptions {
  /** This peer's id; ids are compared as strings, lowest wins. */
  self: string;
  mode: ElectionMode;
  /** Silence after which a peer (or the leader) counts as gone. */
  electionTimeoutMs: number;
  /** When the peer started: it does not take the lead before one timeout has passed. */
  startedAt: number;
}

interface Heard {
  at: number;
  leader: boolean;
}

export class LeaderElection {
  readonly #o: LeaderElectionOptions;
  readonly #heard = new Map<string, Heard>();
  #leader: boolean;

  constructor(options: LeaderElectionOptions) {
    this.#o = options;
    this.#leader = options.mode === 'static-leader';
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  /** An alive message from a peer of this org (already verified). */
  heard(id: string, leader: boolean, at: number): void {
    if (id === this.#o.self) return;
    this.#heard.set(id, { at, leader });
  }

  /** A peer of the org went away for sure (disconnected and forgotten). */
  forget(id: string): void {
    this.#heard.delete(id);
  }

  /** The leader this peer believes in now (itself included), if any. */
  leader(now: number): string | undefined {
    if (this.#leader) return this.#o.self;
    return this.#liveLeaders(now)[0];
  }

  /** Re-evaluates at `now`; returns whether this peer leads. */
  tick(now: number): boolean {
    const { mode, self, electionTimeoutMs, startedAt } = this.#o;
    if (mode !== 'elect') return this.#leader;
    for (const [id, h] of this.#heard) {
      if (now - h.at > electionTimeoutMs * 3) this.#heard.delete(id);
    }
    const leaders = this.#liveLeaders(now);
    if (this.#leader) {
      // Two leaders (a partition healed, or both started at once): the lower id keeps it.
      if (leaders.some((id) => id < self)) this.#leader = false;
      return this.#leader;
    }
    if (leaders.length > 0) return false;
    if (now - startedAt < electionTimeoutMs) return false;
    const lowest = this.#alive(now).every((id) => self < id);
    if (lowest) this.#leader = true;
    return this.#leader;
  }

  #alive(now: number): string[] {
    const out: string[] = [];
    for (const [id, h] of this.#heard) {
      if (now - h.at <= this.#o.electionTimeoutMs) out.push(id);
    }
    return out;
  }

  #liveLeaders(now: number): string[] {
    return this.#alive(now)
      .filter((id) => this.#heard.get(id)?.leader)
      .sort();
  }
}
