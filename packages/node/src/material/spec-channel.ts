import {
  CHANNEL_NAME_PATTERN,
  JETSTREAM_STREAM_PATTERN,
  type JetStreamConfig,
  MAX_BATCH_TIMEOUT_MS,
  MAX_BLOCK_BYTES,
  MAX_JETSTREAM_REPLICAS,
  MAX_JETSTREAM_SERVERS,
  MAX_MINT_THRESHOLD,
  MAX_TX_PER_BLOCK,
  NATS_URL_PATTERN,
  ORDERING_TYPES,
  type OrderingType,
} from '@weft/core';
import { FieldReader, fieldPath } from '../config/fields.js';
import { specFail } from './errors.js';
import type { ChannelSpec, OrgSpec } from './spec.js';
import { resolveChannelPolicies } from './spec-policies.js';

/** Fabric's defaults for message count and timeout; bytes well under core's block ceiling. */
const DEFAULT_BATCH = { maxTxCount: 500, maxBytes: 8 * 1024 * 1024, batchTimeoutMs: 2000 };

const r = new FieldReader(specFail);

/**
 * One channel of a spec, checked against the spec's orgs: members exist,
 * an orderer org (exactly one orderer for solo; jetstream names its log), a peer org, central banks
 * that are bank orgs of the channel with enough cb members for the mint
 * threshold, and policies (see spec-policies.ts).
 */
export function readChannel(value: unknown, field: string, orgs: OrgSpec[]): ChannelSpec {
  const c = r.map(value, field, ['name'], ['orgs', 'ordering', 'policies', 'fabcoin']);
  const name = r.string(c.name, fieldPath(field, 'name'), {
    pattern: CHANNEL_NAME_PATTERN,
    hint: 'lower case letters, digits, . and -',
  });
  const known = new Map(orgs.map((o) => [o.name, o]));
  const of = fieldPath(field, 'orgs');
  const members = r.optional(
    c,
    'orgs',
    orgs.map((o) => o.name),
    (x) =>
      r.list(x, of, { min: 1 }).map((n, i) => {
        const org = r.string(n, fieldPath(of, i), { max: 64 });
        if (!known.has(org)) r.fail(fieldPath(of, i), `unknown org ${JSON.stringify(org)}`);
        return org;
      }),
  );
  r.unique(members, of, (m) => m, 'org');

  const odf = fieldPath(field, 'ordering');
  const od = r.map(c.ordering ?? {}, odf, [], ['type', 'jetstream', ...Object.keys(DEFAULT_BATCH)]);
  const batch = (key: keyof typeof DEFAULT_BATCH, min: number, max: number) =>
    r.optional(od, key, DEFAULT_BATCH[key], (x) => r.int(x, fieldPath(odf, key), { min, max }));
  const ordering = {
    type: r.optional(od, 'type', 'solo' as OrderingType, (x) =>
      r.oneOf(x, fieldPath(odf, 'type'), ORDERING_TYPES),
    ),
    maxTxCount: batch('maxTxCount', 1, MAX_TX_PER_BLOCK),
    maxBytes: batch('maxBytes', 1024, MAX_BLOCK_BYTES),
    batchTimeoutMs: batch('batchTimeoutMs', 1, MAX_BATCH_TIMEOUT_MS),
  };
  const jetstream = readJetStream(od, odf, ordering.type, name);
  const memberOrgs = members.map((m) => known.get(m)!);
  const ordererCount = memberOrgs.reduce((n, o) => n + o.orderers, 0);
  if (ordererCount === 0) r.fail(of, 'a channel needs an orderer org');
  if (ordering.type === 'solo' && ordererCount !== 1) {
    r.fail(
      fieldPath(odf, 'type'),
      `solo ordering takes exactly one orderer, the orgs have ${ordererCount}`,
    );
  }
  if (!memberOrgs.some((o) => o.kind === 'peer')) r.fail(of, 'a channel needs a peer org');

  const ff = fieldPath(field, 'fabcoin');
  const fab = r.map(c.fabcoin ?? {}, ff, [], ['centralBanks', 'mintThreshold']);
  const cbf = fieldPath(ff, 'centralBanks');
  const centralBanks = r.optional(
    fab,
    'centralBanks',
    memberOrgs.filter((o) => o.kind === 'bank').map((o) => o.name),
    (x) =>
      r.list(x, cbf, { min: 1 }).map((n, i) => {
        const bank = r.string(n, fieldPath(cbf, i), { max: 64 });
        if (known.get(bank)?.kind !== 'bank' || !members.includes(bank)) {
          r.fail(fieldPath(cbf, i), `${JSON.stringify(bank)} is not a bank org of this channel`);
        }
        return bank;
      }),
  );
  if (centralBanks.length === 0) r.fail(cbf, 'the channel has no bank org');
  r.unique(centralBanks, cbf, (b) => b, 'org');
  const cbMembers = centralBanks.reduce((n, b) => n + known.get(b)!.centralBanks, 0);
  const mintThreshold = r.optional(fab, 'mintThreshold', 1, (x) =>
    r.int(x, fieldPath(ff, 'mintThreshold'), { min: 1, max: MAX_MINT_THRESHOLD }),
  );
  if (mintThreshold > cbMembers) {
    r.fail(fieldPath(ff, 'mintThreshold'), `${mintThreshold} exceeds the ${cbMembers} cb members`);
  }
  const policies = resolveChannelPolicies(r, c.policies, fieldPath(field, 'policies'), memberOrgs);
  return {
    name,
    orgs: members,
    ordering: { ...ordering, ...(jetstream ? { jetstream } : {}) },
    policies,
    fabcoin: { centralBanks, mintThreshold },
  };
}

/**
 * `ordering.jetstream`: required for jetstream ordering (the NATS servers
 * have no default: they are the operator's cluster), refused otherwise.
 * The stream defaults to `weft-<channel>` (dots, which NATS forbids in
 * stream names, as `_`) and replicas to 3, JetStream's usual fault-tolerant size.
 */
function readJetStream(
  od: Record<string, unknown>,
  odf: string,
  type: OrderingType,
  channel: string,
): JetStreamConfig | undefined {
  const jf = fieldPath(odf, 'jetstream');
  if (type !== 'jetstream') {
    if (od.jetstream !== undefined) r.fail(jf, `${type} ordering takes no jetstream section`);
    return undefined;
  }
  if (od.jetstream === undefined) r.fail(jf, 'jetstream ordering needs its NATS servers');
  const j = r.map(od.jetstream, jf, ['servers'], ['stream', 'replicas']);
  const sf = fieldPath(jf, 'servers');
  const servers = r.list(j.servers, sf, { min: 1, max: MAX_JETSTREAM_SERVERS }).map((x, i) =>
    r.string(x, fieldPath(sf, i), {
      max: 512,
      pattern: NATS_URL_PATTERN,
      hint: 'nats://host:port',
    }),
  );
  r.unique(servers, sf, (x) => x, 'server');
  const stream = r.optional(j, 'stream', `weft-${channel.replaceAll('.', '_')}`, (x) =>
    r.string(x, fieldPath(jf, 'stream'), {
      pattern: JETSTREAM_STREAM_PATTERN,
      hint: 'letters, digits, - and _',
    }),
  );
  const replicas = r.optional(j, 'replicas', 3, (x) =>
    r.int(x, fieldPath(jf, 'replicas'), { min: 1, max: MAX_JETSTREAM_REPLICAS }),
  );
  return { servers, stream, replicas };
}
