// The node's network layer: libp2p host, admission control and the
// request/response framing every Weft protocol uses.

// Node 20 gaps libp2p needs (Promise.withResolvers, a WebSocket client), first.
import './polyfill.js';

export { NetError, type NetErrorCode, netErrorFromWire, toNetError } from './errors.js';
export {
  DEFAULT_MAX_LIGHT_CLIENTS,
  DEFAULT_PENALTY_MS,
  isWebSocketAddr,
  PeerGate,
  type PeerGateOptions,
} from './gater.js';
export {
  type ConnectionLimits,
  createNodeHost,
  enforceMembership,
  type GossipsubTuning,
  type NodeHost,
  type NodeHostOptions,
  type NodeServices,
} from './host.js';
export { ed25519KeyOfPeer, libp2pKeyFromSecret, peerIdFromEd25519 } from './identity.js';
export { type Membership, MutableMembership } from './membership.js';
export * from './rpc.js';
export { guardTopics, type TopicAccess, type TopicGuard } from './topic-guard.js';
