import type { GossipSub } from '@libp2p/gossipsub';
import type { PeerId } from '@libp2p/interface';

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

/**
 * Gossipsub sends a topic's messages (mesh, flood publish, gossip) only to
 * peers it has recorded as subscribed, and records subscriptions in one
 * place. Refusing them there keeps each channel's topics to that channel's
 * members, which peer scores (one per peer, not per topic) cannot express.
 * Gossipsub announces subscriptions once, when a stream opens, so refused
 * ones are remembered and replayed by `admit` once the peer has proved it
 * belongs.
 *
 * This reaches into gossipsub's (private) subscription handler; the version
 * is pinned and the channel-isolation tests fail if the hook stops working.
 */
export function guardTopics(pubsub: GossipSub, allowed: TopicAccess): TopicGuard {
  const target = pubsub as unknown as { handleReceivedSubscription: SubscriptionHandler };
  const original = target.handleReceivedSubscription;
  if (typeof original !== 'function') {
    throw new Error('gossipsub has no handleReceivedSubscription: the topic guard needs updating');
  }
  const handle = original.bind(pubsub);
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
