import type { Block } from '../block/block.js';
import { createGenesisBlock, openGenesis } from '../block/genesis.js';
import { utf8 } from '../bytes.js';
import type { Channel } from '../config/channel.js';
import type { ChannelConfig } from '../config/channel-config.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { sha256 } from '../crypto/hash.js';
import { type Signer, signerFromSecret } from '../crypto/signing.js';
import { type Certificate, issueCertificate, type Role } from '../identity/certificate.js';

/**
 * Deterministic development networks: the same names give the same keys,
 * so tests, benchmarks and local dev networks are reproducible. Never use
 * these keys for anything real: they derive from public strings.
 */

export interface DevMember {
  name: string;
  org: string;
  role: Role;
  secretKey: Uint8Array;
  signer: Signer;
  cert: Certificate;
}

export interface DevOrg {
  name: string;
  root: Signer;
}

export interface DevNetwork {
  config: ChannelConfig;
  channel: Channel;
  genesis: Block;
  genesisHash: Uint8Array;
  orgs: DevOrg[];
  /** One endorsing peer per peer org, in org order. */
  peers: DevMember[];
  orderer: DevMember;
  /** A client of the first peer org. */
  client: DevMember;
  /** Central-bank members (role cb) of the central bank org. */
  banks: DevMember[];
  /** Genesis time; certificates are valid from a day before to a year after. */
  time: number;
  backend: Ed25519Backend | undefined;
}

export interface DevNetworkOptions {
  channel?: string;
  peerOrgs?: number;
  banks?: number;
  mintThreshold?: number;
  endorsement?: string;
  attestation?: string;
  time?: number;
  maxTxCount?: number;
  backend?: Ed25519Backend;
  /** Distinguishes unrelated networks built in one process. */
  seed?: string;
}

const DAY = 86_400_000;

export function devSecret(seed: string, name: string): Uint8Array {
  return sha256(utf8(`weft-dev/${seed}/${name}`));
}

let serialCounter = 1;

/** Issues a member certificate under a dev org root. */
export async function issueDevMember(options: {
  org: DevOrg;
  role: Role;
  name: string;
  seed?: string;
  notBefore: number;
  notAfter: number;
  backend?: Ed25519Backend;
}): Promise<DevMember> {
  const secretKey = devSecret(options.seed ?? 'default', `${options.org.name}/${options.name}`);
  const signer = await signerFromSecret(secretKey, options.backend);
  const cert = await issueCertificate(options.org.root, {
    org: options.org.name,
    role: options.role,
    publicKey: signer.publicKey,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    serial: serialCounter++,
  });
  return { name: options.name, org: options.org.name, role: options.role, secretKey, signer, cert };
}

/**
 * A channel with `peerOrgs` peer orgs (Org1..OrgN, one peer each and a
 * client in Org1), an orderer org with one solo orderer, and a central bank
 * org (CentralBank) with `banks` cb members.
 */
export async function createDevNetwork(options: DevNetworkOptions = {}): Promise<DevNetwork> {
  const seed = options.seed ?? 'default';
  const backend = options.backend;
  const time = options.time ?? Date.UTC(2026, 0, 1);
  const peerOrgCount = options.peerOrgs ?? 2;
  const window = { notBefore: time - DAY, notAfter: time + 365 * DAY };
  const orgNames = [
    ...Array.from({ length: peerOrgCount }, (_, i) => `Org${i + 1}`),
    'OrdererOrg',
    'CentralBank',
  ];
  const orgs = await Promise.all(
    orgNames.map(async (name) => ({
      name,
      root: await signerFromSecret(devSecret(seed, `${name}/root`), backend),
    })),
  );
  const org = (name: string) => orgs.find((o) => o.name === name)!;
  const member = (o: DevOrg, role: Role, name: string) =>
    issueDevMember({ org: o, role, name, seed, backend, ...window });

  const peers = await Promise.all(
    orgs.slice(0, peerOrgCount).map((o) => member(o, 'peer', 'peer0')),
  );
  const orderer = await member(org('OrdererOrg'), 'orderer', 'orderer0');
  const client = await member(orgs[0]!, 'client', 'client0');
  const banks = await Promise.all(
    Array.from({ length: options.banks ?? 2 }, (_, i) =>
      member(org('CentralBank'), 'cb', `cb${i}`),
    ),
  );
  const peerPrincipals = peers.map((p) => `'${p.org}.peer'`).join(',');
  const config: ChannelConfig = {
    channel: options.channel ?? 'weft',
    orgs: orgs.map((o) => ({ name: o.name, rootKey: o.root.publicKey })),
    orderers: [{ cert: orderer.cert, address: '/ip4/127.0.0.1/tcp/7050' }],
    ordering: {
      type: 'solo',
      maxTxCount: options.maxTxCount ?? 500,
      maxBytes: 8 * 1024 * 1024,
      batchTimeoutMs: 200,
    },
    policies: {
      endorsement: options.endorsement ?? `AND(${peerPrincipals})`,
      blockSignatures: "OutOf(1,'OrdererOrg.orderer')",
      attestation: options.attestation ?? `OutOf(${Math.min(2, peers.length)},${peerPrincipals})`,
    },
    fabcoin: { centralBanks: ['CentralBank'], mintThreshold: options.mintThreshold ?? 1 },
  };
  const genesis = createGenesisBlock({ config, timestamp: time });
  const { channel, hash } = await openGenesis(genesis, { backend });
  return {
    config,
    channel,
    genesis,
    genesisHash: hash,
    orgs,
    peers,
    orderer,
    client,
    banks,
    time,
    backend,
  };
}
