import {
  type Availability,
  isSatisfiable,
  type Policy,
  parsePolicy,
  policyPrincipals,
} from '@weft/core';
import { type FieldReader, fieldPath } from '../config/fields.js';
import type { ChannelSpec, OrgSpec } from './spec.js';

/** `OutOf(k,'A.role','B.role')`, or a bare principal when there is one org and k is 1. */
function outOf(k: number, orgs: readonly OrgSpec[], role: string): string {
  const principals = orgs.map((o) => `'${o.name}.${role}'`);
  if (principals.length === 1 && k === 1) return principals[0]!;
  return `OutOf(${k},${principals.join(',')})`;
}

/**
 * Defaults derived from the channel's orgs, after Fabric's: endorsement and
 * attestation by a MAJORITY of peer orgs (Fabric's default lifecycle
 * endorsement policy; with two orgs that is both), block signatures by any
 * one orderer (Fabric's BlockValidation: ANY orderer org writer).
 */
export function defaultPolicies(orgs: readonly OrgSpec[]): ChannelSpec['policies'] {
  const peerOrgs = orgs.filter((o) => o.kind === 'peer');
  const majority = Math.floor(peerOrgs.length / 2) + 1;
  const byPeers = outOf(majority, peerOrgs, 'peer');
  return {
    endorsement: byPeers,
    blockSignatures: outOf(
      1,
      orgs.filter((o) => o.kind === 'orderer'),
      'orderer',
    ),
    attestation: byPeers,
  };
}

function availability(orgs: readonly OrgSpec[]): Availability[] {
  return orgs.flatMap((o) => [
    { org: o.name, role: 'peer', count: o.peers },
    { org: o.name, role: 'orderer', count: o.orderers },
    { org: o.name, role: 'client', count: o.clients },
    { org: o.name, role: 'admin', count: o.admins },
    { org: o.name, role: 'cb', count: o.centralBanks },
  ]);
}

/**
 * Applies defaults and checks each policy as early as the spec: it parses,
 * names only the channel's orgs and can be met by the members this spec
 * generates (core's loadChannel would only reject it later, at genesis, and
 * without naming the spec field).
 */
export function resolveChannelPolicies(
  r: FieldReader,
  value: unknown,
  field: string,
  orgs: readonly OrgSpec[],
): ChannelSpec['policies'] {
  const keys = ['endorsement', 'blockSignatures', 'attestation'] as const;
  const p = r.map(value ?? {}, field, [], keys);
  const defaults = defaultPolicies(orgs);
  const names = new Set(orgs.map((o) => o.name));
  const members = availability(orgs);
  const out = { ...defaults };
  for (const key of keys) {
    const f = fieldPath(field, key);
    const text = r.optional(p, key, defaults[key], (x) => r.string(x, f, { max: 4096 }));
    let policy: Policy;
    try {
      policy = parsePolicy(text);
    } catch (err) {
      r.fail(f, `${JSON.stringify(text)}: ${(err as Error).message}`);
    }
    for (const principal of policyPrincipals(policy)) {
      if (!names.has(principal.org))
        r.fail(f, `names ${principal.org}, not an org of this channel`);
    }
    if (!isSatisfiable(policy, members)) {
      r.fail(f, `${text} cannot be met by the members this spec generates`);
    }
    out[key] = text;
  }
  return out;
}
