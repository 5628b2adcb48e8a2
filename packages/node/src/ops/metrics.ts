import type { TxCodeName } from '@weft/core';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export type GossipDirection = 'in' | 'out';
/** Inbound: the topic validator's verdict; outbound messages are 'sent'. */
export type GossipVerdict = 'accept' | 'reject' | 'ignore' | 'sent';
/** What cut a block: a full batch (count, bytes), the batch timeout, or a flush on close. */
export type CutReason = 'count' | 'bytes' | 'timeout' | 'forced';
/**
 * A jetstream orderer's time-to-cut markers: appended by this orderer
 * (sent), read from the log and cut a block (cut), read and changed
 * nothing because another marker or a full batch cut that block first
 * (ignored).
 */
export type TtcOutcome = 'sent' | 'cut' | 'ignored';
/** Why a log message changed nothing: a txid already ordered or pending, or not a record of ours. */
export type LogSkipReason = 'duplicate' | 'invalid';
/** What a jetstream orderer appends to its channel's stream. */
export type LogAppendKind = 'tx' | 'ttc' | 'sig';

/** Where a jetstream orderer is in its channel's log, read at each scrape. */
export interface OrdererLogGauges {
  /** Stream sequence of the last message read and applied to the cutter (0: none yet). */
  consumedSeq: number;
  /** Stream sequence of the last message whose effect is in a stored block. */
  appliedSeq: number;
  /** Envelopes read and not yet cut into a block. */
  pending: number;
  /** Whether the orderer's NATS connection is up. */
  connected: boolean;
}

/** What an orderer reports; NodeMetrics implements it, orderers take it as an option. */
export interface OrdererMetrics {
  blockCut(channel: string, reason: CutReason): void;
  ttcMarker(channel: string, outcome: TtcOutcome): void;
  logSkipped(channel: string, reason: LogSkipReason): void;
  /** An append the log did not take in time (ORDERER_LOG_UNAVAILABLE). */
  logAppendFailed(channel: string, kind: LogAppendKind): void;
  /** Reads `gauges` at every scrape until the returned function is called. */
  watchOrdererLog(channel: string, gauges: () => OrdererLogGauges): () => void;
}
export type RpcOutcome = 'ok' | 'error' | 'timeout' | 'refused';
/** Where a peer got a block: deliver from an orderer, gossip push, or pull from a peer. */
export type BlockSource = 'orderer' | 'push' | 'pull';
/**
 * What became of an attestation pulled from another peer: stored; forged
 * (the sender was penalised); mismatch (signed about another block at that
 * height); expired (its certificate is not valid now).
 */
export type PulledAttestationOutcome = 'stored' | 'forged' | 'mismatch' | 'expired';

export interface NodeMetricsOptions {
  /** Set as a `node` label on every series, so nodes sharing one Prometheus stay apart. */
  node?: string;
  /**
   * Process metrics (CPU, memory, event loop lag). Off when several nodes
   * share one process (`weft up`), where they would be reported N times.
   */
  processMetrics?: boolean;
  /** Metric name prefix; default 'weft_'. */
  prefix?: string;
}

/**
 * A node's metrics in its own prom-client Registry (never the global one:
 * a dev network runs several nodes in one process and each must report
 * only itself). Callers use the typed methods; names follow Prometheus
 * conventions (`_total` counters, base units).
 *
 * Throughput is derived, not stored: tx/s is
 * `rate(weft_committed_transactions_total[1m])`, by channel or code.
 */
export class NodeMetrics implements OrdererMetrics {
  readonly registry: Registry;
  readonly #ledgerHeight: Gauge<'channel'>;
  readonly #committedTx: Counter<'channel' | 'code'>;
  readonly #gossipMessages: Counter<'channel' | 'direction' | 'type' | 'verdict'>;
  readonly #connectedPeers: Gauge;
  readonly #leader: Gauge<'channel'>;
  readonly #blocksCut: Counter<'channel' | 'reason'>;
  readonly #blocksReceived: Counter<'channel' | 'source'>;
  readonly #gossipPeers: Gauge<'channel'>;
  readonly #rpcRequests: Counter<'protocol' | 'outcome'>;
  readonly #attestationsPulled: Counter<'channel' | 'outcome'>;
  readonly #ttcMarkers: Counter<'channel' | 'outcome'>;
  readonly #logSkipped: Counter<'channel' | 'reason'>;
  readonly #logAppendsFailed: Counter<'channel' | 'kind'>;
  readonly #logGauges: Record<keyof OrdererLogGauges, Gauge<'channel'>>;
  /** Per channel, where to read the orderer log gauges at scrape time. */
  readonly #logSources = new Map<string, () => OrdererLogGauges>();

