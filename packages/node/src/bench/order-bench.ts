import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { metricSeries } from '../ops/metrics-text.js';
import { cpuOf, isOrdering, startCpuSampling } from './e2e-cpu.js';
import { E2E_ORDERERS, type E2eOrderer } from './e2e-orderers.js';
import { channelHeight, loadMembers } from './e2e-target.js';
import { envelopeKey, spendEnvelopes } from './order-envelopes.js';
import { admissionLimit, logAppendRate } from './order-limits.js';
import {
  BROADCAST_STREAMS_PER_CONNECTION,
  broadcastAll,
  connectBroadcasters,
  type Delivered,
  followDeliver,
} from './order-load.js';
import { startOrderingService } from './order-network.js';
import { round } from './stats.js';

export interface OrderBenchOptions {
  orderer: E2eOrderer;
  /** Envelopes broadcast (timed), each once. */
  txs: number;
  /** Broadcasts outstanding at once (closed loop). */
  inFlight: number;
  /** Peer orgs and peers per org of the layout: whose keys broadcast, and who endorses the envelopes. */
  orgs: number;
  peersPerOrg: number;
  basePort: number;
  channel: string;
  /** Where the network lives (default: a temporary directory, removed afterwards). */
  dir?: string;
  log?: (line: string) => void;
}

/** How long to keep following after the last envelope arrived, so a later copy would be seen. */
const settleMs = (batchTimeoutMs: number) => 2 * batchTimeoutMs + 500;

/** The orderer's weft_orderer_blocks_cut_total by reason, from its /metrics. */
async function cutsOf(opsUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  const cuts: Record<string, number> = {};
  for (const s of metricSeries(text, 'weft_orderer_blocks_cut_total'))
    if (s.labels.reason) cuts[s.labels.reason] = s.value;
  return cuts;
}

