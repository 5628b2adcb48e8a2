import type { ConnectionGater, MultiaddrConnection, PeerId } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { ed25519KeyOfPeer } from './identity.js';
import type { Membership } from './membership.js';
import type { TopicGuard } from './topic-guard.js';

/**
 * Admission control for a Weft node (DESIGN §8). The PeerId is only known
 * once Noise has authenticated it, so membership is enforced at the
 * "encrypted connection" checkpoints, before a muxer is negotiated:
 * - TCP (the node mesh): members, and a bounded number of candidates: a
 *   node's certificate is not in any channel config (only its org's root
 *   is), so a node we do not know yet is admitted to present it (the node
 *   layer's hello). One that has not become a member within the
 *   introduction time is penalised and disconnected (`onCandidate`; the
 *   host keeps the clock). A candidate that has become a member no longer
 *   holds a slot.
 * - WebSocket listener: anyone (browsers, light clients), bounded in number
 *   and marked, so protocols can tell them apart.
 * - Everyone: refused while in the penalty box.
 */

export interface PeerGateOptions {
  membership: Membership;
  /** How long a misbehaving peer is refused, by default (ms). */
  penaltyMs?: number;
  /** At most this many non-member peers connected through WebSockets at once. */
  maxLightClients?: number;
  /** Clock, for tests. */
  now?: () => number;
  /**
   * Whether a peer still has a connection (the host wires this up). A peer
   * admitted at the encrypted checkpoint may fail its upgrade and never
   * connect or disconnect; without this its light-client slot would leak.
   */
  isConnected?: (peerId: string) => boolean;
  /** At most this many peers waiting to prove membership (TCP, or dialled by us) at once. */
  maxCandidates?: number;
}

export const DEFAULT_MAX_CANDIDATES = 64;
export const DEFAULT_PENALTY_MS = 10 * 60_000;
export const DEFAULT_MAX_LIGHT_CLIENTS = 256;
/** Bound on the penalty box itself, so a flood of throwaway PeerIds cannot grow it forever. */
const MAX_PENALISED = 10_000;
/** A light-client slot unused for this long after admission (upgrade failed) may be reclaimed. */
const SLOT_GRACE_MS = 30_000;

/** True when the address carries a WebSocket component (inbound WS addresses end in /ws). */
export function isWebSocketAddr(addr: Multiaddr): boolean {
  return addr.getComponents().some((c) => c.name === 'ws' || c.name === 'wss');
}

export class PeerGate {
  membership: Membership;
  readonly penaltyMs: number;
  readonly maxLightClients: number;
  isConnected: (peerId: string) => boolean;
  readonly #now: () => number;
  readonly #penalised = new Map<string, number>();
  /** Light clients by PeerId string, with the time they were admitted. */
  readonly #lightClients = new Map<string, number>();
  /** Peers admitted to introduce themselves, by PeerId string, with the time they were admitted. */
  readonly #candidates = new Map<string, { peer: PeerId; at: number }>();
  readonly maxCandidates: number;
  /** The host's gossip topic guard: call `topics.admit(peer)` once a peer has proved membership. */
  topics?: TopicGuard;
  /** Called once per newly admitted candidate; the host sets the deadline for its introduction. */
  onCandidate: (peer: PeerId) => void = () => {};

  constructor(options: PeerGateOptions) {
    this.membership = options.membership;
    this.penaltyMs = options.penaltyMs ?? DEFAULT_PENALTY_MS;
    this.maxLightClients = options.maxLightClients ?? DEFAULT_MAX_LIGHT_CLIENTS;
    this.#now = options.now ?? Date.now;
    this.isConnected = options.isConnected ?? (() => true);
    this.maxCandidates = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  }

  /** A peer admitted to prove its membership (over TCP, or dialled by us) that has not yet. */
  isCandidate(peer: PeerId): boolean {
    return this.#candidates.has(peer.toString()) && !this.isMember(peer);
  }

