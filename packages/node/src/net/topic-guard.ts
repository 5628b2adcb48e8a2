import type { GossipSub } from '@libp2p/gossipsub';
import type { PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';

/** Decides whether `peer` may be subscribed to `topic` (receive its messages). */
export type TopicAccess = (peer: PeerId, topic: string) => boolean;

export interface TopicGuard {
  /**
   * Re-applies the subscriptions `peer` announced while it was not allowed
   * them (typically before its hello proved its membership). Call after a
   * membership change.
   */
  admit(peer: PeerId): void;
  /** Drops what is remembered about a peer that went away. */
  forget(peer: PeerId): void;
}

/** Refused subscriptions kept per peer, for `admit`; a peer announcing more is cut off. */
const MAX_PENDING_TOPICS = 64;

type SubscriptionHandler = (from: PeerId, topic: string, subscribe: boolean) => boolean;
type GraftHandler = (id: string, graft: { topicID?: string }[]) => Promise<unknown>;
type IWantHandler = (id: string, iwant: unknown[]) => { topic: string }[];

interface GossipsubInternals {
  handleReceivedSubscription: SubscriptionHandler;
  handleGraft: GraftHandler;
  handleIWant: IWantHandler;
}

/**
 * Gossipsub sends a topic's messages (flood publish, gossip) to peers it
 * has recorded as subscribed, and to mesh peers, which a GRAFT adds without
 * checking the subscription; IWANT answers any cached message by id.
 * Refusing subscriptions and GRAFTs, and filtering IWANT answers, keeps
 * each channel's topics to that channel's members, which peer scores (one
 * per peer, not per topic) cannot express.
 * Gossipsub announces subscriptions once, when a stream opens, so refused
 * ones are remembered and replayed by `admit` once the peer has proved it
 * belongs.
 *
 * This reaches into three (private) gossipsub handlers; the version is
 * pinned and the channel-isolation tests fail if the hooks stop working.
 */
export function guardTopics(pubsub: GossipSub, allowed: TopicAccess): TopicGuard {
  const target = pubsub as unknown as GossipsubInternals;
  for (const name of ['handleReceivedSubscription', 'handleGraft', 'handleIWant'] as const) {
    if (typeof target[name] !== 'function') {
      throw new Error(`gossipsub has no ${name}: the topic guard needs updating`);
    }
  }
  const handle = target.handleReceivedSubscription.bind(pubsub);
  const graft = target.handleGraft.bind(pubsub);
  const iwant = target.handleIWant.bind(pubsub);
  const allowedId = (id: string, topic: string) => {
    try {
      return allowed(peerIdFromString(id), topic);
    } catch {
      return false;
    }
  };
  target.handleGraft = (id, topics) =>
    graft(
      id,
      topics.filter((t) => t.topicID != null && allowedId(id, t.topicID)),
    );
  target.handleIWant = (id, ids) => iwant(id, ids).filter((m) => allowedId(id, m.topic));
  const pending = new Map<string, { peer: PeerId; topics: Set<string> }>();

  target.handleReceivedSubscription = (from, topic, subscribe) => {
    const key = from.toString();
    if (!subscribe) {
      pending.get(key)?.topics.delete(topic);
      return handle(from, topic, false);
    }
    if (allowed(from, topic)) return handle(from, topic, true);
    const entry = pending.get(key) ?? { peer: from, topics: new Set<string>() };
    if (entry.topics.size < MAX_PENDING_TOPICS) entry.topics.add(topic);
    pending.set(key, entry);
    return false;
  };
  return {
    admit(peer) {
      const entry = pending.get(peer.toString());
      if (!entry) return;
      for (const topic of [...entry.topics]) {
        if (!allowed(peer, topic)) continue;
        entry.topics.delete(topic);
        handle(entry.peer, topic, true);
      }
      if (entry.topics.size === 0) pending.delete(peer.toString());
    },
    forget(peer) {
      pending.delete(peer.toString());
    },
  };
}
