import type { OrderingType } from '@weft/core';
import { type NetworkSpec, validateNetworkSpec } from './spec.js';

export interface DefaultSpecOptions {
  /** Channel name; default 'weft'. */
  channel?: string;
  /** Peer orgs Org1..OrgN; default 2. */
  peerOrgs?: number;
  /** Peers in each peer org; default 2. */
  peersPerOrg?: number;
  /** Clients in each peer org; default 1. */
  clientsPerOrg?: number;
  /** cb members of the CentralBank org; default 1. */
  centralBanks?: number;
  mintThreshold?: number;
  /** The solo orderer's listen multiaddr (no /p2p); default /ip4/127.0.0.1/tcp/7050. */
  ordererAddress?: string;
  /** Default solo. jetstream needs `natsServers`. */
  ordering?: OrderingType;
  /** jetstream: one listen multiaddr per orderer (default 3 from 7050 up). */
  ordererAddresses?: string[];
  /** jetstream: the NATS cluster's client URLs. */
  natsServers?: string[];
  maxTxCount?: number;
  /** Short by default: a dev network should answer fast, not batch well. */
  batchTimeoutMs?: number;
  /** Certificate validity in days from now; default 365. */
  validityDays?: number;
  /** Clock for the validity window (tests pin it). */
  now?: number;
}

/**
 * The spec as YAML-shaped data (what a user would write in network.yaml):
 * `peerOrgs` peer orgs (Org1..OrgN), an orderer org (OrdererOrg: one solo
 * orderer, or three orderers on a JetStream log) and a central bank org
 * (CentralBank), all on one channel.
 */
export function defaultSpecInput(options: DefaultSpecOptions = {}): Record<string, unknown> {
  const peerOrgs = options.peerOrgs ?? 2;
  const type = options.ordering ?? 'solo';
  const addresses =
    type === 'solo'
      ? [options.ordererAddress ?? '/ip4/127.0.0.1/tcp/7050']
      : (options.ordererAddresses ?? [0, 1, 2].map((i) => `/ip4/127.0.0.1/tcp/${7050 + i}`));
  return {
    version: 1,
    validity: { days: options.validityDays ?? 365 },
    orgs: [
      ...Array.from({ length: peerOrgs }, (_, i) => ({
        name: `Org${i + 1}`,
        kind: 'peer',
        peers: options.peersPerOrg ?? 2,
        clients: options.clientsPerOrg ?? 1,
        admins: 1,
      })),
      {
        name: 'OrdererOrg',
        kind: 'orderer',
        orderers: addresses.length,
        admins: 1,
        addresses,
      },
      { name: 'CentralBank', kind: 'bank', centralBanks: options.centralBanks ?? 1, admins: 1 },
    ],
    channels: [
      {
        name: options.channel ?? 'weft',
        ordering: {
          type,
          maxTxCount: options.maxTxCount ?? 500,
          batchTimeoutMs: options.batchTimeoutMs ?? 200,
          ...(type === 'jetstream' ? { jetstream: { servers: options.natsServers } } : {}),
        },
        fabcoin: { centralBanks: ['CentralBank'], mintThreshold: options.mintThreshold ?? 1 },
      },
    ],
  };
}

/** The embedded dev network `weft up` runs, resolved and validated like a spec file. */
export function defaultNetworkSpec(options: DefaultSpecOptions = {}): NetworkSpec {
  return validateNetworkSpec(defaultSpecInput(options), { now: options.now });
}
