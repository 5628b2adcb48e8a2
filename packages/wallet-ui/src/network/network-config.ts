import { isHex64 } from '../ui/format.js';

/**
 * A network as the UI knows it: the channel, the trust anchor (its genesis
 * block hash, given out of band) and the full nodes to ask (WebSocket
 * multiaddrs ending in /p2p/<PeerId>). Nothing here is trusted beyond the
 * genesis hash: every answer from those nodes is verified by @weft/light.
 * `cas` maps an org to the node running its CA (for enrollment); `faucet`
 * is the dev faucet of `weft up` (a URL on the server that served the UI).
 */
export interface NetworkConfig {
  name: string;
  channel: string;
  genesisHash: string;
  nodes: string[];
  cas: Record<string, string>;
  faucet?: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const CHANNEL = /^[a-z][a-z0-9.-]{0,48}$/;
const ORG = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const MAX_NODES = 16;

/** A WebSocket multiaddr with a PeerId: what a browser can dial. */
export function isNodeAddress(text: string): boolean {
  return /^\/(ip4|ip6|dns|dns4|dns6)\/[^/]+\/tcp\/\d{1,5}\/(ws|wss|tls\/ws)\/p2p\/[A-Za-z0-9]{40,100}$/.test(
    text,
  );
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

/** Validates anything shaped like a NetworkConfig (from JSON, a link or a form). */
export function checkNetworkConfig(value: unknown): Checked<NetworkConfig> {
  if (typeof value !== 'object' || value === null) return fail('Not a network description.');
  const v = value as Record<string, unknown>;
  const channel = typeof v.channel === 'string' ? v.channel.trim() : '';
  if (!CHANNEL.test(channel)) return fail('The channel name is missing or not valid.');
  const genesis = typeof v.genesisHash === 'string' ? v.genesisHash.trim().toLowerCase() : '';
  if (!isHex64(genesis)) {
    return fail('The genesis hash must be 64 hexadecimal characters.');
  }
  const rawNodes = Array.isArray(v.nodes) ? v.nodes : [];
  const nodes = [...new Set(rawNodes.map((n) => (typeof n === 'string' ? n.trim() : '')))];
  if (nodes.length === 0) return fail('Give at least one full node address.');
  if (nodes.length > MAX_NODES) return fail(`At most ${MAX_NODES} full nodes.`);
  const bad = nodes.find((n) => !isNodeAddress(n));
  if (bad !== undefined) {
    return fail(`"${bad}" is not a WebSocket multiaddr ending in /p2p/<peer id>.`);
  }
  const cas: Record<string, string> = {};
  if (typeof v.cas === 'object' && v.cas !== null) {
    for (const [org, address] of Object.entries(v.cas as Record<string, unknown>)) {
      if (!ORG.test(org) || typeof address !== 'string' || !isNodeAddress(address)) {
        return fail(`The CA address of ${org} is not valid.`);
      }
      cas[org] = address;
    }
  }
  const name = typeof v.name === 'string' && v.name.trim() ? v.name.trim().slice(0, 80) : channel;
  const config: NetworkConfig = { name, channel, genesisHash: genesis, nodes, cas };
  if (typeof v.faucet === 'string' && v.faucet.startsWith('/')) config.faucet = v.faucet;
  return { ok: true, value: config };
}

/** The network named in a link's query (?channel=&genesis=&node=...&ca=Org1=...), if any. */
export function networkFromQuery(search: string): Checked<NetworkConfig> | undefined {
  const q = new URLSearchParams(search);
  if (!q.has('genesis')) return undefined;
  const cas: Record<string, string> = {};
  for (const entry of q.getAll('ca')) {
    const at = entry.indexOf('=');
    if (at > 0) cas[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return checkNetworkConfig({
    name: q.get('name') ?? undefined,
    channel: q.get('channel') ?? '',
    genesisHash: q.get('genesis'),
    nodes: q.getAll('node'),
    cas,
  });
}

/** A link that opens this UI on `config` (the faucet, a property of one server, is left out). */
export function networkLink(config: NetworkConfig, base: string): string {
  const url = new URL(base);
  url.hash = '';
  const q = new URLSearchParams();
  q.set('name', config.name);
  q.set('channel', config.channel);
  q.set('genesis', config.genesisHash);
  for (const n of config.nodes) q.append('node', n);
  for (const [org, address] of Object.entries(config.cas)) q.append('ca', `${org}=${address}`);
  url.search = q.toString();
  return url.toString();
}

/** What a person pastes: a link to this UI with a network, or a network JSON. */
export function parseNetworkInput(text: string): Checked<NetworkConfig> {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      return checkNetworkConfig(JSON.parse(t));
    } catch {
      return fail('That is not valid JSON.');
    }
  }
  try {
    const url = new URL(t);
    return networkFromQuery(url.search) ?? fail('That link names no network (no genesis=...).');
  } catch {
    return fail('Paste a network link or a network JSON.');
  }
}
