import {
  type Block,
  type Certificate,
  type Channel,
  decodeEndorseResponse,
  encodeEndorseRequest,
  MAX_ENDORSE_RESPONSE,
  openGenesis,
  PROTOCOLS,
  type Signer,
  txCodeName,
} from '@weft/core';
import type { Logger } from 'pino';
import type { GossipConfig, NodeRole } from '../config/index.js';
import { ChannelGossip } from '../gossip/channel-gossip.js';
import { ChannelLedger, type NodeDatabase } from '../ledger/index.js';
import { callProtocol, ed25519KeyOfPeer, type NodeHost, peerIdFromEd25519 } from '../net/index.js';
import type { NodeMetrics } from '../ops/index.js';
import { JetStreamOrderer, SoloOrderer } from '../orderer/index.js';
import { CommitWatcher } from '../peer/commit-watcher.js';
import { Endorser } from '../peer/endorser.js';
import { type EndorsingPeer, Gateway } from '../peer/gateway.js';
import { CommitPipeline } from '../pipeline/commit-pipeline.js';
import type { VsccPool } from '../vscc-pool/index.js';
import type { NodeDirectory } from './directory.js';
import { OrdererClient } from './orderer-client.js';

export interface ChannelRuntimeOptions {
  genesis: Block;
  roles: readonly NodeRole[];
  /** Orderer multiaddrs to use; default the channel config's. */
  orderers: readonly string[] | null;
  /** NATS URLs for a jetstream orderer; default the channel config's jetstream.servers. */
  natsServers?: readonly string[] | null;
  db: NodeDatabase;
  host: NodeHost;
  directory: NodeDirectory;
  pool: VsccPool | undefined;
  identity: { signer: Signer; cert: Certificate };
  log: Logger;
  metrics: NodeMetrics;
  gossip: GossipConfig;
}

/**
 * Everything one node runs for one channel: its orderer (solo, or one
 * node of a jetstream ordering service, as the channel config says), the
 * committing and endorsing peer, the gateway, each when its role is
 * configured, sharing the node's host, database and VSCC pool.
 */
export class ChannelRuntime {
  readonly name: string;
  readonly channel: Channel;
  readonly roles: readonly NodeRole[];
  orderer?: SoloOrderer | JetStreamOrderer;
  ledger?: ChannelLedger;
  pipeline?: CommitPipeline;
  endorser?: Endorser;
  gateway?: Gateway;
  commits?: CommitWatcher;
  gossip?: ChannelGossip;
  readonly #o: ChannelRuntimeOptions;

  private constructor(channel: Channel, options: ChannelRuntimeOptions) {
    this.channel = channel;
    this.name = channel.config.channel;
    this.roles = options.roles;
    this.#o = options;
  }

  static async start(options: ChannelRuntimeOptions): Promise<ChannelRuntime> {
    const { channel } = await openGenesis(options.genesis);
    const rt = new ChannelRuntime(channel, options);
    await options.directory.addChannel(channel);
    try {
      await rt.#start();
    } catch (err) {
      await rt.close();
      throw err;
    }
    return rt;
  }

