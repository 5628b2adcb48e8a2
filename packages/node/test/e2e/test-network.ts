// A network of real node processes built from any spec, for tests that need
// more than `weft up`'s one-channel layout: several channels, late or
// restarted nodes, per-node orderer overrides and gossip settings.
import path from 'node:path';
import type { GossipConfig, NodeRole } from '../../src/config/index.js';
import { resolveNodeConfig, writeNodeConfig } from '../../src/config/index.js';
import {
  createChannelGenesis,
  generateMaterial,
  type MaterialManifest,
  validateNetworkSpec,
} from '../../src/material/index.js';
import { seriesWith } from '../../src/ops/metrics-text.js';
import {
  type NodeProcess,
  startNodeProcess,
  stopNodeProcess,
  waitHealthy,
} from '../../src/up/supervisor.js';

export interface TestNodeSpec {
  name: string;
  /** Material folder under orgs/, e.g. 'Org1/peer0'. */
  member: string;
  channels: {
    name: string;
    roles: NodeRole[];
    /** Orderer multiaddrs instead of the channel config's; may use the material's PeerIds. */
    orderers?: (peerIdOf: (member: string) => string) => string[];
  }[];
  gossip?: Partial<GossipConfig>;
  /** Names of nodes to dial at start; default every other node that is not `late`. */
  bootstrap?: string[];
  /** Not dialled by the others (it joins later and introduces itself). */
  late?: boolean;
  /** Runs its org's CA (/weft/enroll/1.0.0), as the first peer of each org does under `weft up`. */
  ca?: boolean;
}

export interface TestNode {
  spec: TestNodeSpec;
  configFile: string;
  /** TCP multiaddr with /p2p. */
  tcp: string;
  ws: string;
  opsUrl: string;
  peerId: string;
  proc?: NodeProcess;
}

export interface ChannelHealth {
  name: string;
  height: number;
  commitHash?: string;
  txCount?: number;
  leader?: boolean;
}

/** Fast enough for loopback tests; the defaults are Fabric's seconds. */
export const FAST_GOSSIP: Partial<GossipConfig> = {
  leaderDeclareIntervalMs: 300,
  electionTimeoutMs: 1200,
  pullIntervalMs: 400,
  stateTransferBatchSize: 50,
};

export class TestNetwork {
  readonly dir: string;
  readonly materialDir: string;
  readonly manifest: MaterialManifest;
  readonly nodes = new Map<string, TestNode>();
  readonly genesisHash = new Map<string, string>();

  private constructor(dir: string, manifest: MaterialManifest) {
    this.dir = dir;
    this.materialDir = path.join(dir, 'material');
    this.manifest = manifest;
  }

