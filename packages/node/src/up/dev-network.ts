import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OrderingType } from '@weft/core';
import {
  loadNodeConfig,
  type NodeConfig,
  type NodeRole,
  resolveNodeConfig,
  writeNodeConfig,
} from '../config/index.js';
import { readGenesisFile } from '../material/genesis.js';
import {
  createChannelGenesis,
  defaultNetworkSpec,
  formatNetworkSpec,
  generateMaterial,
  type MaterialManifest,
} from '../material/index.js';

export interface DevNetworkLayout {
  dir: string;
  orgs: number;
  peersPerOrg: number;
  /**
   * Orderers listen on basePort (one solo, or three jetstream orderers on
   * +0..+2), peers after them; WebSockets at +100, ops at +2000, and for
   * jetstream the NATS servers' client, route and monitoring ports at
   * +3000, +3100 and +3200.
   */
  basePort: number;
  channel: string;
  /** How a new network is ordered (default solo); an existing one keeps its own. */
  ordering?: OrderingType;
}

/** Servers of the dev network's NATS cluster (jetstream ordering). */
const DEV_NATS_SERVERS = 3;

/** The NATS cluster's ports for `basePort` (see DevNetworkLayout). */
export function devNatsPorts(
  basePort: number,
): { client: number; cluster: number; http: number }[] {
  return Array.from({ length: DEV_NATS_SERVERS }, (_, i) => ({
    client: basePort + 3000 + i,
    cluster: basePort + 3100 + i,
    http: basePort + 3200 + i,
  }));
}

export interface DevNode {
  name: string;
  configFile: string;
  config: NodeConfig;
  roles: NodeRole[];
  tcp: string;
  ws: string;
  opsUrl: string;
  /** The org whose CA this node runs (the first peer of each peer org), if any. */
  caOrg?: string;
}

export interface PreparedNetwork {
  fresh: boolean;
  /** From the genesis: how the network is ordered. */
  ordering: OrderingType;
  /** jetstream: the NATS servers' client URLs. */
  natsServers: string[];
  nodes: DevNode[];
  genesisFile: string;
  genesisHash: string;
  materialDir: string;
  manifest: MaterialManifest;
}

/** What clients (`weft tx`, the wallet UI) need to reach a dev network; written by `weft up`. */
export interface NetworkInfo {
  channel: string;
  genesisHash: string;
  materialDir: string;
  gateways: string[];
  nodes: { name: string; roles: string[]; tcp: string; ws: string; ops: string }[];
  /** Org -> the WebSocket multiaddr of the node running its CA (`weft ca register --org`). */
  cas?: Record<string, string>;
  /** jetstream ordering: the NATS servers of the channel's log. */
  nats?: string[];
}

export const NETWORK_FILE = 'network.json';

/** Whether a path exists (any kind of file). */
export const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/**
 * The dev network of `weft up` on disk: material, the channel's genesis
 * and one config per node under `dir`. Made once; a later run finds them
 * and reuses them, so the network resumes from its ledgers.
 */
