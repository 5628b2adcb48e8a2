import type { PeerId } from '@libp2p/interface';
import { type Channel, verifyBlockSeal } from '@weft/core';
import type { Logger } from 'pino';
import type { GossipConfig } from '../config/index.js';
import type { ChannelLedger } from '../ledger/index.js';
import type { NodeHost } from '../net/index.js';
import type { NodeMetrics } from '../ops/index.js';
import type { CommitPipeline } from '../pipeline/commit-pipeline.js';
import { AttestationPull } from './attestation-pull.js';
import { type PeerHeight, StateTransfer } from './state-transfer.js';

export interface PullsOptions {
  host: NodeHost;
  channel: Channel;
  ledger: ChannelLedger;
  pipeline: CommitPipeline;
  config: GossipConfig;
  metrics: NodeMetrics;
  log: Logger;
  now: () => number;
  signal: AbortSignal;
  peers: () => PeerHeight[];
  punish: (peer: PeerId, reason: string) => void;
}

/**
 * The two pull loops of a channel's gossip, both every `pullIntervalMs` and
 * neither needing the orderer: state transfer (blocks from peers ahead)
 * and attestation anti-entropy, which also compares the attestations of
 * every block state transfer brought. Resolve when `signal` aborts.
 */
export function runPulls(o: PullsOptions): Promise<void>[] {
  const name = o.channel.config.channel;
  const { host, channel, ledger, metrics, log, now, signal, peers, punish } = o;
  const attestations = new AttestationPull({
    ...{ host, channel, ledger, metrics, log, now, signal, peers, punish },
    intervalMs: o.config.pullIntervalMs,
  });
  const transfer = new StateTransfer({
    ...{ host, pipeline: o.pipeline, log, signal, peers, punish },
    channel: name,
    verifySeal: async (block) => {
      await verifyBlockSeal({ block, channel });
    },
    onPulled: (n, from) => {
      metrics.blockReceived(name, 'pull', n);
      attestations.enqueue(from, from + n);
    },
    intervalMs: o.config.pullIntervalMs,
    batchSize: o.config.stateTransferBatchSize,
  });
  return [transfer.run(), attestations.run()];
}
