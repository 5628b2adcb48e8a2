import type { PeerId } from '@libp2p/interface';
import { type Channel, MAX_PULL_BLOCKS } from '@weft/core';
import type { Logger } from 'pino';
import type { ChannelLedger } from '../ledger/index.js';
import type { NodeHost } from '../net/index.js';
import type { NodeMetrics } from '../ops/index.js';
import { repeatEvery } from '../util/sleep.js';
import {
  type ExchangeContext,
  exchangeAttestations,
  PullMisbehaviour,
} from './attestation-exchange.js';
import type { PeerHeight } from './state-transfer.js';

export interface AttestationPullOptions {
  host: NodeHost;
  channel: Channel;
  ledger: ChannelLedger;
  /** Peers of the channel heard from recently. */
  peers: () => PeerHeight[];
  punish: (peer: PeerId, reason: string) => void;
  metrics: NodeMetrics;
  intervalMs: number;
  log: Logger;
  signal: AbortSignal;
  now: () => number;
}

/** Blocks below the tip compared with FANOUT peers every round (push's window is 128 too). */
const RECENT = 128;
/** Peers a recent or backlog window is compared with in one round. */
const FANOUT = 3;
/** Backlog blocks (pulled by state transfer, or held at start) compared per round. */
const BACKLOG_PER_ROUND = 2 * MAX_PULL_BLOCKS;
/** Attestations refused without blame (another block's hash, an expired certificate) remembered. */
const REFUSED_MEMORY = 4096;
const CALL_TIMEOUT_MS = 10_000;

/**
 * Attestation anti-entropy (Fabric gossip's pull: digest, request,
 * response; PROTOCOLS.md § Attestation pull). Every `intervalMs` a peer
 * compares the attestations it holds with other peers' digests and fetches
 * what it lacks over `/weft/attestations/1.0.0`, for: the last RECENT
 * blocks (a gossiped attestation missed), with FANOUT peers; the backlog,
 * blocks state transfer brought (and, at start, every block held), with
 * FANOUT peers, BACKLOG_PER_ROUND blocks a round; and one window of a
 * sweep down the older chain with one peer in turn, so every block is
 * compared with every peer eventually. Never needs the orderer.
 */
export class AttestationPull {
  readonly #o: AttestationPullOptions;
  /** Disjoint, non-touching [from, to) ranges still to compare, in no order. */
  #backlog: [number, number][] = [];
  #sweepEnd = 0;
  #turn = 0;
  readonly #refused = new Set<string>();
  readonly #x: ExchangeContext;

  constructor(options: AttestationPullOptions) {
    this.#o = options;
    const { host, channel, ledger, metrics, now, signal } = options;
    const name = channel.config.channel;
    const refused = this.#refused;
    this.#x = {
      host,
      channel,
      ledger,
      now,
      signal,
      timeoutMs: CALL_TIMEOUT_MS,
      counted: (outcome, n = 1) => metrics.attestationsPulled(name, outcome, n),
      refused: {
        has: (key) => refused.has(key),
        add: (key) => {
          if (refused.size >= REFUSED_MEMORY) refused.delete(refused.keys().next().value!);
          refused.add(key);
        },
      },
    };
    this.enqueue(1, ledger.info().height);
  }

  /** Blocks `from..to-1` are new here (state transfer): compare their attestations soon. */
  enqueue(from: number, to: number): void {
    let lo = Math.max(1, from);
    let hi = to;
    if (hi <= lo) return;
    // Ranges that touch or overlap merge, so batch after batch of state transfer stays one range.
    const apart: [number, number][] = [];
    for (const [a, b] of this.#backlog) {
      if (b < lo || a > hi) apart.push([a, b]);
      else [lo, hi] = [Math.min(lo, a), Math.max(hi, b)];
    }
    apart.push([lo, hi]);
    this.#backlog = apart;
  }

  run(): Promise<void> {
    return repeatEvery(
      this.#o.intervalMs,
      this.#o.signal,
      () => this.tick(),
      (err) => this.#o.log.warn({ err }, 'attestation pull failed'),
    );
  }

  /** One round: the recent window, some backlog, one sweep window. */
  async tick(): Promise<void> {
    const height = this.#o.ledger.info().height;
    // Alive messages arrive relayed; only peers we hold a connection to can be asked.
    const peers = this.#o
      .peers()
      .filter((p) => this.#o.host.getConnections(p.peer).length > 0)
      .sort((a, b) => (a.peer.toString() < b.peer.toString() ? -1 : 1));
    if (peers.length === 0 || height <= 1) return;
    const recentFrom = Math.max(1, height - RECENT);
    await this.#compare(recentFrom, height, shuffled(peers).slice(0, FANOUT));
    for (const [from, to] of this.#takeBacklog(height, BACKLOG_PER_ROUND)) {
      if (!(await this.#compare(from, to, shuffled(peers).slice(0, FANOUT))))
        this.enqueue(from, to);
    }
    if (this.#sweepEnd <= 1 || this.#sweepEnd > recentFrom) this.#sweepEnd = recentFrom;
    if (this.#sweepEnd > 1) {
      const from = Math.max(1, this.#sweepEnd - MAX_PULL_BLOCKS);
      const peer = peers[this.#turn++ % peers.length]!;
      if (await this.#compare(from, this.#sweepEnd, [peer])) this.#sweepEnd = from;
    }
  }

  /** Up to `budget` backlog blocks below `height`, highest first, in windows a request can take. */
  #takeBacklog(height: number, budget: number): [number, number][] {
    const out: [number, number][] = [];
    const keep: [number, number][] = [];
    for (const [from, to] of this.#backlog.sort((a, b) => b[1] - a[1])) {
      let end = Math.min(to, height);
      if (end < to) keep.push([Math.max(from, height), to]);
      while (end > from && budget > 0) {
        const start = Math.max(from, end - Math.min(MAX_PULL_BLOCKS, budget));
        out.push([start, end]);
        budget -= end - start;
        end = start;
      }
      if (end > from) keep.push([from, end]);
    }
    this.#backlog = keep;
    return out;
  }

  /** Compares blocks `from..to-1` with each of `peers`; true if at least one answered. */
  async #compare(from: number, to: number, peers: readonly PeerHeight[]): Promise<boolean> {
    let answered = false;
    for (const { peer } of peers) {
      if (this.#o.signal.aborted) return answered;
      try {
        const stored = await exchangeAttestations(this.#x, peer, from, to - from);
        answered = true;
        if (stored > 0)
          this.#o.log.debug({ peer: peer.toString(), from, to, stored }, 'pulled attestations');
      } catch (err) {
        if (err instanceof PullMisbehaviour) this.#o.punish(peer, err.message);
        else this.#o.log.debug({ err, peer: peer.toString() }, 'attestation pull from peer failed');
      }
    }
    return answered;
  }
}

function shuffled<T>(list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
