import { resolve } from 'node:path';
import { CHANNEL_NAME_PATTERN, NATS_URL_PATTERN } from '@weft/core';
import { ConfigError } from './errors.js';
import { FieldReader, fieldPath, parseYamlText } from './fields.js';
import { readMultiaddr } from './multiaddr.js';

/**
 * The file behind `weft node start --config node.yaml`. Parsing is strict
 * (unknown keys are errors, so a typo never silently falls back to a
 * default) and returns a resolved config: defaults applied, paths absolute.
 */

export const NODE_ROLES = ['orderer', 'peer', 'gateway'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ChannelJoin {
  name: string;
  /** Absolute path of the genesis block file. */
  genesis: string;
  /** The trusted genesis hash (lower-case hex) the file must match, or null to trust the file. */
  genesisHash: string | null;
  /** What this node is on the channel; at least one, no repeats. */
  roles: NodeRole[];
  /** Orderer multiaddrs (with /p2p) to use instead of the ones in the channel config. */
  orderers: string[] | null;
  /**
   * For an orderer of a jetstream-ordered channel: NATS URLs as this machine
   * reaches the cluster, instead of the channel config's jetstream.servers.
   */
  natsServers: string[] | null;
}

export interface GossipConfig {
  /** How often a leader announces itself (Fabric: 5 s). */
  leaderDeclareIntervalMs: number;
  /** Silence after which followers elect a new leader (Fabric: 10 s). */
  electionTimeoutMs: number;
  /** null: elect; true: always lead (Fabric orgLeader); false: never lead. */
  staticLeader: boolean | null;
  /** How often heights are compared with peers to pull missing blocks. */
  pullIntervalMs: number;
  /** Blocks per state-transfer request (Fabric state.batchSize: 10). */
  stateTransferBatchSize: number;
}

/**
 * The node runs its org's CA on `/weft/enroll/1.0.0` (fabric-ca's role):
 * admins register one-time secrets, wallets enroll for client certificates.
 */
export interface CaConfig {
  /**
   * The org's material folder (`<material>/orgs/<Org>`): `root.key`, the org
   * root's secret that signs the certificates, and `root.pub`. The folder
   * name is the org, which must be the node's own. Registrations live in the
   * node's database (`dataDir/db`, namespace `ca`).
   */
  orgDir: string;
  /** How long a registered secret stays usable when the admin does not say. */
  secretTtlMs: number;
  /** The longest lifetime an admin may ask for. */
  maxSecretTtlMs: number;
  /** Validity of an issued client certificate. */
  certValidityMs: number;
  /** Requests a minute from everyone together. */
  requestsPerMinute: number;
  /** Requests a minute from one caller (PeerId). */
  requestsPerPeerPerMinute: number;
}

export interface NodeConfig {
  name: string;
  dataDir: string;
  /** A member directory of generated material (cert + key). */
  identity: string;
  listen: { tcp: string | null; ws: string | null };
  /** The HTTP operations endpoint (/metrics, /healthz); null turns it off. */
  ops: { host: string; port: number } | null;
  /** pretty null: pretty when stdout is a terminal. */
  log: { level: LogLevel; pretty: boolean | null };
  channels: ChannelJoin[];
  bootstrap: string[];
  gossip: GossipConfig;
  /** Present when this node runs its org's CA. */
  ca?: CaConfig;
}

/** What a program passes to build a config: required fields plus any overrides. */
export type NodeConfigInput = Pick<NodeConfig, 'name' | 'dataDir' | 'identity'> & {
  listen: Partial<NodeConfig['listen']>;
  ops?: Partial<NonNullable<NodeConfig['ops']>> | null;
  log?: Partial<NodeConfig['log']>;
  channels: (Pick<ChannelJoin, 'name' | 'genesis' | 'roles'> & Partial<ChannelJoin>)[];
  bootstrap?: string[];
  gossip?: Partial<GossipConfig>;
  ca?: Pick<CaConfig, 'orgDir'> & Partial<CaConfig>;
};

export const DEFAULT_GOSSIP: Readonly<GossipConfig> = Object.freeze({
  leaderDeclareIntervalMs: 5000,
  electionTimeoutMs: 10_000,
  staticLeader: null,
  pullIntervalMs: 4000,
  stateTransferBatchSize: 10,
});

const DAY_MS = 86_400_000;

export const DEFAULT_CA: Readonly<Omit<CaConfig, 'orgDir'>> = Object.freeze({
  secretTtlMs: 7 * DAY_MS,
  maxSecretTtlMs: 90 * DAY_MS,
  // fabric-ca's default certificate expiry: 8760h.
  certValidityMs: 365 * DAY_MS,
  requestsPerMinute: 600,
  requestsPerPeerPerMinute: 30,
});

/** Fabric's operations service listens on 9443; loopback so metrics are not public by default. */
export const DEFAULT_OPS = Object.freeze({ host: '127.0.0.1', port: 9443 });

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HOST = /^[A-Za-z0-9.:-]{1,253}$/;
const MAX_MS = 3_600_000;

function fail(field: string, problem: string): never {
  throw new ConfigError('NODE_CONFIG_FIELD', `node config: ${field}: ${problem}`, { field });
}
const r = new FieldReader(fail);

function readPath(value: unknown, field: string, baseDir: string): string {
  return resolve(baseDir, r.string(value, field, { max: 4096 }));
}

function readNullable<T>(value: unknown, read: (v: unknown) => T): T | null {
  return value === null || value === undefined ? null : read(value);
}

function readChannel(value: unknown, field: string, baseDir: string): ChannelJoin {
  const c = r.map(
    value,
    field,
    ['name', 'genesis', 'roles'],
    ['genesisHash', 'orderers', 'natsServers'],
  );
  const rf = fieldPath(field, 'roles');
  const roles = r
    .list(c.roles, rf, { min: 1, max: NODE_ROLES.length })
    .map((x, i) => r.oneOf(x, fieldPath(rf, i), NODE_ROLES));
  r.unique(roles, rf, (x) => x, 'role');
  const of = fieldPath(field, 'orderers');
  return {
    name: r.string(c.name, fieldPath(field, 'name'), {
      pattern: CHANNEL_NAME_PATTERN,
      hint: 'lower case letters, digits, . and -',
    }),
    genesis: readPath(c.genesis, fieldPath(field, 'genesis'), baseDir),
    genesisHash: readNullable(c.genesisHash, (x) => r.hex(x, fieldPath(field, 'genesisHash'), 32)),
    roles,
    orderers: readNullable(c.orderers, (x) =>
      r
        .list(x, of, { min: 1, max: 64 })
        .map((a, i) =>
          readMultiaddr(r, a, fieldPath(of, i), { transport: 'tcp', peerId: 'required' }),
        ),
    ),
    natsServers: readNullable(c.natsServers, (x) => {
      const nf = fieldPath(field, 'natsServers');
      return r.list(x, nf, { min: 1, max: 32 }).map((u, i) =>
        r.string(u, fieldPath(nf, i), {
          max: 512,
          pattern: NATS_URL_PATTERN,
          hint: 'nats://host:port',
        }),
      );
    }),
  };
}

function readGossip(value: unknown): GossipConfig {
  const keys = Object.keys(DEFAULT_GOSSIP);
  const g = r.map(value ?? {}, 'gossip', [], keys);
  const ms = (key: keyof GossipConfig) =>
    r.optional(g, key, DEFAULT_GOSSIP[key] as number, (x) =>
      r.int(x, fieldPath('gossip', key), { min: 10, max: MAX_MS }),
    );
  const gossip: GossipConfig = {
    leaderDeclareIntervalMs: ms('leaderDeclareIntervalMs'),
    electionTimeoutMs: ms('electionTimeoutMs'),
    staticLeader: readNullable(g.staticLeader, (x) => r.bool(x, 'gossip.staticLeader')),
    pullIntervalMs: ms('pullIntervalMs'),
    stateTransferBatchSize: r.optional(
      g,
      'stateTransferBatchSize',
      DEFAULT_GOSSIP.stateTransferBatchSize,
      (x) => r.int(x, 'gossip.stateTransferBatchSize', { min: 1, max: 1000 }),
    ),
  };
  // A follower that times out before the next heartbeat would depose a healthy leader.
  if (gossip.electionTimeoutMs <= gossip.leaderDeclareIntervalMs) {
    fail('gossip.electionTimeoutMs', 'must be longer than gossip.leaderDeclareIntervalMs');
  }
  return gossip;
}

function readCa(value: unknown, baseDir: string): CaConfig {
  const c = r.map(value, 'ca', ['orgDir'], Object.keys(DEFAULT_CA));
  const int = (key: keyof typeof DEFAULT_CA, min: number, max: number) =>
    r.optional(c, key, DEFAULT_CA[key], (x) => r.int(x, fieldPath('ca', key), { min, max }));
  const ca: CaConfig = {
    orgDir: readPath(c.orgDir, 'ca.orgDir', baseDir),
    secretTtlMs: int('secretTtlMs', 1000, 3650 * DAY_MS),
    maxSecretTtlMs: int('maxSecretTtlMs', 1000, 3650 * DAY_MS),
    certValidityMs: int('certValidityMs', 60_000, 3650 * DAY_MS),
    requestsPerMinute: int('requestsPerMinute', 1, 1_000_000),
    requestsPerPeerPerMinute: int('requestsPerPeerPerMinute', 1, 1_000_000),
  };
  if (ca.secretTtlMs > ca.maxSecretTtlMs)
    fail('ca.secretTtlMs', 'must not be longer than ca.maxSecretTtlMs');
  return ca;
}

/** Validates plain data (parsed YAML or a NodeConfigInput); relative paths resolve against baseDir. */
export function validateNodeConfig(value: unknown, options: { baseDir: string }): NodeConfig {
  const top = r.map(
    value,
    '',
    ['name', 'dataDir', 'identity', 'listen', 'channels'],
    ['ops', 'log', 'bootstrap', 'gossip', 'ca'],
  );
  const { baseDir } = options;
  const l = r.map(top.listen, 'listen', [], ['tcp', 'ws']);
  const listen = {
    tcp: readNullable(l.tcp, (x) =>
      readMultiaddr(r, x, 'listen.tcp', { transport: 'tcp', peerId: 'forbidden' }),
    ),
    ws: readNullable(l.ws, (x) =>
      readMultiaddr(r, x, 'listen.ws', { transport: 'ws', peerId: 'forbidden' }),
    ),
  };
  if (listen.tcp === null && listen.ws === null) fail('listen', 'give tcp, ws or both');
  let ops: NodeConfig['ops'] = null;
  if (top.ops !== null) {
    const o = r.map(top.ops ?? {}, 'ops', [], ['host', 'port']);
    ops = {
      host: r.optional(o, 'host', DEFAULT_OPS.host, (x) =>
        r.string(x, 'ops.host', { pattern: HOST, hint: 'a host name or IP address' }),
      ),
      port: r.optional(o, 'port', DEFAULT_OPS.port, (x) => r.int(x, 'ops.port', { max: 65_535 })),
    };
  }
  const lg = r.map(top.log ?? {}, 'log', [], ['level', 'pretty']);
  const log = {
    level: r.optional(lg, 'level', 'info' as LogLevel, (x) => r.oneOf(x, 'log.level', LOG_LEVELS)),
    pretty: readNullable(lg.pretty, (x) => r.bool(x, 'log.pretty')),
  };
  const channels = r
    .list(top.channels, 'channels', { max: 256 })
    .map((c, i) => readChannel(c, fieldPath('channels', i), baseDir));
  r.unique(channels, 'channels', (c) => c.name, 'channel');
  const bootstrap = r
    .list(top.bootstrap ?? [], 'bootstrap', { max: 256 })
    .map((a, i) => readMultiaddr(r, a, fieldPath('bootstrap', i), { peerId: 'required' }));
  return {
    name: r.string(top.name, 'name', { pattern: NODE_NAME, hint: 'letters, digits, . _ -' }),
    dataDir: readPath(top.dataDir, 'dataDir', baseDir),
    identity: readPath(top.identity, 'identity', baseDir),
    listen,
    ops,
    log,
    channels,
    bootstrap,
    gossip: readGossip(top.gossip),
    ...(top.ca === undefined || top.ca === null ? {} : { ca: readCa(top.ca, baseDir) }),
  };
}

/** Builds a config in code (generated networks), with the same checks as a file. */
export function resolveNodeConfig(
  input: NodeConfigInput,
  options: { baseDir: string },
): NodeConfig {
  return validateNodeConfig(input, options);
}

export function parseNodeConfig(text: string, options: { baseDir: string }): NodeConfig {
  const data = parseYamlText(text, (message) => {
    throw new ConfigError('NODE_CONFIG_YAML', `node config: ${message}`);
  });
  return validateNodeConfig(data, options);
}
