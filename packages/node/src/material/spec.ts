import { readFile } from 'node:fs/promises';
import { type JetStreamConfig, NAME_PATTERN, type OrderingType } from '@weft/core';
import { FieldReader, fieldPath, parseYamlText } from '../config/fields.js';
import { readMultiaddr } from '../config/multiaddr.js';
import { MaterialError, specFail } from './errors.js';
import { readChannel } from './spec-channel.js';

/**
 * A network spec, after Fabric's crypto-config.yaml plus configtx.yaml: which
 * orgs exist, how many members of each role they get, and the channels they
 * form. `parseNetworkSpec` returns it resolved: every default applied, so
 * generation and genesis never guess. Everything but org names, kinds and
 * channel names may be left out:
 *
 *   version: 1
 *   validity: { notBefore: 2026-01-01T00:00:00Z, days: 365 }   # or notAfter
 *   orgs:
 *     - { name: Org1, kind: peer, peers: 2, clients: 1, admins: 1 }
 *     - { name: OrdererOrg, kind: orderer, orderers: 1, addresses: [/ip4/10.0.0.5/tcp/7050] }
 *     - { name: CentralBank, kind: bank, centralBanks: 1 }
 *   channels:
 *     - name: weft
 *       orgs: [Org1, OrdererOrg, CentralBank]                # default: every org
 *       ordering: { type: solo, maxTxCount: 500, maxBytes: 8388608, batchTimeoutMs: 2000 }
 *       # or type: jetstream, with the orderer org's orderers sharing one NATS JetStream log:
 *       #   jetstream: { servers: [nats://10.0.0.7:4222, ...], stream: weft-weft, replicas: 3 }
 *       policies: { endorsement: "'Org1.peer'" }             # see spec-policies.ts
 *       fabcoin: { centralBanks: [CentralBank], mintThreshold: 1 }
 */

