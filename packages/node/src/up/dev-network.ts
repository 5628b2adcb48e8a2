import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
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
  /** The orderer listens on basePort; peers on basePort+1...; WebSockets at +100; ops at +2000. */
  basePort: number;
  channel: string;
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
  if (fresh) {
    const spec = defaultNetworkSpec({
      channel: layout.channel,
      peerOrgs: layout.orgs,
      peersPerOrg: layout.peersPerOrg,
      ordererAddress: `/ip4/127.0.0.1/tcp/${layout.basePort}`,
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

  const members = manifest.orgs.flatMap((o) => o.members.map((m) => ({ org: o.name, ...m })));
  const orderer = members.find((m) => m.role === 'orderer');
  if (!orderer) throw new Error('the dev network material has no orderer');
  const peers = members.filter((m) => m.role === 'peer');
  const nodes: DevNode[] = [];
  const entries = [
    { m: orderer, roles: ['orderer'] as NodeRole[] },
    ...peers.map((m) => ({ m, roles: ['peer', 'gateway'] as NodeRole[] })),
  ];
  const addr = (i: number) => `/ip4/127.0.0.1/tcp/${layout.basePort + i}`;
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
  };
  await writeFile(path.join(dir, NETWORK_FILE), `${JSON.stringify(info, null, 2)}\n`);
  return {
    fresh,
    nodes,
    genesisFile,
    genesisHash: genesis.hashHex,
    materialDir,
    manifest,
  };
}
