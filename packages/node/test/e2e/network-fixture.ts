// A `weft up` network for e2e tests: up()'s code path (the CLI's), one
// process per node, solo or jetstream ordering, on ports probed free first.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type OrderingType, parseTx, toHex, txCodeName } from '@weft/core';
import { GatewayClient } from '../../src/client/gateway-client.js';
import { ChannelLedger, openNodeDatabase } from '../../src/ledger/index.js';
import { type LoadedMember, loadMember } from '../../src/material/member.js';
import { type DevNode, devNatsPorts } from '../../src/up/dev-network.js';
import { type RunningNetwork, up } from '../../src/up/up.js';
import { freeBasePort } from './ports.js';
import type { ChannelHealth } from './test-network.js';

export const CHANNEL = 'weft';

export interface UpNetwork {
  dir: string;
  net: RunningNetwork;
  /** One client over every gateway, in order. */
  client: GatewayClient;
  orderers: DevNode[];
  peers: DevNode[];
  gateways: DevNode[];
  material(ref: string): Promise<LoadedMember>;
  /** Stops every process and the NATS cluster (once; later calls wait for the first). */
  stop(): Promise<void>;
  /** stop(), then removes the network's directory. */
  destroy(): Promise<void>;
}

/**
 * `weft up` with 2 orgs x 2 peers and `ordering` (solo: 1 orderer;
 * jetstream: 3 orderers on a 3-server NATS cluster), a base port in
 * [min, max) whose node and NATS ports are free.
 */
export async function startUpNetwork(options: {
  ordering: OrderingType;
  min: number;
  max: number;
}): Promise<UpNetwork> {
  const { ordering } = options;
  const dir = await mkdtemp(path.join(os.tmpdir(), `weft-e2e-${ordering}-`));
  const orderers = ordering === 'jetstream' ? 3 : 1;
  const nats = ordering === 'jetstream' ? devNatsPorts(0) : [];
  const basePort = await freeBasePort({
    nodes: orderers + 4,
    min: options.min,
    max: options.max,
    extra: nats.flatMap((p) => [p.client, p.cluster, p.http]),
  });
  let net: RunningNetwork;
  try {
    net = await up({
      dir,
      orgs: 2,
      peersPerOrg: 2,
      basePort,
      channel: CHANNEL,
      ordering,
      startingCoins: 1000n,
      out: () => {},
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const nodes = net.prepared.nodes;
  const gateways = nodes.filter((n) => n.roles.includes('gateway'));
  const client = await GatewayClient.connect({
    gateways: gateways.map((n) => n.ws),
    channel: CHANNEL,
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= client.close().finally(() => net.stop());
    return stopping;
  };
  return {
    dir,
    net,
    client,
    orderers: nodes.filter((n) => n.roles.includes('orderer')),
    peers: nodes.filter((n) => n.roles.includes('peer')),
    gateways,
    material: (ref) => loadMember(path.join(net.prepared.materialDir, 'orgs', ref)),
    stop,
    destroy: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A node's view of the channel, from its /healthz. */
export async function channelHealth(node: DevNode): Promise<ChannelHealth> {
  const res = await fetch(`${node.opsUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { channels: ChannelHealth[] };
  const c = body.channels.find((x) => x.name === CHANNEL);
  if (!c) throw new Error(`${node.name} reports no channel ${CHANNEL}`);
  return c;
}

export interface ChainTx {
  txid: string;
  block: number;
  index: number;
  code: string;
}

/** Every transaction in a stopped peer's ledger, in chain order, and the ledger's tip. */
export async function readPeerChain(
  node: DevNode,
): Promise<{ txs: ChainTx[]; height: number; lastHash: string; commitHash: string }> {
  const db = await openNodeDatabase({ path: path.join(node.config.dataDir, 'db') });
  try {
    const ledger = await ChannelLedger.open({ db, channel: CHANNEL });
    try {
      const info = ledger.info();
      const txs: ChainTx[] = [];
      for (let n = 1; n < info.height; n++) {
        const stored = await ledger.getBlock(n);
        if (!stored)
          throw new Error(`${node.name}: block ${n} missing below height ${info.height}`);
        stored.block.data.forEach((bytes, index) => {
          txs.push({
            txid: toHex(parseTx(bytes).txid),
            block: n,
            index,
            code: txCodeName(stored.codes[index]!),
          });
        });
      }
      return {
        txs,
        height: info.height,
        lastHash: toHex(info.lastHash),
        commitHash: toHex(info.commitHash),
      };
    } finally {
      await ledger.close();
    }
  } finally {
    await db.close();
  }
}
