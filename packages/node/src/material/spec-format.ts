import { stringify } from 'yaml';
import type { NetworkSpec } from './spec.js';

/**
 * A resolved spec as YAML that parses back to the same spec: every default
 * written out, times absolute. `weft up` writes it next to the material so
 * the network it runs is inspectable and reproducible.
 */
export function formatNetworkSpec(spec: NetworkSpec): string {
  const data = {
    version: 1,
    validity: {
      notBefore: new Date(spec.validity.notBefore).toISOString(),
      notAfter: new Date(spec.validity.notAfter).toISOString(),
    },
    orgs: spec.orgs.map((o) => {
      const counts: Record<string, unknown> = { name: o.name, kind: o.kind };
      if (o.kind === 'peer') counts.peers = o.peers;
      if (o.kind === 'orderer') counts.orderers = o.orderers;
      if (o.kind === 'bank') counts.centralBanks = o.centralBanks;
      counts.clients = o.clients;
      counts.admins = o.admins;
      if (o.kind === 'orderer') counts.addresses = o.addresses;
      return counts;
    }),
    channels: spec.channels.map((c) => ({
      name: c.name,
      orgs: c.orgs,
      ordering: c.ordering,
      policies: c.policies,
      fabcoin: c.fabcoin,
    })),
  };
  return stringify(data, { lineWidth: 0 });
}