export async function prepareDevNetwork(layout: DevNetworkLayout): Promise<PreparedNetwork> {
  const dir = path.resolve(layout.dir);
  const materialDir = path.join(dir, 'material');
  const genesisFile = path.join(dir, 'channels', `${layout.channel}.block`);
  const fresh = !(await exists(path.join(materialDir, 'material.json')));
  const addr = (i: number) => `/ip4/127.0.0.1/tcp/${layout.basePort + i}`;
  if (fresh) {
    const jetstream = layout.ordering === 'jetstream';
    const spec = defaultNetworkSpec({
      channel: layout.channel,
      peerOrgs: layout.orgs,
      peersPerOrg: layout.peersPerOrg,
      ordererAddress: addr(0),
      ...(jetstream
        ? {
            ordering: 'jetstream' as const,
            ordererAddresses: [0, 1, 2].map(addr),
            natsServers: devNatsPorts(layout.basePort).map((p) => `nats://127.0.0.1:${p.client}`),
          }
        : {}),
    });
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'network.yaml'), formatNetworkSpec(spec));
    await generateMaterial({ spec, outDir: materialDir });
    await mkdir(path.dirname(genesisFile), { recursive: true });
    await createChannelGenesis({ spec, materialDir, channel: layout.channel, out: genesisFile });
  }
  const manifest = JSON.parse(
    await readFile(path.join(materialDir, 'material.json'), 'utf8'),
  ) as MaterialManifest;
  const genesis = await readGenesisFile(genesisFile);
  const ordering = genesis.channel.config.ordering;
  if (layout.ordering && layout.ordering !== ordering.type) {
    throw new Error(
      `the network in ${dir} is ordered by ${ordering.type}, not ${layout.ordering}; use another --dir`,
    );
  }

  const members = manifest.orgs.flatMap((o) => o.members.map((m) => ({ org: o.name, ...m })));
  const orderers = members.filter((m) => m.role === 'orderer');
  if (orderers.length === 0) throw new Error('the dev network material has no orderer');
  const peers = members.filter((m) => m.role === 'peer');
  const nodes: DevNode[] = [];
  const entries = [
    ...orderers.map((m) => ({ m, roles: ['orderer'] as NodeRole[] })),
    ...peers.map((m) => ({ m, roles: ['peer', 'gateway'] as NodeRole[] })),
  ];
  const bootstrap = entries.map((e, i) => `${addr(i)}/p2p/${e.m.peerId}`);
  // The first peer of each org runs the org's CA, with the org root key from the material.
  const caOf = (m: (typeof members)[number]) =>
    m.role === 'peer' && peers.find((p) => p.org === m.org) === m
      ? { orgDir: path.join(materialDir, 'orgs', m.org) }
      : undefined;
  for (const [i, { m, roles }] of entries.entries()) {
    const name = m.role === 'orderer' ? m.name : `${m.org.toLowerCase()}-${m.name}`;
    const configFile = path.join(dir, 'nodes', `${name}.yaml`);
    const config = resolveNodeConfig(
      {
        name,
        dataDir: path.join(dir, 'data', name),
        identity: path.join(materialDir, 'orgs', m.org, m.name),
        listen: { tcp: addr(i), ws: `/ip4/127.0.0.1/tcp/${layout.basePort + 100 + i}/ws` },
        ops: { host: '127.0.0.1', port: layout.basePort + 2000 + i },
        log: { level: 'info', pretty: false },
        channels: [{ name: layout.channel, genesis: genesisFile, roles }],
        bootstrap: bootstrap.filter((_, j) => j !== i),
        // Fast enough for a dev network on one machine.
        gossip: { leaderDeclareIntervalMs: 1000, electionTimeoutMs: 3000, pullIntervalMs: 1000 },
        ca: caOf(m),
      },
      { baseDir: dir },
    );
    // A network made before CAs existed keeps its configs, and so has none.
    const written = (await exists(configFile)) ? await loadNodeConfig(configFile) : undefined;
    if (!written) await writeNodeConfig({ file: configFile, config });
    const caOrg = (written ?? config).ca ? m.org : undefined;
    nodes.push({
      name,
      configFile,
      config,
      roles,
      tcp: addr(i),
      ws: `/ip4/127.0.0.1/tcp/${layout.basePort + 100 + i}/ws/p2p/${m.peerId}`,
      opsUrl: `http://127.0.0.1:${layout.basePort + 2000 + i}`,
      ...(caOrg ? { caOrg } : {}),
    });
  }
  const info: NetworkInfo = {
    channel: layout.channel,
    genesisHash: genesis.hashHex,
    materialDir,
    gateways: nodes.filter((n) => n.roles.includes('gateway')).map((n) => n.ws),
    nodes: nodes.map((n) => ({
      name: n.name,
      roles: n.roles,
      tcp: n.tcp,
      ws: n.ws,
      ops: n.opsUrl,
    })),
    cas: Object.fromEntries(nodes.flatMap((n) => (n.caOrg ? [[n.caOrg, n.ws]] : []))),
    ...(ordering.jetstream ? { nats: ordering.jetstream.servers } : {}),
  };
  await writeFile(path.join(dir, NETWORK_FILE), `${JSON.stringify(info, null, 2)}\n`);
  return {
    fresh,
    ordering: ordering.type,
    natsServers: ordering.jetstream?.servers ?? [],
    nodes,
    genesisFile,
    genesisHash: genesis.hashHex,
    materialDir,
    manifest,
  };
}
