import { toHex } from '../bytes.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { WeftError } from '../errors.js';
import { NAME_PATTERN } from '../identity/certificate.js';
import { MembershipError, Msp } from '../identity/msp.js';
import {
  evaluatePolicy,
  isSatisfiable,
  type Policy,
  PolicyError,
  type Signer as PolicySigner,
  parsePolicy,
  policyPrincipals,
} from '../policy/index.js';
import { remember, rememberedVerdict } from '../policy/remembered.js';
import type { ChannelConfig } from './channel-config.js';

/** A channel configuration that is not acceptable as a genesis or config block. */
export class ConfigError extends WeftError {}

export const CHANNEL_NAME_PATTERN = /^[a-z][a-z0-9.-]{0,62}$/;
/** Hard ceiling on a block's size, whatever a config says; decoders use it as their bound. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
export const MAX_TX_PER_BLOCK = 10_000;
export const MAX_BATCH_TIMEOUT_MS = 10 * 60_000;
export const MAX_MINT_THRESHOLD = 64;
/** NATS stream names: no dots, wildcards, spaces or path separators. */
export const JETSTREAM_STREAM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** JetStream's limit on a stream's replicas. */
export const MAX_JETSTREAM_REPLICAS = 5;
/** A NATS client URL as configs name servers: nats:// or tls://, a host, a port. */
export const NATS_URL_PATTERN =
  /^(?:nats|tls):\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

export interface ChannelPolicySet {
  endorsement: Policy;
  blockSignatures: Policy;
  attestation: Policy;
}

/**
 * A validated config with what every rule needs from it prepared once: the
 * MSP over its org roots and its parsed policies. Peers, orderers and light
 * clients all build this from the same config block.
 */
export interface Channel {
  config: ChannelConfig;
  msp: Msp;
  policies: ChannelPolicySet;
  /** Orderer public key hex -> the orderer's certificate entry. */
  orderers: Map<string, ChannelConfig['orderers'][number]>;
}

/**
 * Policy evaluation as consensus uses it: a policy whose evaluation exceeds
 * the solver's deterministic work budget counts as not satisfied, so hostile
 * signer sets produce a verdict, never an exception.
 */
export function satisfies(policy: Policy, signers: readonly PolicySigner[]): boolean {
  return rememberedVerdict(policy, signers, () => {
    try {
      return evaluatePolicy(policy, signers);
    } catch (err) {
      if (err instanceof PolicyError) return false;
      throw err;
    }
  });
}

function fail(code: string, message: string): never {
  throw new ConfigError(code, message);
}

function parseChecked(text: string, name: string, orgs: Set<string>): Policy {
  let policy: Policy;
  try {
    policy = parsePolicy(text);
  } catch (err) {
    fail('CONFIG_POLICY', `${name} policy: ${(err as Error).message}`);
  }
  for (const p of policyPrincipals(policy)) {
    if (!orgs.has(p.org)) fail('CONFIG_POLICY', `${name} policy names unknown org ${p.org}`);
  }
  if (!isSatisfiable(policy, 'any', orgs))
    fail('CONFIG_POLICY', `${name} policy can never be satisfied`);
  return policy;
}

/** The `jetstream` section is there exactly for jetstream ordering, and names a usable log. */
function checkJetStream(ordering: ChannelConfig['ordering']): void {
  const js = ordering.jetstream;
  if (ordering.type !== 'jetstream') {
    if (js) fail('CONFIG_ORDERING', `${ordering.type} ordering takes no jetstream section`);
    return;
  }
  if (!js) throw new ConfigError('CONFIG_ORDERING', 'jetstream ordering needs a jetstream section');
  if (js.servers.length === 0) fail('CONFIG_ORDERING', 'jetstream.servers is empty');
  for (const url of js.servers) {
    const port = NATS_URL_PATTERN.exec(url)?.[1];
    if (port === undefined || Number(port) < 1 || Number(port) > 65_535) {
      fail('CONFIG_ORDERING', `jetstream server ${JSON.stringify(url)} is not nats://host:port`);
    }
  }
  if (new Set(js.servers).size !== js.servers.length) {
    fail('CONFIG_ORDERING', 'jetstream.servers lists a server twice');
  }
  if (!JETSTREAM_STREAM_PATTERN.test(js.stream)) {
    fail('CONFIG_ORDERING', `jetstream.stream ${JSON.stringify(js.stream)} is not a stream name`);
  }
  if (js.replicas < 1 || js.replicas > MAX_JETSTREAM_REPLICAS) {
    fail(
      'CONFIG_ORDERING',
      `jetstream.replicas ${js.replicas} outside 1..${MAX_JETSTREAM_REPLICAS}`,
    );
  }
}

