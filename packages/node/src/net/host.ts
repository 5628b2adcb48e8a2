import './polyfill.js';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { type GossipSub, type GossipsubOpts, gossipsub } from '@libp2p/gossipsub';
import { type Identify, identify } from '@libp2p/identify';
import type { Libp2p, PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { type Ping, ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { webSockets } from '@libp2p/websockets';
import { multiaddr } from '@multiformats/multiaddr';
import { MAX_BLOCK_BYTES, sha256 } from '@weft/core';
import { createLibp2p } from 'libp2p';
import { NetError } from './errors.js';
import { isWebSocketAddr, PeerGate } from './gater.js';
import { libp2pKeyFromSecret } from './identity.js';
import type { Membership } from './membership.js';
import { guardTopics, type TopicAccess } from './topic-guard.js';

export interface NodeServices extends Record<string, unknown> {
  identify: Identify;
  ping: Ping;
  pubsub: GossipSub;
  /** Weft admission control: membership, penalty box, light-client marks. */
  access: PeerGate;
}

export type NodeHost = Libp2p<NodeServices>;

export interface ConnectionLimits {
  /** Total open connections. */
  maxConnections?: number;
  /** Inbound connections still in their handshake. */
  maxIncomingPendingConnections?: number;
  /** Inbound connections accepted per second from one host. */
  inboundConnectionThreshold?: number;
  dialTimeoutMs?: number;
  /** Time an inbound connection has to finish Noise and muxer negotiation. */
  inboundUpgradeTimeoutMs?: number;
}

/** Gossipsub tuning a caller may change; the message rules (no signatures, id = hash of data) are fixed. */
export type GossipsubTuning = Omit<
  Partial<GossipsubOpts>,
  'globalSignaturePolicy' | 'msgIdFn' | 'emitSelf' | 'scoreParams'
>;

export interface NodeHostOptions {
  /** The node's 32-byte Ed25519 secret: the key its certificate names. */
  secretKey: Uint8Array;
  membership: Membership;
  /** Listen multiaddrs; an omitted transport does not listen (it can still dial). */
  listen?: {
    /** For the node mesh, e.g. '/ip4/0.0.0.0/tcp/7051'. */
    tcp?: string;
    /** For browsers and light clients, e.g. '/ip4/0.0.0.0/tcp/7052/ws'. */
    ws?: string;
  };
  /** Addresses to advertise instead of the listen addresses (behind NAT, DNS names). */
  announce?: string[];
  penaltyMs?: number;
  maxLightClients?: number;
  limits?: ConnectionLimits;
  gossipsub?: GossipsubTuning;
  /**
   * Per-stream receive window. Kept at or below the stream's read buffer so a
   * reader that pauses (backpressure) is never reset for buffering what the
   * window allowed the sender to send. Default 4 MiB.
   */
  maxStreamWindowBytes?: number;
  /**
   * How long a TCP peer we do not know yet has to prove membership (the
   * node layer's hello) before it is penalised and disconnected. Default 10 s.
   */
  introductionMs?: number;
  /** At most this many such peers at once (default 64); more strangers are refused. */
  maxCandidates?: number;
  /**
   * Which peers may subscribe to which gossip topics (a channel's topics to
   * that channel's members); default: any member. See topic-guard.ts.
   */
  topicAccess?: TopicAccess;
  /** Largest gossip message accepted (default: the largest block plus framing). */
  maxGossipBytes?: number;
}

const DEFAULT_INTRODUCTION_MS = 10_000;

const DEFAULT_STREAM_WINDOW = 4 << 20;
/**
 * Gossip scores. A member scores 0. A candidate (a TCP peer still to present
 * its certificate) sits between the graylist and the gossip thresholds: its
 * RPCs are read, so its topic subscriptions are recorded (and replayed by the
 * topic guard once it proves membership), but it is sent nothing, never
 * joins a mesh, and its messages fail the node's topic validators. Any other
 * non-member (a light client) is graylisted: its RPCs are dropped.
 */
const CANDIDATE_SCORE = -100;
const NON_MEMBER_SCORE = -1e6;
const SCORE_THRESHOLDS = {
  gossipThreshold: -10,
  publishThreshold: -50,
  graylistThreshold: -1000,
  acceptPXThreshold: 10,
  opportunisticGraftThreshold: 20,
};

function listenAddresses(listen: NodeHostOptions['listen']): string[] {
  const out: string[] = [];
  if (listen?.tcp !== undefined) {
    if (isWebSocketAddr(multiaddr(listen.tcp))) {
      throw new NetError('NET_BAD_OPTIONS', `listen.tcp is a WebSocket address: ${listen.tcp}`);
    }
    out.push(listen.tcp);
  }
  if (listen?.ws !== undefined) {
    if (!isWebSocketAddr(multiaddr(listen.ws))) {
      throw new NetError('NET_BAD_OPTIONS', `listen.ws lacks /ws: ${listen.ws}`);
    }
    out.push(listen.ws);
  }
  return out;
}

/** Builds and starts a Weft node's libp2p host. */
export async function createNodeHost(options: NodeHostOptions): Promise<NodeHost> {
  const gate = new PeerGate({
    membership: options.membership,
    penaltyMs: options.penaltyMs,
    maxLightClients: options.maxLightClients,
    maxCandidates: options.maxCandidates,
  });
  const limits = options.limits ?? {};
  const window = options.maxStreamWindowBytes ?? DEFAULT_STREAM_WINDOW;
  const memberScore = (id: string): number => {
    try {
      const peer = peerIdFromString(id);
      if (gate.isMember(peer)) return 0;
      return gate.isCandidate(peer) ? CANDIDATE_SCORE : NON_MEMBER_SCORE;
    } catch {
      return NON_MEMBER_SCORE;
    }
  };

  const host = await createLibp2p<NodeServices>({
    privateKey: await libp2pKeyFromSecret(options.secretKey),
    addresses: { listen: listenAddresses(options.listen), announce: options.announce ?? [] },
    // Both transports always dial; listening is what the options switch.
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [
      yamux({
        streamOptions: {
          maxStreamWindowSize: window,
          maxReadBufferLength: 2 * window,
        },
      }),
    ],
    connectionGater: gate.connectionGater(),
    connectionManager: {
      maxConnections: limits.maxConnections ?? 300,
      maxIncomingPendingConnections: limits.maxIncomingPendingConnections ?? 10,
      inboundConnectionThreshold: limits.inboundConnectionThreshold ?? 5,
      dialTimeout: limits.dialTimeoutMs ?? 10_000,
      inboundUpgradeTimeout: limits.inboundUpgradeTimeoutMs ?? 5_000,
    },
    // libp2p aborts a connection whose ping takes longer than 5 s by default.
    // A node whose event loop is busy committing (or a loaded 2-core host)
    // answers late but is alive, and cutting its connection throws away
    // every broadcast and deliver stream on it, which adds load rather than
    // shedding it (seen in `weft bench order` under load). A dead peer's TCP
    // connection closes on its own; 20 s is for the half-open rest, as
    // Fabric's gRPC keepalive timeout.
    connectionMonitor: { pingTimeout: { minTimeout: 20_000 } },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        ...options.gossipsub,
        // Authority comes from the signatures inside a block, not from the
        // publisher, so the same block from two publishers is one message.
        globalSignaturePolicy: 'StrictNoSign',
        msgIdFn: (msg) => sha256(msg.data),
        emitSelf: false,
        // A leader alone in its org (or a node with no subscriber yet) still publishes.
        allowPublishToZeroTopicPeers: true,
        maxInboundDataLength: options.maxGossipBytes ?? MAX_BLOCK_BYTES + 64 * 1024,
        scoreThresholds: SCORE_THRESHOLDS,
        scoreParams: {
          // Light clients may open gossipsub streams over WebSockets; see
          // CANDIDATE_SCORE for what each score lets a peer do.
          appSpecificScore: memberScore,
          appSpecificWeight: 1,
          // Members are known by key, and test networks share one IP.
          IPColocationFactorWeight: 0,
        },
      }),
      access: () => gate,
    },
    start: false,
  });
  // Installed before the host starts, so no subscription is ever recorded unchecked.
  const topics = guardTopics(
    host.services.pubsub,
    options.topicAccess ?? ((peer) => gate.isMember(peer)),
  );
  gate.topics = topics;
  host.addEventListener('peer:disconnect', (evt) => {
    gate.forget(evt.detail);
    topics.forget(evt.detail);
  });
  gate.isConnected = (id) => host.getConnections(peerIdFromString(id)).length > 0;

  // Introduction deadlines, one per candidate, counted from its first
  // admission: reconnecting does not restart the clock.
  const introductionMs = options.introductionMs ?? DEFAULT_INTRODUCTION_MS;
  const deadlines = new Map<string, ReturnType<typeof setTimeout>>();
  const introduce = (peer: PeerId): void => {
    const id = peer.toString();
    if (deadlines.has(id)) return;
    const timer = setTimeout(() => {
      deadlines.delete(id);
      if (gate.graduate(peer) || !gate.isCandidate(peer)) return;
      // Not connected (yet): a connection that opens later starts a new introduction.
      if (host.getConnections(peer).length === 0) return;
      gate.penalise(peer, introductionMs * 6);
      void host.hangUp(peer).catch(() => {});
    }, introductionMs);
    timer.unref?.();
    deadlines.set(id, timer);
  };
  gate.onCandidate = introduce;
  host.addEventListener('connection:open', (evt) => {
    const conn = evt.detail;
    // Admitted before a penalty (still upgrading while it was handed out): refuse it now.
    if (gate.isPenalised(conn.remotePeer)) {
      void conn.close().catch(() => conn.abort(new NetError('NET_FORBIDDEN', 'peer is penalised')));
    } else if (gate.isCandidate(conn.remotePeer)) {
      introduce(conn.remotePeer);
    }
  });
  host.addEventListener('stop', () => {
    for (const timer of deadlines.values()) clearTimeout(timer);
    deadlines.clear();
  });
  await host.start();
  return host;
}

/**
 * Closes connections to peers that are no longer members (after a membership
 * change). Candidates still introducing themselves are left to their deadline.
 */
export async function enforceMembership(host: NodeHost): Promise<PeerId[]> {
  const gate = host.services.access;
  const dropped: PeerId[] = [];
  for (const conn of host.getConnections()) {
    const peer = conn.remotePeer;
    if (gate.isMember(peer) || gate.isCandidate(peer)) continue;
    // Other non-members may stay only as WebSocket light clients.
    if (isWebSocketAddr(conn.remoteAddr) && conn.direction === 'inbound') continue;
    if (!dropped.some((p) => p.equals(peer))) dropped.push(peer);
    await conn.close().catch(() => conn.abort(new NetError('NET_FORBIDDEN', 'no longer a member')));
  }
  return dropped;
}
