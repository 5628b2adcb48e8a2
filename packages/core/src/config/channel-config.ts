import { PUBLIC_KEY_LENGTH } from '../crypto/ed25519.js';
import type { CborValue } from '../encoding/cbor.js';
import {
  readArray,
  readBytes,
  readEnum,
  readRecord,
  readString,
  readUint,
} from '../encoding/fields.js';
import { type Certificate, certificateToCbor, readCertificate } from '../identity/certificate.js';

export const ORDERING_TYPES = ['solo', 'jetstream'] as const;
export type OrderingType = (typeof ORDERING_TYPES)[number];

export interface OrgConfig {
  name: string;
  rootKey: Uint8Array;
}

export interface OrdererConfig {
  cert: Certificate;
  /** Where peers reach it (a multiaddr); informational for verification. */
  address: string;
}

/**
 * Where a `jetstream`-ordered channel's log lives (DESIGN section 5): the
 * NATS servers orderers connect to, the stream holding the channel's
 * envelopes and time-to-cut markers, and its replica count. Orderer nodes
 * are the config's `orderers`, as for solo.
 */
export interface JetStreamConfig {
  /** NATS client URLs (nats://host:port); an orderer tries them all. */
  servers: string[];
  /** JetStream stream name; one stream per channel. */
  stream: string;
  /** Stream replicas (Raft group size): 3 survives one NATS server lost. */
  replicas: number;
}

export interface BatchConfig {
  maxTxCount: number;
  maxBytes: number;
  batchTimeoutMs: number;
}

export interface ChannelPolicies {
  /** Fabcoin endorsement policy, e.g. AND('Org1.peer','Org2.peer'). */
  endorsement: string;
  /** Orderer signatures a block needs, e.g. OutOf(1,'OrdererOrg.orderer'). */
  blockSignatures: string;
  /** Commit attestations a light client requires before calling a tx valid. */
  attestation: string;
}

export interface FabcoinConfig {
  /** Orgs whose `cb` certificates may mint. */
  centralBanks: string[];
  /** Distinct central-bank signatures a mint needs. */
  mintThreshold: number;
}

/** A channel's configuration: the content of its genesis (config) block. */
export interface ChannelConfig {
  channel: string;
  orgs: OrgConfig[];
  orderers: OrdererConfig[];
  /** `jetstream` is present exactly when type is 'jetstream'; solo configs encode as before. */
  ordering: { type: OrderingType; jetstream?: JetStreamConfig } & BatchConfig;
  policies: ChannelPolicies;
  fabcoin: FabcoinConfig;
}

export function channelConfigToCbor(c: ChannelConfig): CborValue {
  return {
    channel: c.channel,
    orgs: c.orgs.map((o) => ({ name: o.name, rootKey: o.rootKey })),
    orderers: c.orderers.map((o) => ({ cert: certificateToCbor(o.cert), address: o.address })),
    ordering: {
      type: c.ordering.type,
      maxTxCount: c.ordering.maxTxCount,
      maxBytes: c.ordering.maxBytes,
      batchTimeoutMs: c.ordering.batchTimeoutMs,
      ...(c.ordering.jetstream ? { jetstream: jetStreamToCbor(c.ordering.jetstream) } : {}),
    },
    policies: {
      endorsement: c.policies.endorsement,
      blockSignatures: c.policies.blockSignatures,
      attestation: c.policies.attestation,
    },
    fabcoin: { centralBanks: [...c.fabcoin.centralBanks], mintThreshold: c.fabcoin.mintThreshold },
  };
}

function jetStreamToCbor(j: JetStreamConfig): CborValue {
  return { servers: [...j.servers], stream: j.stream, replicas: j.replicas };
}

const MAX_ORGS = 64;
const MAX_ORDERERS = 64;
export const MAX_JETSTREAM_SERVERS = 32;

function readJetStream(value: unknown, what: string): JetStreamConfig {
  const f = readRecord(value, what, ['servers', 'stream', 'replicas']);
  return {
    servers: readArray(f.servers, `${what}.servers`, MAX_JETSTREAM_SERVERS).map((s, i) =>
      readString(s, `${what}.servers[${i}]`, 512),
    ),
    stream: readString(f.stream, `${what}.stream`, 64),
    replicas: readUint(f.replicas, `${what}.replicas`),
  };
}

/** Strict schema read of a decoded config; semantic checks are in validateChannelConfig. */
export function readChannelConfig(value: unknown, what = 'config'): ChannelConfig {
  const r = readRecord(value, what, [
    'channel',
    'orgs',
    'orderers',
    'ordering',
    'policies',
    'fabcoin',
  ]);
  const orgs = readArray(r.orgs, `${what}.orgs`, MAX_ORGS).map((o, i) => {
    const f = readRecord(o, `${what}.orgs[${i}]`, ['name', 'rootKey']);
    return {
      name: readString(f.name, `${what}.orgs[${i}].name`, 64),
      rootKey: readBytes(f.rootKey, `${what}.orgs[${i}].rootKey`, PUBLIC_KEY_LENGTH),
    };
  });
  const orderers = readArray(r.orderers, `${what}.orderers`, MAX_ORDERERS).map((o, i) => {
    const f = readRecord(o, `${what}.orderers[${i}]`, ['cert', 'address']);
    return {
      cert: readCertificate(f.cert, `${what}.orderers[${i}].cert`),
      address: readString(f.address, `${what}.orderers[${i}].address`, 512),
    };
  });
  const ord = readRecord(
    r.ordering,
    `${what}.ordering`,
    ['type', 'maxTxCount', 'maxBytes', 'batchTimeoutMs'],
    ['jetstream'],
  );
  const pol = readRecord(r.policies, `${what}.policies`, [
    'endorsement',
    'blockSignatures',
    'attestation',
  ]);
  const fab = readRecord(r.fabcoin, `${what}.fabcoin`, ['centralBanks', 'mintThreshold']);
  return {
    channel: readString(r.channel, `${what}.channel`, 64),
    orgs,
    orderers,
    ordering: {
      type: readEnum(ord.type, `${what}.ordering.type`, ORDERING_TYPES),
      maxTxCount: readUint(ord.maxTxCount, `${what}.ordering.maxTxCount`),
      maxBytes: readUint(ord.maxBytes, `${what}.ordering.maxBytes`),
      batchTimeoutMs: readUint(ord.batchTimeoutMs, `${what}.ordering.batchTimeoutMs`),
      ...(Object.hasOwn(ord, 'jetstream')
        ? { jetstream: readJetStream(ord.jetstream, `${what}.ordering.jetstream`) }
        : {}),
    },
    policies: {
      endorsement: readString(pol.endorsement, `${what}.policies.endorsement`, 4096),
      blockSignatures: readString(pol.blockSignatures, `${what}.policies.blockSignatures`, 4096),
      attestation: readString(pol.attestation, `${what}.policies.attestation`, 4096),
    },
    fabcoin: {
      centralBanks: readArray(fab.centralBanks, `${what}.fabcoin.centralBanks`, MAX_ORGS).map(
        (b, i) => readString(b, `${what}.fabcoin.centralBanks[${i}]`, 64),
      ),
      mintThreshold: readUint(fab.mintThreshold, `${what}.fabcoin.mintThreshold`),
    },
  };
}