  /** Candidate slots in use: admitted peers that are not (yet) members. */
  get candidateCount(): number {
    let n = 0;
    for (const { peer } of this.#candidates.values()) if (!this.isMember(peer)) n++;
    return n;
  }

  /**
   * Ends `peer`'s candidacy if it has become a member, releasing its slot
   * (the host calls this at the introduction deadline). Returns whether it
   * is a member.
   */
  graduate(peer: PeerId): boolean {
    if (!this.isMember(peer)) return false;
    this.#candidates.delete(peer.toString());
    return true;
  }

  isMember(peer: PeerId): boolean {
    const key = ed25519KeyOfPeer(peer);
    return key !== undefined && this.membership.isMember(key);
  }

  /** A non-member admitted through the WebSocket listener and still connected. */
  isLightClient(peer: PeerId): boolean {
    return this.#lightClients.has(peer.toString());
  }

  get lightClientCount(): number {
    return this.#lightClients.size;
  }

  /** Refuses `peer` for `ms` (default penaltyMs); existing connections are the caller's to close. */
  penalise(peer: PeerId, ms: number = this.penaltyMs): void {
    const id = peer.toString();
    if (!this.#penalised.has(id) && this.#penalised.size >= MAX_PENALISED) this.#sweep();
    if (this.#penalised.size >= MAX_PENALISED) {
      // Still full of live entries: drop the oldest insertion to make room.
      const oldest = this.#penalised.keys().next().value;
      if (oldest !== undefined) this.#penalised.delete(oldest);
    }
    const until = this.#now() + ms;
    this.#penalised.set(id, Math.max(until, this.#penalised.get(id) ?? 0));
  }

  isPenalised(peer: PeerId): boolean {
    const id = peer.toString();
    const until = this.#penalised.get(id);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#penalised.delete(id);
    return false;
  }

  pardon(peer: PeerId): void {
    this.#penalised.delete(peer.toString());
  }

  /** Called by the host when the last connection to `peer` closes. */
  forget(peer: PeerId): void {
    this.#lightClients.delete(peer.toString());
    this.#candidates.delete(peer.toString());
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, until] of this.#penalised) if (until <= now) this.#penalised.delete(id);
  }

  #admitCandidate(peer: PeerId): boolean {
    if (this.isPenalised(peer)) return false;
    if (this.isMember(peer)) return true;
    const id = peer.toString();
    if (this.#candidates.has(id)) return true;
    if (this.#candidates.size >= this.maxCandidates) {
      // Members that introduced themselves no longer need a slot; nor do
      // candidates whose upgrade failed long ago.
      const cutoff = this.#now() - SLOT_GRACE_MS;
      for (const [c, entry] of this.#candidates) {
        if (this.isMember(entry.peer) || (entry.at < cutoff && !this.isConnected(c))) {
          this.#candidates.delete(c);
        }
      }
      if (this.#candidates.size >= this.maxCandidates) return false;
    }
    this.#candidates.set(id, { peer, at: this.#now() });
    this.onCandidate(peer);
    return true;
  }

  #admitInbound(peer: PeerId, conn: MultiaddrConnection): boolean {
    if (this.isPenalised(peer)) return false;
    if (this.isMember(peer)) return true;
    if (!isWebSocketAddr(conn.remoteAddr)) return this.#admitCandidate(peer);
    const id = peer.toString();
    if (!this.#lightClients.has(id) && this.#lightClients.size >= this.maxLightClients) {
      this.#reclaimSlots();
      if (this.#lightClients.size >= this.maxLightClients) return false;
    }
    this.#lightClients.set(id, this.#now());
    return true;
  }

  #reclaimSlots(): void {
    const cutoff = this.#now() - SLOT_GRACE_MS;
    for (const [id, admitted] of this.#lightClients) {
      if (admitted < cutoff && !this.isConnected(id)) this.#lightClients.delete(id);
    }
  }

  /**
   * The libp2p ConnectionGater. Arrow functions on a plain object, because
   * libp2p calls some gater methods detached from the object (for example
   * filterMultiaddrForPeer is handed to the peer store as a bare function).
   */
  connectionGater(): ConnectionGater {
    return {
      denyDialPeer: (peer) => this.isPenalised(peer),
      denyInboundEncryptedConnection: (peer, conn) => !this.#admitInbound(peer, conn),
      // Dialling a node we do not know yet (a bootstrap address) makes it a candidate too.
      denyOutboundEncryptedConnection: (peer) => !this.#admitCandidate(peer),
    };
  }
}
