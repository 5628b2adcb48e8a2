import type { Channel } from '@weft/core';
import { readGenesisFile } from '../material/genesis.js';
import type { NatsCluster } from '../orderer/index.js';
import { type PreparedNetwork, prepareDevNetwork } from '../up/dev-network.js';
import type { NodeProcess } from '../up/supervisor.js';
import { startDevProcesses } from '../up/up.js';
import type { Measured } from './e2e-cpu.js';
import type { E2eOrderer } from './e2e-orderers.js';
import { natsProcesses } from './e2e-target.js';

/** The ordering service of a `weft up` layout running alone: no peer is started. */
export interface OrderingService {
  prepared: PreparedNetwork;
  channel: Channel;
  /** Orderer node processes, in the channel config's order. */
  orderers: { name: string; opsUrl: string; process: NodeProcess }[];
  nats?: NatsCluster;
  /** The orderers and NATS servers, for CPU accounting. */
  measured(): Measured[];
  stop(): Promise<void>;
}

/**
 * Prepares the same network `weft up` (and `weft bench e2e`) would in `dir`
 * (material, genesis, node configs; peers' material too, so their keys can
 * broadcast and endorse) but starts only the ordering service: the NATS
 * cluster for jetstream and each orderer node as its own process.
 */
export async function startOrderingService(o: {
  dir: string;
  orderer: E2eOrderer;
  orgs: number;
  peersPerOrg: number;
  basePort: number;
  channel: string;
  log: (line: string) => void;
}): Promise<OrderingService> {
  const prepared = await prepareDevNetwork({ ...o, ordering: o.orderer });
  const channel = (await readGenesisFile(prepared.genesisFile)).channel;
  const nodes = prepared.nodes.filter((n) => n.roles.includes('orderer'));
  const { processes, nats, stop } = await startDevProcesses(prepared, {
    dir: o.dir,
    nodes,
    log: o.log,
  });
  const orderers = nodes.map((n, i) => ({
    name: n.name,
    opsUrl: n.opsUrl,
    process: processes[i]!,
  }));
  return {
    prepared,
    channel,
    orderers,
    ...(nats ? { nats } : {}),
    measured: () => [
      ...orderers.map((n) => ({ name: n.name, roles: ['orderer'], pid: n.process.child.pid })),
      ...natsProcesses(nats),
    ],
    stop,
  };
}