function diff(after: Record<string, number>, before: Record<string, number>) {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

/** Until every follower saw every key, or `ms` passed: whether they all did. */
async function allSeen(followers: readonly Delivered[], ms: number): Promise<boolean> {
  const timeout = sleep(ms).then(() => false);
  return Promise.race([Promise.all(followers.map((f) => f.allSeen)).then(() => true), timeout]);
}

/**
 * `weft bench order`: ordering alone, no peers. Starts the ordering service
 * of the `weft up` layout (1 solo orderer, or 3 jetstream orderers on 3
 * NATS servers) as separate processes, builds signed spend envelopes
 * (untimed), then broadcasts them over libp2p /weft/broadcast from hosts
 * holding peers' keys (as gateways do), `inFlight` at a time spread over
 * every orderer, and follows /weft/deliver from every orderer: envelopes
 * per second into delivered blocks, broadcast-to-acknowledgement latency,
 * and in the same run the limits of this machine (admission signature
 * checks; for jetstream, JetStream appends).
 */
export async function runOrderBench(o: OrderBenchOptions) {
  const log = o.log ?? (() => {});
  if (!(E2E_ORDERERS as readonly string[]).includes(o.orderer))
    throw new Error(`unknown orderer ${o.orderer}: expected ${E2E_ORDERERS.join(' or ')}`);
  const dir = o.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'weft-bench-order-')));
  log(`starting the ${o.orderer} ordering service in ${dir}`);
  const svc = await startOrderingService({ ...o, dir, log });
  let broadcasters: Awaited<ReturnType<typeof connectBroadcasters>> | undefined;
  const stopFollowing = new AbortController();
  try {
    const { channel, prepared } = svc;
    const name = channel.config.channel;
    const { ordering } = channel.config;
    const clients = await loadMembers(prepared.materialDir, prepared.manifest, 'client');
    const peers = await loadMembers(prepared.materialDir, prepared.manifest, 'peer');
    // One endorsement from each of a majority of peer orgs: the default policy.
    const orgs = [...new Set(peers.map((p) => p.org))];
    const endorsers = orgs
      .slice(0, Math.floor(orgs.length / 2) + 1)
      .map((org) => peers.find((p) => p.org === org)!.member);
    const setupStart = performance.now();
    const envelopes = await spendEnvelopes({
      channel: name,
      count: o.txs,
      clients: clients.map((c) => c.member),
      endorsers,
    });
    const keys = new Set(envelopes.map(envelopeKey));
    const buildSeconds = (performance.now() - setupStart) / 1000;
    log(`built ${envelopes.length} envelopes in ${round(buildSeconds, 1)} s`);

    broadcasters = await connectBroadcasters({ identities: peers.map((p) => p.member), channel });
    const { hosts, orderers } = broadcasters;
    const connections = hosts.length * orderers.length;
    if (o.inFlight > connections * BROADCAST_STREAMS_PER_CONNECTION)
      throw new RangeError(
        `--in-flight ${o.inFlight} exceeds ${BROADCAST_STREAMS_PER_CONNECTION} streams on each of ${connections} connections`,
      );
    const opsUrl = svc.orderers[0]!.opsUrl;
    const from = (await channelHeight(opsUrl)) ?? 1;
    const cutsBefore = await cutsOf(opsUrl);
    const followers = orderers.map((orderer) =>
      followDeliver({
        host: hosts[0]!,
        orderer,
        channel: name,
        from,
        keys,
        signal: stopFollowing.signal,
        log,
      }),
    );
    log(`measuring: ${o.txs} broadcasts, ${o.inFlight} in flight over ${connections} connections`);
    const cpu = await startCpuSampling(svc.measured());
    const load = await broadcastAll({
      ...broadcasters,
      channel: name,
      envelopes,
      inFlight: o.inFlight,
      log,
    });
    const complete = await allSeen(followers, Math.max(10_000, settleMs(ordering.batchTimeoutMs)));
    const usage = await cpu.stop();
    await sleep(settleMs(ordering.batchTimeoutMs));
    stopFollowing.abort();
    await Promise.all(followers.map((f) => f.done));
    const cuts = diff(await cutsOf(opsUrl), cutsBefore);

    const first = followers[0]!;
    const ordered = first.seen.size;
    const duplicates = [...first.seen.values()].reduce((s, n) => s + n - 1, 0);
    const seconds = (first.lastOurs - load.start) / 1000;
    const throughput = seconds > 0 ? ordered / seconds : 0;
    log(`ordered ${ordered} in ${round(seconds, 2)} s; measuring this machine's limits`);
    const admission = await admissionLimit(orderers.length);
    const js = ordering.jetstream;
    const logAppend =
      js && svc.nats
        ? await logAppendRate({
            servers: svc.nats.servers,
            stream: js.stream,
            replicas: js.replicas,
            envelopes: envelopes.slice(0, 5_000),
            inFlight: o.inFlight,
          })
        : null;
    const limit = Math.min(admission.envelopesPerSec, logAppend?.appendsPerSec ?? Infinity);
    const perEnvelope = (s: number) => (ordered ? round((s * 1000) / ordered, 3) : null);
    return {
      topology: {
        orderer: ordering.type,
        orderers: orderers.length,
        natsServers: svc.nats?.specs.length ?? 0,
        peers: 0,
        channel: name,
        batch: {
          maxTxCount: ordering.maxTxCount,
          maxBytes: ordering.maxBytes,
          batchTimeoutMs: ordering.batchTimeoutMs,
        },
      },
      load: {
        path: 'libp2p /weft/broadcast from hosts with peer keys; /weft/deliver from every orderer',
        mode: 'closed-loop',
        inFlight: o.inFlight,
        broadcasters: hosts.length,
        connections,
        envelopeBytes: Math.round(envelopes.reduce((s, e) => s + e.length, 0) / envelopes.length),
        endorsementsPerEnvelope: endorsers.length,
      },
      setup: { buildSeconds: round(buildSeconds, 2) },
      sent: load.sent,
      acked: load.acked,
      failed: load.failed,
      failures: load.failures,
      /** Distinct envelopes of this run in blocks delivered by the first orderer. */
      ordered,
      duplicates,
      missing: o.txs - ordered,
      foreign: first.foreign,
      complete,
      everyEnvelopeOnce: ordered === o.txs && duplicates === 0 && first.foreign === 0,
      /** Every orderer delivered the same blocks (hashes), block for block. */
      agreed: followers.every((f) => f.hashes.join() === first.hashes.join()),
      blocks: first.hashes.length,
      envelopesPerBlock: first.hashes.length ? round(ordered / first.hashes.length, 1) : null,
      cuts,
      /** Envelopes per second into delivered blocks: first send to the last block holding one. */
      throughput: round(throughput, 1),
      ackThroughput: load.ackThroughput,
      seconds: round(seconds, 2),
      latencyMs: load.latencyMs,
      limits: {
        admission,
        logAppend,
        limit,
        efficiency: round(throughput / limit, 3),
      },
      cpu: {
        ...usage,
        msPerEnvelope: {
          ordering: perEnvelope(cpuOf(usage.nodes, isOrdering)),
          loadGenerator: perEnvelope(usage.loadGenerator.cpuSeconds ?? 0),
        },
      },
    };
  } finally {
    stopFollowing.abort();
    await broadcasters?.close();
    await svc.stop();
    if (!o.dir) await rm(dir, { recursive: true, force: true });
  }
}