  /**
   * Material and genesis blocks from `spec` (YAML-shaped, as in network.yaml;
   * its orderer address must be basePort), then one config per node: node
   * i listens on basePort+i (TCP), +100 (WebSockets), +2000 (ops).
   */
  static async create(options: {
    dir: string;
    basePort: number;
    spec: Record<string, unknown>;
    nodes: TestNodeSpec[];
  }): Promise<TestNetwork> {
    const spec = validateNetworkSpec(options.spec);
    const materialDir = path.join(options.dir, 'material');
    const manifest = await generateMaterial({ spec, outDir: materialDir });
    const net = new TestNetwork(options.dir, manifest);
    const genesis = new Map<string, string>();
    for (const c of spec.channels) {
      const file = path.join(options.dir, 'channels', `${c.name}.block`);
      const g = await createChannelGenesis({ spec, materialDir, channel: c.name, out: file });
      genesis.set(c.name, file);
      net.genesisHash.set(c.name, g.hashHex);
    }
    const addr = (i: number) => `/ip4/127.0.0.1/tcp/${options.basePort + i}`;
    const peerIds = options.nodes.map((n) => net.peerIdOf(n.member));
    const tcpOf = (i: number) => `${addr(i)}/p2p/${peerIds[i]}`;
    for (const [i, spec] of options.nodes.entries()) {
      const bootstrap =
        spec.bootstrap?.map((name) => tcpOf(options.nodes.findIndex((n) => n.name === name))) ??
        options.nodes.flatMap((n, j) => (j === i || n.late ? [] : [tcpOf(j)]));
      const config = resolveNodeConfig(
        {
          name: spec.name,
          dataDir: path.join(options.dir, 'data', spec.name),
          identity: path.join(materialDir, 'orgs', spec.member),
          listen: { tcp: addr(i), ws: `/ip4/127.0.0.1/tcp/${options.basePort + 100 + i}/ws` },
          ops: { host: '127.0.0.1', port: options.basePort + 2000 + i },
          log: { level: 'debug', pretty: false },
          channels: spec.channels.map((c) => ({
            name: c.name,
            genesis: genesis.get(c.name)!,
            roles: c.roles,
            orderers: c.orderers?.((m) => net.peerIdOf(m)) ?? null,
          })),
          bootstrap,
          gossip: { ...FAST_GOSSIP, ...spec.gossip },
          // The org's folder holds its root key, which signs the certificates.
          ...(spec.ca
            ? { ca: { orgDir: path.dirname(path.join(materialDir, 'orgs', spec.member)) } }
            : {}),
        },
        { baseDir: options.dir },
      );
      const configFile = path.join(options.dir, 'nodes', `${spec.name}.yaml`);
      await writeNodeConfig({ file: configFile, config });
      net.nodes.set(spec.name, {
        spec,
        configFile,
        tcp: tcpOf(i),
        ws: `/ip4/127.0.0.1/tcp/${options.basePort + 100 + i}/ws/p2p/${peerIds[i]}`,
        opsUrl: `http://127.0.0.1:${options.basePort + 2000 + i}`,
        peerId: peerIds[i]!,
      });
    }
    return net;
  }

  peerIdOf(member: string): string {
    const [org, name] = member.split('/');
    const m = this.manifest.orgs.find((o) => o.name === org)?.members.find((x) => x.name === name);
    if (!m) throw new Error(`no member ${member} in the material`);
    return m.peerId;
  }

  memberDir(member: string): string {
    return path.join(this.materialDir, 'orgs', member);
  }

  node(name: string): TestNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  async start(...names: string[]): Promise<void> {
    await Promise.all(
      names.map(async (name) => {
        const n = this.node(name);
        n.proc = await startNodeProcess({
          name,
          configFile: n.configFile,
          logDir: path.join(this.dir, 'logs'),
        });
        await waitHealthy(n.opsUrl, n.proc);
      }),
    );
  }

  /** SIGKILL: no shutdown at all. */
  async kill(name: string): Promise<void> {
    const proc = this.node(name).proc;
    if (!proc) return;
    proc.child.kill('SIGKILL');
    await proc.exited;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((n) => n.proc && stopNodeProcess(n.proc)));
  }

  async health(name: string): Promise<{ channels: ChannelHealth[]; knownNodes?: number }> {
    const res = await fetch(`${this.node(name).opsUrl}/healthz`, {
      signal: AbortSignal.timeout(5_000),
    });
    return (await res.json()) as { channels: ChannelHealth[]; knownNodes?: number };
  }

  async channel(name: string, channel: string): Promise<ChannelHealth> {
    const c = (await this.health(name)).channels.find((x) => x.name === channel);
    if (!c) throw new Error(`${name} is not on ${channel}`);
    return c;
  }

  /** The value of one metric series whose labels include all of `labels` (0 when absent). */
  async metric(name: string, metric: string, labels: Record<string, string>): Promise<number> {
    const text = await (
      await fetch(`${this.node(name).opsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })
    ).text();
    return seriesWith(text, metric, labels).reduce((sum, s) => sum + s.value, 0);
  }
}

/** Polls `fn` until it returns a value other than undefined (errors count as undefined). */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await fn().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
