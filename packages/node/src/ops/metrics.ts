import type { TxCodeName } from '@weft/core';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export type GossipDirection = 'in' | 'out';
/** Inbound: the topic validator's verdict; outbound messages are 'sent'. */
export type GossipVerdict = 'accept' | 'reject' | 'ignore' | 'sent';
export type CutReason = 'count' | 'bytes' | 'timeout';
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
export class NodeMetrics {
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
