import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PeerId } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import {
  blocksTopic,
  decodeHello,
  encodeHello,
  fromHex,
  type Hello,
  MAX_HELLO_BYTES,
  PROTOCOLS,
  stateTopic,
  toHex,
} from '@weft/core';
import type { Logger } from 'pino';
import { EnrollService } from '../ca/index.js';
import type { NodeConfig } from '../config/index.js';
import { installNativeCrypto } from '../crypto/install.js';
import { openNodeDatabase } from '../ledger/index.js';
import { readGenesisFile } from '../material/genesis.js';
import { loadMember } from '../material/member.js';
import {
  callProtocol,
  createNodeHost,
  ed25519KeyOfPeer,
  type NodeHost,
  peerIdFromEd25519,
} from '../net/index.js';
import {
  componentLogger,
  createLogger,
  type HealthReport,
  NodeMetrics,
  type OpsServer,
  startOpsServer,
} from '../ops/index.js';
import { ordererLogHealth } from '../orderer/index.js';
import { VsccPool } from '../vscc-pool/index.js';
import { ChannelRuntime } from './channel-runtime.js';
import { NodeDirectory } from './directory.js';
import { serveNodeProtocols } from './handlers.js';

/**
 * One `weft node start` process: a libp2p host and, per joined channel,
 * whichever of orderer, peer and gateway the config names, with logs,
 * metrics and /healthz. Nodes introduce themselves with a certificate
 * (hello) on every connection; membership follows from it.
 */
export class WeftNode {
  readonly config: NodeConfig;
  readonly log: Logger;
  readonly metrics: NodeMetrics;
  readonly channels = new Map<string, ChannelRuntime>();
  readonly directory = new NodeDirectory();
  host!: NodeHost;
  ops?: OpsServer;
  /** The org CA on /weft/enroll/1.0.0, when the config has a `ca` section. */
  ca?: EnrollService;
  #pool?: VsccPool;
  #db?: Awaited<ReturnType<typeof openNodeDatabase>>;
  #hello!: Hello;
  #closers: Array<() => Promise<void>> = [];
  #bootstrapTimer?: NodeJS.Timeout;
  /** Gossip topic -> the channel it belongs to. */
  readonly #topicChannels = new Map<string, string>();

  private constructor(config: NodeConfig, log: Logger) {
    this.config = config;
    this.log = log;
    this.metrics = new NodeMetrics({ node: config.name });
  }

  static async start(config: NodeConfig, options: { log?: Logger } = {}): Promise<WeftNode> {
    installNativeCrypto();
    const log =
      options.log ??
      createLogger({
        level: config.log.level,
        pretty: config.log.pretty ?? undefined,
        name: config.name,
      });
    const node = new WeftNode(config, log);
    try {
      await node.#start();
    } catch (err) {
      await node.close();
      throw err;
    }
    return node;
  }