export const ORG_KINDS = ['peer', 'orderer', 'bank'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export interface OrgSpec {
  name: string;
  kind: OrgKind;
  peers: number;
  orderers: number;
  clients: number;
  admins: number;
  /** Members with role `cb`, who sign Fabcoin mints. */
  centralBanks: number;
  /** One listen multiaddr per orderer (no /p2p: keys do not exist yet); orderer orgs only. */
  addresses: string[];
}

export interface ChannelSpec {
  name: string;
  /** Member orgs, in spec order. */
  orgs: string[];
  ordering: {
    type: OrderingType;
    maxTxCount: number;
    maxBytes: number;
    batchTimeoutMs: number;
    /** Exactly when type is jetstream (core's JetStreamConfig). */
    jetstream?: JetStreamConfig;
  };
  policies: { endorsement: string; blockSignatures: string; attestation: string };
  fabcoin: { centralBanks: string[]; mintThreshold: number };
}

export interface NetworkSpec {
  /** Certificate validity, ms since the epoch, inclusive. */
  validity: { notBefore: number; notAfter: number };
  orgs: OrgSpec[];
  channels: ChannelSpec[];
}

export interface ParseSpecOptions {
  /** The clock for default validity windows (ms); tests pin it. */
  now?: number;
}

const DAY = 86_400_000;
/** Fabric's cryptogen backdates certificates by five minutes for clock skew. */
const BACKDATE_MS = 5 * 60_000;
const MAX_MEMBERS = 1000;
const DEFAULT_ORDERER_PORT = 7050;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const r = new FieldReader(specFail);

/** Which member counts each kind of org may have; clients and admins fit anywhere. */
const KIND_ROLE: Record<OrgKind, 'peers' | 'orderers' | 'centralBanks'> = {
  peer: 'peers',
  orderer: 'orderers',
  bank: 'centralBanks',
};

function readTime(value: unknown, field: string): number {
  const s = r.string(value, field, { max: 40 });
  const t = ISO_TIME.test(s) ? Date.parse(s) : Number.NaN;
  if (!Number.isSafeInteger(t) || t < 0) {
    r.fail(field, `${JSON.stringify(s)} is not an ISO 8601 time such as 2026-01-01T00:00:00Z`);
  }
  return t;
}

function readValidity(value: unknown, now: number): NetworkSpec['validity'] {
  const v = r.map(value ?? {}, 'validity', [], ['notBefore', 'notAfter', 'days']);
  const notBefore = r.optional(v, 'notBefore', now - BACKDATE_MS, (x) =>
    readTime(x, 'validity.notBefore'),
  );
  if (v.notAfter !== undefined && v.days !== undefined) {
    r.fail('validity.days', 'give notAfter or days, not both');
  }
  const days = r.optional(v, 'days', 365, (x) =>
    r.int(x, 'validity.days', { min: 1, max: 100 * 365 }),
  );
  const notAfter = r.optional(v, 'notAfter', notBefore + days * DAY, (x) =>
    readTime(x, 'validity.notAfter'),
  );
  if (notAfter <= notBefore) r.fail('validity.notAfter', 'must be after notBefore');
  return { notBefore, notAfter };
}

function readOrg(value: unknown, field: string, nextPort: () => number): OrgSpec {
  const o = r.map(
    value,
    field,
    ['name', 'kind'],
    ['peers', 'orderers', 'clients', 'admins', 'centralBanks', 'addresses'],
  );
  const name = r.string(o.name, fieldPath(field, 'name'), {
    pattern: NAME_PATTERN,
    hint: 'a letter, then letters, digits, - or _',
  });
  const kind = r.oneOf(o.kind, fieldPath(field, 'kind'), ORG_KINDS);
  const count = (key: string, fallback: number, min: number) =>
    r.optional(o, key, fallback, (x) => r.int(x, fieldPath(field, key), { min, max: MAX_MEMBERS }));
  for (const key of Object.values(KIND_ROLE)) {
    if (key !== KIND_ROLE[kind] && o[key] !== undefined) {
      r.fail(fieldPath(field, key), `a ${kind} org has no ${key}`);
    }
  }
  const org: OrgSpec = {
    name,
    kind,
    peers: kind === 'peer' ? count('peers', 1, 1) : 0,
    orderers: kind === 'orderer' ? count('orderers', 1, 1) : 0,
    centralBanks: kind === 'bank' ? count('centralBanks', 1, 1) : 0,
    clients: count('clients', 0, 0),
    admins: count('admins', 1, 0),
    addresses: [],
  };
  if (kind !== 'orderer') {
    if (o.addresses !== undefined) r.fail(fieldPath(field, 'addresses'), 'only orderer orgs');
    return org;
  }
  const af = fieldPath(field, 'addresses');
  if (o.addresses === undefined) {
    org.addresses = Array.from({ length: org.orderers }, () => `/ip4/127.0.0.1/tcp/${nextPort()}`);
  } else {
    const list = r.list(o.addresses, af, { min: org.orderers, max: org.orderers });
    org.addresses = list.map((a, i) =>
      readMultiaddr(r, a, fieldPath(af, i), { transport: 'tcp', peerId: 'forbidden' }),
    );
  }
  return org;
}

/** Validates plain data (parsed YAML or an object literal) into a resolved spec. */
export function validateNetworkSpec(value: unknown, options: ParseSpecOptions = {}): NetworkSpec {
  const top = r.map(value, '', ['orgs', 'channels'], ['version', 'validity']);
  if (top.version !== undefined && top.version !== 1) r.fail('version', 'only version 1 exists');
  const validity = readValidity(top.validity, options.now ?? Date.now());
  let port = DEFAULT_ORDERER_PORT;
  const orgs = r
    .list(top.orgs, 'orgs', { min: 1, max: 64 })
    .map((o, i) => readOrg(o, fieldPath('orgs', i), () => port++));
  // Org folders must not collide on case-insensitive file systems.
  r.unique(orgs, 'orgs', (o) => o.name.toLowerCase(), 'org name (ignoring case)');
  const seen = new Set<string>();
  orgs.forEach((o, i) => {
    o.addresses.forEach((a, j) => {
      if (seen.has(a)) r.fail(`orgs[${i}].addresses[${j}]`, `${a} is used by another orderer`);
      seen.add(a);
    });
  });
  const channels = r
    .list(top.channels, 'channels', { min: 1, max: 64 })
    .map((c, i) => readChannel(c, fieldPath('channels', i), orgs));
  r.unique(channels, 'channels', (c) => c.name, 'channel');
  return { validity, orgs, channels };
}

export function parseNetworkSpec(text: string, options: ParseSpecOptions = {}): NetworkSpec {
  const data = parseYamlText(text, (message) => {
    throw new MaterialError('MATERIAL_SPEC_YAML', `network spec: ${message}`);
  });
  return validateNetworkSpec(data, options);
}

export async function loadNetworkSpec(
  file: string,
  options: ParseSpecOptions = {},
): Promise<NetworkSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'MATERIAL_MISSING' : 'MATERIAL_IO';
    throw new MaterialError(code, `network spec ${file}: ${(err as Error).message}`, {
      file,
      cause: err,
    });
  }
  try {
    return parseNetworkSpec(text, options);
  } catch (err) {
    if (err instanceof MaterialError) {
      throw new MaterialError(err.code, `${file}: ${err.message}`, {
        field: err.field,
        file,
        cause: err,
      });
    }
    throw err;
  }
}

export function findChannelSpec(spec: NetworkSpec, channel: string): ChannelSpec {
  const c = spec.channels.find((x) => x.name === channel);
  if (!c) {
    const names = spec.channels.map((x) => x.name).join(', ');
    throw new MaterialError(
      'MATERIAL_SPEC',
      `the spec has no channel ${channel} (it has ${names})`,
      {
        field: 'channels',
      },
    );
  }
  return c;
}