  constructor(options: NodeMetricsOptions = {}) {
    const p = options.prefix ?? 'weft_';
    this.registry = new Registry();
    const registers = [this.registry];
    if (options.node !== undefined) this.registry.setDefaultLabels({ node: options.node });
    if (options.processMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: p });
    this.#ledgerHeight = new Gauge({
      name: `${p}ledger_height`,
      help: 'Blocks committed to the ledger (the next block number), per channel',
      labelNames: ['channel'],
      registers,
    });
    this.#committedTx = new Counter({
      name: `${p}committed_transactions_total`,
      help: 'Transactions committed, by channel and validation code (rate() gives tx/s)',
      labelNames: ['channel', 'code'],
      registers,
    });
    this.#gossipMessages = new Counter({
      name: `${p}gossip_messages_total`,
      help: 'Gossip messages by channel, direction, message type and verdict',
      labelNames: ['channel', 'direction', 'type', 'verdict'],
      registers,
    });
    this.#connectedPeers = new Gauge({
      name: `${p}connected_peers`,
      help: 'libp2p peers currently connected',
      registers,
    });
    this.#leader = new Gauge({
      name: `${p}gossip_leader`,
      help: '1 while this peer is its org leader on the channel, else 0',
      labelNames: ['channel'],
      registers,
    });
    this.#blocksCut = new Counter({
      name: `${p}orderer_blocks_cut_total`,
      help: 'Blocks cut by this orderer, by channel and what triggered the cut',
      labelNames: ['channel', 'reason'],
      registers,
    });
    this.#blocksReceived = new Counter({
      name: `${p}blocks_received_total`,
      help: 'Blocks a peer received and offered to its commit pipeline, by source (orderer, push, pull)',
      labelNames: ['channel', 'source'],
      registers,
    });
    this.#gossipPeers = new Gauge({
      name: `${p}gossip_peers`,
      help: 'Peers of the channel heard from (alive) within the election timeout',
      labelNames: ['channel'],
      registers,
    });
    this.#rpcRequests = new Counter({
      name: `${p}rpc_requests_total`,
      help: 'Protocol requests served, by libp2p protocol id and outcome',
      labelNames: ['protocol', 'outcome'],
      registers,
    });
    this.#attestationsPulled = new Counter({
      name: `${p}attestations_pulled_total`,
      help: 'Commit attestations fetched from other peers (anti-entropy), by outcome',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.#ttcMarkers = new Counter({
      name: `${p}orderer_ttc_markers_total`,
      help: 'Time-to-cut markers of a jetstream orderer: sent by it, read and cut a block, read and ignored',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.#logSkipped = new Counter({
      name: `${p}orderer_log_skipped_total`,
      help: 'Log messages a jetstream orderer skipped: duplicate txids (retried appends) or invalid records',
      labelNames: ['channel', 'reason'],
      registers,
    });
    this.#logAppendsFailed = new Counter({
      name: `${p}orderer_log_appends_failed_total`,
      help: 'Appends to the channel stream that timed out (ORDERER_LOG_UNAVAILABLE), by record kind',
      labelNames: ['channel', 'kind'],
      registers,
    });
    // Read from the orderer at scrape time: its hot path keeps only its own state.
    const gauge = (key: keyof OrdererLogGauges, name: string, help: string) =>
      new Gauge({
        name: `${p}${name}`,
        help,
        labelNames: ['channel'],
        registers,
        collect: () => {
          for (const [channel, read] of this.#logSources) {
            this.#logGauges[key].set({ channel }, Number(read()[key]));
          }
        },
      });
    this.#logGauges = {
      consumedSeq: gauge(
        'consumedSeq',
        'orderer_log_consumed_sequence',
        'Stream sequence of the last log message a jetstream orderer read and applied',
      ),
      appliedSeq: gauge(
        'appliedSeq',
        'orderer_log_applied_sequence',
        'Stream sequence of the last log message whose effect is in a block this orderer stored',
      ),
      pending: gauge(
        'pending',
        'orderer_pending_envelopes',
        'Envelopes a jetstream orderer read from the log and has not yet cut into a block',
      ),
      connected: gauge(
        'connected',
        'orderer_log_connected',
        '1 while a jetstream orderer is connected to a NATS server of its log, else 0',
      ),
    };
  }

  setLedgerHeight(channel: string, height: number): void {
    this.#ledgerHeight.set({ channel }, height);
  }

  /** Counts committed transactions; call once per block with each code's count. */
  txCommitted(channel: string, code: TxCodeName, count = 1): void {
    if (count > 0) this.#committedTx.inc({ channel, code }, count);
  }

  gossipMessage(labels: {
    channel: string;
    direction: GossipDirection;
    type: string;
    verdict: GossipVerdict;
  }): void {
    this.#gossipMessages.inc(labels);
  }

  setConnectedPeers(count: number): void {
    this.#connectedPeers.set(count);
  }

  setLeader(channel: string, isLeader: boolean): void {
    this.#leader.set({ channel }, isLeader ? 1 : 0);
  }

  blockCut(channel: string, reason: CutReason): void {
    this.#blocksCut.inc({ channel, reason });
  }

  blockReceived(channel: string, source: BlockSource, count = 1): void {
    this.#blocksReceived.inc({ channel, source }, count);
  }

  setGossipPeers(channel: string, count: number): void {
    this.#gossipPeers.set({ channel }, count);
  }

  rpcRequest(protocol: string, outcome: RpcOutcome): void {
    this.#rpcRequests.inc({ protocol, outcome });
  }

  attestationsPulled(channel: string, outcome: PulledAttestationOutcome, count = 1): void {
    if (count > 0) this.#attestationsPulled.inc({ channel, outcome }, count);
  }

  ttcMarker(channel: string, outcome: TtcOutcome): void {
    this.#ttcMarkers.inc({ channel, outcome });
  }

  logSkipped(channel: string, reason: LogSkipReason): void {
    this.#logSkipped.inc({ channel, reason });
  }

  logAppendFailed(channel: string, kind: LogAppendKind): void {
    this.#logAppendsFailed.inc({ channel, kind });
  }

  watchOrdererLog(channel: string, gauges: () => OrdererLogGauges): () => void {
    this.#logSources.set(channel, gauges);
    return () => {
      if (this.#logSources.get(channel) !== gauges) return;
      this.#logSources.delete(channel);
      for (const g of Object.values(this.#logGauges)) g.remove({ channel });
    };
  }

  /** Drops a channel's series after the node leaves it, so stale heights do not linger. */
  forgetChannel(channel: string): void {
    this.#ledgerHeight.remove({ channel });
    this.#leader.remove({ channel });
    this.#gossipPeers.remove({ channel });
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
