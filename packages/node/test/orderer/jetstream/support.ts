// Test support for jetstream ordering: a real 3-server NATS cluster on
// loopback (nats-server from PATH, installed with apt-get as root when
// missing), a channel ordered by three orderers over it, and the orderers.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  type BatchConfig,
  type Block,
  type Channel,
  createGenesisBlock,
  openGenesis,
} from '@weft/core';
import { type BuiltTx, buildMint, type DevMember, issueDevMember } from '@weft/core/dev';
import { assert } from '@weft/test/harness';
import { type NodeDatabase, openNodeDatabase } from '../../../src/ledger/database.js';
import {
  JetStreamOrderer,
  type JetStreamOrdererOptions,
} from '../../../src/orderer/jetstream/jetstream-orderer.js';
import { logSubjects } from '../../../src/orderer/jetstream/log-records.js';
import { NatsCluster } from '../../../src/orderer/jetstream/nats-cluster.js';
import { coin, net, SEED, take } from '../fixture.js';

export * from './chains.js';
export { coin, net, take };

const ordererOrg = net.orgs.find((o) => o.name === 'OrdererOrg')!;
/** Three orderers of OrdererOrg: the dev network's and two more. */
export const ordererMembers: DevMember[] = [
  net.orderer,
  ...(await Promise.all(
    ['orderer1', 'orderer2'].map((name) =>
      issueDevMember({
        org: ordererOrg,
        role: 'orderer',
        name,
        seed: SEED,
        notBefore: net.time - 86_400_000,
        notAfter: net.time + 10 * 365 * 86_400_000,
      }),
    ),
  )),
];

/** Orderer nodes not yet closed, for the watchdog's report. */
const live = new Set<OrdererNode>();

/**
 * These tests wait on real processes; a bug that stalls them must fail the
 * file with a report of where each orderer was, not hang the suite.
 */
export function watchdog(ms: number): void {
  setTimeout(() => {
    const where = [...live].map(
      (n) => `${n.member.name}: ${JSON.stringify(n.orderer?.progress ?? 'stopped')}`,
    );
    console.error(`watchdog: file still running after ${ms} ms; orderers: ${where.join('; ')}`);
    process.exit(1);
  }, ms).unref();
}

/** Mint creators: three different clients of the channel. */
export const clients: DevMember[] = [net.client, ...net.banks];

/** A NATS cluster in a temporary directory, removed again by `stop`. */
export async function startNats(): Promise<{ cluster: NatsCluster; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-nats-'));
  const cluster = await NatsCluster.start({ dir });
  return {
    cluster,
    async stop() {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let streams = 0;

/** A channel ordered over `servers` by the three orderers, on a stream of its own. */
export async function jetstreamChannel(options: {
  servers: readonly string[];
  batch?: Partial<BatchConfig>;
  /** Default: any one of the three orderers. */
  blockSignatures?: string;
}): Promise<{ genesis: Block; channel: Channel }> {
  const any = ordererMembers.map(() => "'OrdererOrg.orderer'").join(',');
  const config = {
    ...net.config,
    orderers: ordererMembers.map((m, i) => ({
      cert: m.cert,
      address: `/ip4/127.0.0.1/tcp/${7050 + i}`,
    })),
    ordering: {
      ...net.config.ordering,
      ...options.batch,
      type: 'jetstream' as const,
      jetstream: {
        servers: [...options.servers],
        stream: `weft-test-${process.pid}-${++streams}`,
        replicas: 3,
      },
    },
    policies: {
      ...net.config.policies,
      blockSignatures: options.blockSignatures ?? `OutOf(1,${any})`,
    },
  };
  const genesis = createGenesisBlock({ config, timestamp: net.time });
  return { genesis, channel: (await openGenesis(genesis)).channel };
}

/** Orderer i of a channel on its own database, which outlives the orderer (restarts reuse it). */
export class OrdererNode {
  orderer: JetStreamOrderer | undefined;

  private constructor(
    readonly member: DevMember,
    readonly db: NodeDatabase,
    readonly genesis: Block,
    readonly options: Partial<JetStreamOrdererOptions>,
  ) {}

  static async start(
    member: DevMember,
    genesis: Block,
    options: Partial<JetStreamOrdererOptions> = {},
  ): Promise<OrdererNode> {
    const node = new OrdererNode(member, await openNodeDatabase(), genesis, options);
    live.add(node);
    try {
      await node.restart();
    } catch (err) {
      live.delete(node);
      await node.db.close();
      throw err;
    }
    return node;
  }

  get running(): JetStreamOrderer {
    assert.isDefined(this.orderer, `orderer ${this.member.name} is running`);
    return this.orderer as JetStreamOrderer;
  }

  async restart(): Promise<void> {
    this.orderer = await JetStreamOrderer.open({
      db: this.db,
      genesis: this.genesis,
      signer: this.member.signer,
      sync: false,
      log: { openTimeoutMs: 20_000, publishTimeoutMs: 20_000 },
      ...this.options,
    });
  }

  async stop(): Promise<void> {
    await this.orderer?.close();
    this.orderer = undefined;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.db.close();
    live.delete(this);
  }

  /** Every stored block, genesis included. */
  chain(): Promise<Block[]> {
    return take(this.running.deliver(0), this.running.height);
  }
}

/** One orderer node per member, all or none: a node that started is closed if another fails. */
export async function startOrderers(
  genesis: Block,
  options: (i: number) => Partial<JetStreamOrdererOptions> = () => ({}),
): Promise<OrdererNode[]> {
  const started = await Promise.allSettled(
    ordererMembers.map((m, i) => OrdererNode.start(m, genesis, options(i))),
  );
  const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(nodes.map((n) => n.close()));
    throw failed.reason;
  }
  return nodes;
}

/** Mints by the given clients in turn: distinct, valid transactions. */
export function mintsBy(count: number, by: readonly DevMember[] = clients): Promise<BuiltTx[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      buildMint(net, [coin()], { creator: by[i % by.length] }),
    ),
  );
}

/** A raw NATS client on the channel's stream: what a misbehaving client or an operator could publish. */
export async function rawLog(
  servers: readonly string[],
  stream: string,
): Promise<{
  nc: NatsConnection;
  publish(kind: 'tx' | 'ttc' | 'sig' | 'other', data: Uint8Array): Promise<number>;
}> {
  const nc = await connect({ servers: [...servers] });
  const js = jetstream(nc);
  const subjects = logSubjects(stream);
  return {
    nc,
    async publish(kind, data) {
      const subject = kind === 'other' ? `weft.${stream}.other` : subjects[kind];
      return (await js.publish(subject, data)).seq;
    },
  };
}