  async #start(): Promise<void> {
    const { config } = this;
    const member = await loadMember(config.identity);
    await mkdir(config.dataDir, { recursive: true });
    this.#db = await openNodeDatabase({ path: path.join(config.dataDir, 'db') });
    if (config.ca) {
      this.ca = await EnrollService.open({
        db: this.#db,
        ca: config.ca,
        nodeOrg: member.cert.org,
        log: componentLogger(this.log, 'ca'),
      });
    }
    this.host = await createNodeHost({
      secretKey: member.secretKey,
      membership: this.directory,
      // A channel's topics reach only that channel's members.
      topicAccess: (peer, topic) => {
        const channel = this.#topicChannels.get(topic);
        return (
          channel !== undefined && this.directory.isChannelMember(channel, ed25519KeyOfPeer(peer))
        );
      },
      listen: { tcp: config.listen.tcp ?? undefined, ws: config.listen.ws ?? undefined },
    });
    this.#closers.push(async () => {
      await this.host.stop();
    });
    this.directory.onMember = (node) =>
      this.host.services.access.topics?.admit(peerIdFromEd25519(node.publicKey));
    for (const c of config.channels) {
      this.#topicChannels.set(blocksTopic(c.name), c.name);
      this.#topicChannels.set(stateTopic(c.name), c.name);
    }
    this.#hello = {
      cert: member.cert,
      channels: config.channels.map((c) => ({ name: c.name, roles: [...c.roles] })),
    };
    const needsPool = config.channels.some(
      (c) => c.roles.includes('peer') || c.roles.includes('gateway'),
    );
    if (needsPool) this.#pool = await VsccPool.start();
    for (const join of config.channels) {
      const genesis = await readGenesisFile(join.genesis, {
        expectedHash: join.genesisHash ? fromHex(join.genesisHash) : undefined,
      });
      const rt = await ChannelRuntime.start({
        genesis: genesis.block,
        roles: join.roles,
        orderers: join.orderers,
        natsServers: join.natsServers,
        db: this.#db,
        host: this.host,
        directory: this.directory,
        pool: this.#pool,
        identity: { signer: member.signer, cert: member.cert },
        log: componentLogger(this.log, 'channel', { channel: join.name }),
        metrics: this.metrics,
        gossip: config.gossip,
      });
      this.channels.set(join.name, rt);
    }
    this.#closers.push(
      ...(await serveNodeProtocols({
        host: this.host,
        channels: this.channels,
        directory: this.directory,
        hello: () => this.#hello,
        log: componentLogger(this.log, 'rpc'),
        metrics: this.metrics,
        ca: this.ca,
      })),
    );
    this.host.addEventListener('peer:connect', (evt) => void this.#greet(evt.detail));
    this.host.addEventListener('connection:open', () =>
      this.metrics.setConnectedPeers(this.host.getPeers().length),
    );
    this.host.addEventListener('connection:close', () =>
      this.metrics.setConnectedPeers(this.host.getPeers().length),
    );
    if (config.ops) {
      this.ops = await startOpsServer({
        host: config.ops.host,
        port: config.ops.port,
        metrics: this.metrics,
        health: () => this.health(),
        logger: componentLogger(this.log, 'ops'),
      });
    }
    await this.#dialBootstrap();
    this.#bootstrapTimer = setInterval(() => void this.#dialBootstrap(), 2_000);
    this.log.info(
      {
        peerId: this.host.peerId.toString(),
        listen: this.host.getMultiaddrs().map((a) => a.toString()),
        ops: this.ops?.url,
        channels: [...this.channels.values()].map((c) => ({
          name: c.name,
          roles: c.roles,
          height: c.height(),
        })),
      },
      'node started',
    );
  }

  /**
   * Keeps connections to the configured bootstrap peers and orderers open,
   * and greets again any connected node we have no certificate for yet
   * (a greeting fails when the other node was still starting).
   */
  async #dialBootstrap(): Promise<void> {
    for (const conn of this.host.getConnections()) {
      const key = ed25519KeyOfPeer(conn.remotePeer);
      if (
        key &&
        !this.directory.isMember(key) &&
        !this.host.services.access.isLightClient(conn.remotePeer)
      )
        void this.#greet(conn.remotePeer);
    }
    const targets = new Set(this.config.bootstrap);
    for (const join of this.config.channels) {
      const rt = this.channels.get(join.name);
      for (const o of join.orderers ?? rt?.channel.config.orderers.map((x) => x.address) ?? []) {
        targets.add(o);
      }
    }
    await Promise.all(
      [...targets].map(async (addr) => {
        try {
          const ma = multiaddr(addr);
          const id = ma.getComponents().find((c) => c.name === 'p2p')?.value;
          if (id === this.host.peerId.toString()) return;
          if (id && this.host.getConnections().some((c) => c.remotePeer.toString() === id)) return;
          await this.host.dial(ma, { signal: AbortSignal.timeout(5_000) });
        } catch (err) {
          this.log.debug({ err, addr }, 'bootstrap dial failed');
        }
      }),
    );
  }

  /** Presents our certificate and learns theirs, whichever side dialled. */
  async #greet(peer: PeerId): Promise<void> {
    try {
      const reply = await callProtocol(this.host, peer, PROTOCOLS.hello, encodeHello(this.#hello), {
        maxResponseBytes: MAX_HELLO_BYTES,
        timeoutMs: 10_000,
      });
      const hello = decodeHello(reply);
      const known = await this.directory.introduce(ed25519KeyOfPeer(peer), hello);
      this.log.debug({ peer: peer.toString(), org: known?.org, role: known?.role }, 'hello');
    } catch (err) {
      this.log.debug({ err, peer: peer.toString() }, 'hello failed');
    }
  }

  health(): HealthReport {
    const reasons: string[] = [];
    let ready = true;
    const channels = [...this.channels.values()].map((rt) => {
      const info = rt.ledger?.info();
      const log = ordererLogHealth(rt.name, rt.orderer);
      if (log?.failed) ready = false;
      reasons.push(...(log?.reasons ?? []));
      return {
        name: rt.name,
        height: rt.height(),
        roles: rt.roles,
        ...(info ? { commitHash: toHex(info.commitHash), txCount: info.txCount } : {}),
        ...(rt.gossip ? { leader: rt.gossip.isLeader } : {}),
        ...log?.detail,
      };
    });
    return {
      ready,
      channels,
      knownNodes: this.directory.countOthers(this.#hello.cert.publicKey),
      ...(reasons.length > 0 ? { reasons } : {}),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.#bootstrapTimer);
    await this.ops?.close();
    for (const rt of this.channels.values()) await rt.close();
    for (const close of this.#closers.reverse()) await close().catch(() => {});
    this.#closers = [];
    await this.#pool?.close();
    await this.#db?.close();
  }
}
