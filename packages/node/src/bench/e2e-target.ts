import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Channel } from '@weft/core';
import { nativeEd25519 } from '../crypto/native-ed25519.js';
import { readGenesisFile } from '../material/genesis.js';
import type { MaterialManifest } from '../material/index.js';
import { type LoadedMember, loadMember } from '../material/member.js';
import type { NatsCluster } from '../orderer/index.js';
import { NETWORK_FILE, type NetworkInfo } from '../up/dev-network.js';
import type { RunningNetwork } from '../up/up.js';
import { sleep } from '../util/sleep.js';
import { findPidByArg, type Measured } from './e2e-cpu.js';

/** The network a benchmark drives: its channel, material, nodes and NATS servers. */
export interface Target {
  channel: string;
  channelConfig: Channel;
  materialDir: string;
  manifest: MaterialManifest;
  nodes: { name: string; roles: string[]; ws: string; ops: string; pid: number | undefined }[];
  /** jetstream ordering: the NATS servers holding the log, measured like the nodes. */
  nats: Measured[];
}

/** The NATS servers of a cluster this process started, as measured processes. */
export function natsProcesses(nats: NatsCluster | undefined): Measured[] {
  return (nats?.specs ?? []).map((s, i) => ({ name: s.name, roles: ['nats'], pid: nats?.pid(i) }));
}

/** A running `weft up` network, from its directory; pids found by command line. */
export async function targetRunning(dir: string): Promise<Target> {
  const info = JSON.parse(await readFile(path.join(dir, NETWORK_FILE), 'utf8')) as NetworkInfo;
  const genesis = await readGenesisFile(path.join(dir, 'channels', `${info.channel}.block`));
  const nodes = await Promise.all(
    info.nodes.map(async (n) => ({
      ...n,
      pid: await findPidByArg('--config', path.join(dir, 'nodes', `${n.name}.yaml`)),
    })),
  );
  const nats = await Promise.all(
    (info.nats ?? []).map(async (_, i) => {
      const name = `nats-${i + 1}`;
      const pid = await findPidByArg('-c', path.join(dir, 'nats', name, 'nats.conf'));
      return { name, roles: ['nats'], pid };
    }),
  );
  return {
    channel: info.channel,
    channelConfig: genesis.channel,
    materialDir: info.materialDir,
    manifest: JSON.parse(await readFile(path.join(info.materialDir, 'material.json'), 'utf8')),
    nodes,
    nats,
  };
}

/** A network this process started with up(). */
export async function targetStarted(net: RunningNetwork, channel: string): Promise<Target> {
  const { prepared } = net;
  return {
    channel,
    channelConfig: (await readGenesisFile(prepared.genesisFile)).channel,
    materialDir: prepared.materialDir,
    manifest: prepared.manifest,
    nodes: prepared.nodes.map((n, i) => ({
      name: n.name,
      roles: n.roles,
      ws: n.ws,
      ops: n.opsUrl,
      pid: net.processes[i]?.child.pid,
    })),
    nats: natsProcesses(net.nats),
  };
}

/** A node's channel height from its /healthz; undefined when it does not answer. */
export async function channelHeight(opsUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${opsUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
    const h = (await res.json()) as { channels?: { height: number }[] };
    return h.channels?.[0]?.height;
  } catch {
    return undefined;
  }
}

/**
 * Waits until every peer has committed as far as the furthest one. A spend
 * is endorsed by peers of every org, so a setup mint committed only at the
 * submitting gateway's peer would be refused elsewhere (ENDORSE_CHAINCODE).
 */
export async function peersCaughtUp(t: Target, timeoutMs = 60_000): Promise<void> {
  const peers = t.nodes.filter((n) => n.roles.includes('peer'));
  const heights = async () => Promise.all(peers.map((p) => channelHeight(p.ops)));
  const target = Math.max(...(await heights()).map((h) => h ?? 0));
  const deadline = Date.now() + timeoutMs;
  while (!(await heights()).every((h) => h !== undefined && h >= target)) {
    if (Date.now() > deadline) throw new Error(`peers did not all reach height ${target}`);
    await sleep(100);
  }
}

/** Members of a dev network's material, by role, loaded with the native backend (fast signing). */
export async function loadMembers(
  materialDir: string,
  manifest: MaterialManifest,
  role: string,
): Promise<{ org: string; member: LoadedMember }[]> {
  const out: { org: string; member: LoadedMember }[] = [];
  for (const org of manifest.orgs) {
    for (const m of org.members.filter((x) => x.role === role)) {
      const dir = path.join(materialDir, 'orgs', org.name, m.name);
      out.push({ org: org.name, member: await loadMember(dir, { backend: nativeEd25519 }) });
    }
  }
  return out;
}
