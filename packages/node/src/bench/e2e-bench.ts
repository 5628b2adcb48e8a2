import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { coinKey, MAX_COINS_PER_TX, txCodeName } from '@weft/core';
import { GatewayClient } from '../client/gateway-client.js';
import { mintProposal, type ProposalAuthor } from '../client/proposals.js';
import { type RunningNetwork, up } from '../up/up.js';
import { cpuOf, isOrdering, type Measured, startCpuSampling } from './e2e-cpu.js';
import { type BenchCoin, runLoad } from './e2e-load.js';
import { E2E_ORDERERS, type E2eOrderer } from './e2e-orderers.js';
import {
  channelHeight,
  loadMembers,
  peersCaughtUp,
  type Target,
  targetRunning,
  targetStarted,
} from './e2e-target.js';
import { round } from './stats.js';

export { E2E_ORDERERS } from './e2e-orderers.js';

/**
 * Default outstanding spends per gateway with `--rate max`: libp2p's default
 * bound on concurrent inbound streams of one protocol on one connection,
 * which the nodes keep for broadcast and endorse. A gateway holds one
 * broadcast stream to the orderer per transaction until its block is
 * stored, so more than this per gateway fails instead of queueing.
 */
export const IN_FLIGHT_PER_GATEWAY = 32;

export interface E2eBenchOptions {
  /** Seconds of load. */
  duration: number;
  /** Transactions per second offered, or 'max' (closed loop with `inFlight` in flight). */
  rate: number | 'max';
  /** Workers of `--rate max`; default IN_FLIGHT_PER_GATEWAY per gateway. */
  inFlight?: number;
  /** Gateway connections (each its own libp2p host), spread over the gateways. */
  clients: number;
  /** Coins minted for `--rate max` (the run ends early when all are spent). */
  txs?: number;
  orgs: number;
  peersPerOrg: number;
  /** Ordering of the started network (a running one keeps its own). */
  orderer: E2eOrderer;
  /** A running network to target (a `weft up` directory); else one is started. */
  network?: string;
  /** Where the started network lives (default: a temporary directory, removed afterwards). */
  dir?: string;
  basePort: number;
  channel: string;
  log?: (line: string) => void;
}

/** Mints `count` coins to the client members, MAX_COINS_PER_TX to a mint, a few mints at once. */
async function mintCoins(t: Target, clients: readonly GatewayClient[], count: number) {
  const load = (role: string) => loadMembers(t.materialDir, t.manifest, role);
  const banks: ProposalAuthor[] = (await load('cb')).map((m) => m.member);
  const owners: ProposalAuthor[] = (await load('client')).map((m) => m.member);
  const signers = banks.slice(0, t.channelConfig.config.fabcoin.mintThreshold);
  if (owners.length === 0 || signers.length === 0)
    throw new Error('no client or central bank material');
  const coins: BenchCoin[] = [];
  const batches = Math.ceil(count / MAX_COINS_PER_TX);
  const worker = async (w: number) => {
    for (let b = w; b < batches; b += clients.length) {
      const n = Math.min(MAX_COINS_PER_TX, count - b * MAX_COINS_PER_TX);
      const owner = owners[b % owners.length]!;
      const out = { amount: 1n, owner: owner.cert.publicKey, label: 'FBC' };
      const { signedProposal, txid } = await mintProposal(t.channel, signers, Array(n).fill(out));
      const status = await clients[w]!.submit(signedProposal, true);
      if (status.status !== 'committed' || txCodeName(status.code) !== 'VALID')
        throw new Error(`a setup mint did not commit VALID: ${JSON.stringify(status.status)}`);
      for (let j = 0; j < n; j++)
        coins.push({ key: coinKey(txid, j), amount: 1n, label: 'FBC', owner });
    }
  };
  await Promise.all(clients.map((_, w) => worker(w)));
  return { coins, mints: batches };
}

const perTx = (seconds: number, txs: number) => (txs ? round((seconds * 1000) / txs, 2) : null);

/**
 * `weft bench e2e`: Caliper-style, against a real network (started here,
 * one process per node, or a running one): mints one coin per spend
 * (untimed), then drives signed one-in/one-out Fabcoin spends through the
 * gateways from several connections at a fixed rate or closed loop, and
 * reports counts, rates, latency from submission to commit status, and
 * the CPU each node (and the load generator) used meanwhile.
 */