  async #start(): Promise<void> {
    const { db, genesis, identity, log, metrics } = this.#o;
    if (this.roles.includes('orderer')) {
      const base = { db, genesis, signer: identity.signer, cert: identity.cert, metrics };
      const type = this.channel.config.ordering.type;
      const servers = this.#o.natsServers ?? undefined;
      this.orderer =
        type === 'solo'
          ? await SoloOrderer.open(base)
          : await JetStreamOrderer.open({ ...base, servers });
      this.orderer.onBlock((block) => {
        metrics.setLedgerHeight(this.name, block.header.number + 1);
      });
      log.info({ height: this.orderer.height, ordering: type }, 'orderer ready');
    }
    if (this.roles.includes('peer') || this.roles.includes('gateway')) await this.#startPeer();
  }

  async #startPeer(): Promise<void> {
    const { db, genesis, identity, log, metrics, pool } = this.#o;
    const ledger = await ChannelLedger.open({ db, channel: this.name, genesis });
    this.ledger = ledger;
    const commits = new CommitWatcher(ledger);
    this.commits = commits;
    this.pipeline = new CommitPipeline({
      ledger,
      channel: this.channel,
      checkAll: pool?.checkAll,
      attester: identity,
      onCommitted: (e) => {
        metrics.setLedgerHeight(this.name, e.info.height);
        for (const c of e.codes) metrics.txCommitted(this.name, txCodeName(c));
        commits.blockCommitted();
        this.gossip
          ?.blockCommitted()
          .catch((err) => log.warn({ block: e.number, err }, 'held attestations not stored'));
        if (e.attestation) {
          this.gossip
            ?.publishAttestation(e.attestation, e.codes)
            .catch((err) => log.warn({ block: e.number, err }, 'attestation not published'));
        }
        log.debug({ block: e.number, txs: e.codes.length }, 'block committed');
      },
      onRejected: (n, err) => log.warn({ block: n, err }, 'block rejected'),
    });
    metrics.setLedgerHeight(this.name, ledger.info().height);
    this.endorser = new Endorser({
      channel: this.channel,
      state: ledger.stateView(),
      signer: identity.signer,
      cert: identity.cert,
    });
    const orderers = new OrdererClient({
      host: this.#o.host,
      channel: this.name,
      orderers: this.#o.orderers ?? this.channel.config.orderers.map((o) => o.address),
      log,
    });
    if (this.roles.includes('gateway')) {
      this.gateway = new Gateway({
        channel: this.channel,
        ledger,
        commits,
        endorsers: () => this.#endorsers(),
        broadcast: (envelope) => orderers.broadcast(envelope),
      });
    }
    const pipeline = this.pipeline;
    const { directory } = this.#o;
    this.gossip = new ChannelGossip({
      channel: this.channel,
      host: this.#o.host,
      ledger,
      pipeline,
      identity,
      isMember: (peer) => directory.isChannelMember(this.name, ed25519KeyOfPeer(peer)),
      config: this.#o.gossip,
      followOrderer: (onBlock, signal) =>
        orderers.follow({ nextHeight: () => pipeline.height, onBlock, signal }),
      log: log.child({ component: 'gossip' }),
      metrics,
    });
    this.gossip.start();
    log.info({ height: ledger.info().height }, 'peer ready');
  }

  /** This node's endorser and the channel's other known peers. */
  #endorsers(): EndorsingPeer[] {
    const local = this.endorser;
    const out: EndorsingPeer[] = [];
    const me = this.#o.identity.cert;
    if (local) {
      out.push({
        org: me.org,
        id: 'self',
        endorse: (_c, sp) => local.endorse({ channel: this.name, signedProposal: sp }),
      });
    }
    for (const node of this.#o.directory.nodesOf(this.name, 'peer')) {
      if (node.cert.serial === me.serial && node.org === me.org) continue;
      const target = peerIdFromEd25519(node.publicKey);
      out.push({
        org: node.org,
        id: target.toString(),
        endorse: async (channel, signedProposal) =>
          decodeEndorseResponse(
            await callProtocol(
              this.#o.host,
              target,
              PROTOCOLS.endorse,
              encodeEndorseRequest({ channel, signedProposal }),
              {
                maxResponseBytes: MAX_ENDORSE_RESPONSE,
                timeoutMs: 10_000,
              },
            ),
          ),
      });
    }
    return out;
  }

  height(): number {
    return this.ledger?.info().height ?? this.orderer?.height ?? 0;
  }

  async close(): Promise<void> {
    this.commits?.close();
    await this.gossip?.close();
    await this.pipeline?.idle().catch(() => {});
    await this.ledger?.close();
    await this.orderer?.close();
  }
}
