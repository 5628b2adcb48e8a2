import { JetStreamOrderer, type JetStreamProgress } from './jetstream-orderer.js';

/**
 * What a node's /healthz says about one channel's orderer when it is a
 * jetstream one (undefined otherwise): its place in the log as
 * `ordererLog`, and for humans what is wrong. An orderer that stopped (it
 * orders nothing until restarted) makes the node unavailable; a lost NATS
 * connection only degrades it, since the client reconnects by itself and
 * broadcasts wait for the log meanwhile.
 */
export function ordererLogHealth(
  channel: string,
  orderer: unknown,
): { detail: { ordererLog: JetStreamProgress }; reasons: string[]; failed: boolean } | undefined {
  if (!(orderer instanceof JetStreamOrderer)) return undefined;
  const progress = orderer.progress;
  const reasons: string[] = [];
  if (progress.failure) reasons.push(`channel ${channel}: orderer stopped: ${progress.failure}`);
  else if (!progress.nats.connected) {
    reasons.push(`channel ${channel}: orderer not connected to NATS (reconnecting)`);
  }
  return { detail: { ordererLog: progress }, reasons, failed: progress.failure !== undefined };
}