export async function runE2eBench(o: E2eBenchOptions) {
  const log = o.log ?? (() => {});
  if (!(E2E_ORDERERS as readonly string[]).includes(o.orderer))
    throw new Error(`unknown orderer ${o.orderer}: expected ${E2E_ORDERERS.join(' or ')}`);
  let net: RunningNetwork | undefined;
  let dir: string | undefined;
  const clients: GatewayClient[] = [];
  try {
    let t: Target;
    if (o.network) {
      t = await targetRunning(path.resolve(o.network));
    } else {
      dir = o.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'weft-bench-e2e-')));
      const orderers =
        o.orderer === 'jetstream' ? '3 jetstream orderers + 3 NATS servers' : '1 solo orderer';
      log(`starting ${orderers} + ${o.orgs} orgs x ${o.peersPerOrg} peers in ${dir}`);
      net = await up({
        dir,
        ordering: o.orderer,
        orgs: o.orgs,
        peersPerOrg: o.peersPerOrg,
        basePort: o.basePort,
        channel: o.channel,
        startingCoins: 0n,
        out: (text) => log(text.trimEnd()),
      });
      t = await targetStarted(net, o.channel);
    }
    const gateways = t.nodes.filter((n) => n.roles.includes('gateway')).map((n) => n.ws);
    if (gateways.length === 0) throw new Error('the network has no gateway');
    for (let i = 0; i < o.clients; i++) {
      // Each connection prefers its own gateway and fails over to the others.
      const order = gateways.map((_, j) => gateways[(i + j) % gateways.length]!);
      clients.push(await GatewayClient.connect({ gateways: order, channel: t.channel }));
    }
    await Promise.all(clients.map((c) => c.status(new Uint8Array(32))));

    const count = o.rate === 'max' ? (o.txs ?? o.duration * 1000) : Math.floor(o.rate * o.duration);
    const setupStart = performance.now();
    const minted = await mintCoins(t, clients, count);
    await peersCaughtUp(t);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    log(
      `minted ${minted.coins.length} coins in ${minted.mints} mints (${round(setupSeconds, 1)} s); measuring`,
    );

    const peer = t.nodes.find((n) => n.roles.includes('peer'));
    const heightBefore = peer && (await channelHeight(peer.ops));
    // The NATS servers are part of the ordering service: measured beside the nodes.
    const measured: Measured[] = [
      ...t.nodes.map((n) => ({ name: n.name, roles: n.roles, pid: n.pid })),
      ...t.nats,
    ];
    const cpu = await startCpuSampling(measured);
    const inFlight = o.inFlight ?? IN_FLIGHT_PER_GATEWAY * gateways.length;
    const load = await runLoad({
      channel: t.channel,
      clients,
      coins: minted.coins,
      rate: o.rate,
      durationMs: o.duration * 1000,
      inFlight,
      log,
    });
    const usage = await cpu.stop();
    const heightAfter = peer && (await channelHeight(peer.ops));
    const blocks =
      heightBefore !== undefined && heightAfter !== undefined ? heightAfter - heightBefore : null;

    const peerOrgs = t.manifest.orgs.filter((org) => org.kind === 'peer');
    const { ordering } = t.channelConfig.config;
    return {
      topology: {
        orderer: ordering.type,
        orderers: t.nodes.filter((n) => n.roles.includes('orderer')).length,
        natsServers: t.nats.length,
        orgs: peerOrgs.length,
        peersPerOrg: peerOrgs[0]?.members.filter((m) => m.role === 'peer').length ?? 0,
        gateways: gateways.length,
        channel: t.channel,
        batch: { maxTxCount: ordering.maxTxCount, batchTimeoutMs: ordering.batchTimeoutMs },
        started: !o.network,
      },
      load: {
        mode: o.rate === 'max' ? 'closed-loop' : 'fixed-rate',
        offeredRate: o.rate === 'max' ? null : o.rate,
        inFlight: o.rate === 'max' ? inFlight : null,
        connections: clients.length,
        durationS: o.duration,
      },
      setup: { coins: minted.coins.length, mints: minted.mints, seconds: round(setupSeconds, 2) },
      ...load,
      blocks,
      validTxPerBlock: blocks ? round(load.succeeded / blocks, 1) : null,
      cpu: {
        ...usage,
        /**
         * CPU milliseconds per VALID transaction: all measured processes
         * (nodes and NATS servers), the ordering service alone (orderers
         * and NATS), and the load generator.
         */
        msPerValidTx: {
          nodes: perTx(
            cpuOf(usage.nodes, () => true),
            load.succeeded,
          ),
          ordering: perTx(cpuOf(usage.nodes, isOrdering), load.succeeded),
          loadGenerator: perTx(usage.loadGenerator.cpuSeconds ?? 0, load.succeeded),
        },
      },
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await net?.stop();
    if (dir && !o.dir) await rm(dir, { recursive: true, force: true });
  }
}