/**
 * Checks a config the way a peer checks a genesis block before joining:
 * names, unique orgs and keys, orderer certificates issued by their org
 * roots, sane batch parameters, policies that parse, name known orgs and can
 * be satisfied (the block-signature policy by the orderers actually listed).
 */
export async function loadChannel(
  config: ChannelConfig,
  backend?: Ed25519Backend,
): Promise<Channel> {
  if (!CHANNEL_NAME_PATTERN.test(config.channel)) {
    fail('CONFIG_CHANNEL_NAME', `channel name ${JSON.stringify(config.channel)} is not allowed`);
  }
  if (config.orgs.length === 0) fail('CONFIG_NO_ORGS', 'a channel needs at least one org');
  const orgNames = new Set<string>();
  const rootKeys = new Set<string>();
  for (const org of config.orgs) {
    if (!NAME_PATTERN.test(org.name))
      fail('CONFIG_ORG_NAME', `org name ${JSON.stringify(org.name)}`);
    if (orgNames.has(org.name)) fail('CONFIG_DUPLICATE_ORG', `org ${org.name} is listed twice`);
    const rootHex = toHex(org.rootKey);
    if (rootKeys.has(rootHex))
      fail('CONFIG_DUPLICATE_ROOT', `org ${org.name} reuses another org's root`);
    orgNames.add(org.name);
    rootKeys.add(rootHex);
  }
  const msp = new Msp({
    orgs: config.orgs.map((o) => ({ name: o.name, rootKey: o.rootKey })),
    backend,
  });

  const { maxTxCount, maxBytes, batchTimeoutMs } = config.ordering;
  if (maxTxCount < 1 || maxTxCount > MAX_TX_PER_BLOCK) {
    fail('CONFIG_BATCH', `maxTxCount ${maxTxCount} outside 1..${MAX_TX_PER_BLOCK}`);
  }
  if (maxBytes < 1024 || maxBytes > MAX_BLOCK_BYTES) {
    fail('CONFIG_BATCH', `maxBytes ${maxBytes} outside 1024..${MAX_BLOCK_BYTES}`);
  }
  if (batchTimeoutMs < 1 || batchTimeoutMs > MAX_BATCH_TIMEOUT_MS) {
    fail('CONFIG_BATCH', `batchTimeoutMs ${batchTimeoutMs} outside 1..${MAX_BATCH_TIMEOUT_MS}`);
  }

  checkJetStream(config.ordering);

  if (config.orderers.length === 0)
    fail('CONFIG_NO_ORDERERS', 'a channel needs at least one orderer');
  const orderers = new Map<string, ChannelConfig['orderers'][number]>();
  const ordererSigners: { org: string; role: string; id: string }[] = [];
  for (const o of config.orderers) {
    try {
      // A config lists orderers for as long as it is in force; check the
      // certificate is well formed and root-signed at its own start time.
      await msp.identify(o.cert, { at: o.cert.notBefore, roles: ['orderer'] });
    } catch (err) {
      if (!(err instanceof MembershipError)) throw err;
      fail('CONFIG_BAD_ORDERER', `orderer ${o.address}: ${err.message}`);
    }
    const id = toHex(o.cert.publicKey);
    if (orderers.has(id))
      fail('CONFIG_DUPLICATE_ORDERER', `orderer key listed twice (${o.address})`);
    orderers.set(id, o);
    ordererSigners.push({ org: o.cert.org, role: 'orderer', id });
  }

  // A channel's policies never change, so their verdicts are remembered (they are frozen).
  const policies: ChannelPolicySet = {
    endorsement: remember(parseChecked(config.policies.endorsement, 'endorsement', orgNames)),
    blockSignatures: remember(
      parseChecked(config.policies.blockSignatures, 'blockSignatures', orgNames),
    ),
    attestation: remember(parseChecked(config.policies.attestation, 'attestation', orgNames)),
  };
  if (!satisfies(policies.blockSignatures, ordererSigners)) {
    fail('CONFIG_POLICY', 'blockSignatures policy cannot be satisfied by the listed orderers');
  }

  const banks = new Set<string>();
  for (const cb of config.fabcoin.centralBanks) {
    if (!orgNames.has(cb)) fail('CONFIG_FABCOIN', `central bank org ${cb} is not a channel org`);
    if (banks.has(cb)) fail('CONFIG_FABCOIN', `central bank org ${cb} listed twice`);
    banks.add(cb);
  }
  if (banks.size === 0) fail('CONFIG_FABCOIN', 'at least one central bank org is needed');
  const t = config.fabcoin.mintThreshold;
  if (t < 1 || t > MAX_MINT_THRESHOLD) {
    fail('CONFIG_FABCOIN', `mintThreshold ${t} outside 1..${MAX_MINT_THRESHOLD}`);
  }
  return { config, msp, policies, orderers };
}
