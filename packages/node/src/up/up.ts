import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toHex, txCodeName } from '@weft/core';
import { CaClient, formatRegistrations } from '../ca/index.js';
import { GatewayClient } from '../client/gateway-client.js';
import { mintProposal } from '../client/proposals.js';
import { loadMember } from '../material/member.js';
import { ensureNatsServer, NatsCluster } from '../orderer/index.js';
import {
  type DevNetworkLayout,
  type DevNode,
  exists,
  type PreparedNetwork,
  prepareDevNetwork,
} from './dev-network.js';
import { type DevUi, type DevUiOptions, startDevUi } from './dev-ui.js';
import { type NodeProcess, startNodeProcess, stopNodeProcess, waitHealthy } from './supervisor.js';

export interface UpOptions extends DevNetworkLayout {
  /** Coins minted to each demo client the first time. */
  startingCoins: bigint;
  /** Enrollment secrets registered per org with a CA on first start, and printed (default 2). */
  enrollSecrets?: number;
  /** Serve the wallet UI (packages/wallet-ui/dist) for this network; off when absent. */
  ui?: DevUiOptions;
  out: (line: string) => void;
}

export interface RunningNetwork {
  prepared: PreparedNetwork;
  processes: NodeProcess[];
  /** jetstream ordering: the NATS cluster holding the channel's log. */
  nats?: NatsCluster;
  /** The wallet UI's address, when it is served. */
  uiUrl?: string;
  stop(): Promise<void>;
}

/**
 * `weft up`: prepares (or finds) the dev network, starts every node as its
 * own process, waits until each answers /healthz, mints starting coins to
 * the demo clients once, and prints what runs where.
 */
export async function up(options: UpOptions): Promise<RunningNetwork> {
  const prepared = await prepareDevNetwork(options);
  const started = await startDevProcesses(prepared, {
    dir: options.dir,
    log: (line) => options.out(`${line}\n`),
  });
  const { processes, nats } = started;
  let ui: DevUi | undefined;
  const stop = async () => {
    await ui?.close();
    await started.stop();
  };
  try {
    // Every node has introduced itself to every other: gateways can reach all endorsers.
    await Promise.all(
      prepared.nodes.map((n, i) =>
        waitHealthy(
          n.opsUrl,
          processes[i]!,
          60_000,
          (h) => (h.knownNodes ?? 0) >= prepared.nodes.length - 1,
        ),
      ),
    );
    await mintStartingCoins(prepared, options);
    await registerStartingSecrets(prepared, options);
    if (options.ui) ui = await startDevUi(prepared, options.channel, options.ui, options.out);
  } catch (err) {
    await stop();
    throw err;
  }
  options.out(describe(prepared, options));
  if (ui) options.out(`wallet UI: ${ui.url}\n`);
  return { prepared, processes, ...(ui ? { uiUrl: ui.url } : {}), ...(nats ? { nats } : {}), stop };
}

/** Processes of a prepared dev network: its nodes and, for jetstream, its NATS cluster. */
export interface DevProcesses {
  /** In the order of the nodes asked for. */
  processes: NodeProcess[];
  nats?: NatsCluster;
  /** Stops the nodes, then the NATS cluster. */
  stop(): Promise<void>;
}

/**
 * Starts a prepared dev network's NATS cluster (jetstream ordering) and
 * then `nodes` (default: all of them), each as its own process logging
 * under `<dir>/logs`, and waits until each answers /healthz. Whatever
 * started is stopped again when this fails.
 */
export async function startDevProcesses(
  prepared: PreparedNetwork,
  options: { dir: string; nodes?: readonly DevNode[]; log: (line: string) => void },
): Promise<DevProcesses> {
  const nodes = options.nodes ?? prepared.nodes;
  const processes: NodeProcess[] = [];
  let nats: NatsCluster | undefined;
  const stop = async () => {
    await Promise.all(processes.map((p) => stopNodeProcess(p)));
    // Last: orderers stopping may still append to the log.
    await nats?.stop();
  };
  try {
    if (prepared.ordering === 'jetstream') nats = await startDevNats(prepared, options);
    const logDir = path.join(path.resolve(options.dir), 'logs');
    for (const node of nodes) {
      processes.push(
        await startNodeProcess({ name: node.name, configFile: node.configFile, logDir }),
      );
    }
    await Promise.all(nodes.map((n, i) => waitHealthy(n.opsUrl, processes[i]!)));
  } catch (err) {
    await stop();
    throw err;
  }
  return { processes, ...(nats ? { nats } : {}), stop };
}

/**
 * The dev network's NATS cluster, one nats-server per URL of the genesis
 * (route and monitoring ports 100 and 200 above each client port), its
 * JetStream files under `<dir>/nats`, so a restart finds the log again.
 * nats-server comes from PATH, or Debian's package installed when running
 * as root; otherwise the error says how to install it.
 */
async function startDevNats(
  prepared: PreparedNetwork,
  options: { dir: string; log: (line: string) => void },
): Promise<NatsCluster> {
  const ports = prepared.natsServers.map((url) => {
    const client = Number(new URL(url).port);
    return { client, cluster: client + 100, http: client + 200 };
  });
  const binary = ensureNatsServer({ log: options.log });
  return NatsCluster.start({
    dir: path.join(path.resolve(options.dir), 'nats'),
    size: ports.length,
    ports,
    binary,
  });
}

async function mintStartingCoins(prepared: PreparedNetwork, options: UpOptions): Promise<void> {
  const marker = path.join(path.resolve(options.dir), 'minted');
  if ((await exists(marker)) || options.startingCoins <= 0n) return;
  const bankOrg = prepared.manifest.orgs.find((o) => o.kind === 'bank');
  const bank = bankOrg?.members.find((m) => m.role === 'cb');
  if (!bankOrg || !bank) return;
  const banker = await loadMember(path.join(prepared.materialDir, 'orgs', bankOrg.name, bank.name));
  const clients = prepared.manifest.orgs.flatMap((o) =>
    o.members.filter((m) => m.role === 'client').map((m) => m.publicKey),
  );
  const gateways = prepared.nodes.filter((n) => n.roles.includes('gateway')).map((n) => n.ws);
  const client = await GatewayClient.connect({ gateways, channel: options.channel });
  try {
    const { signedProposal } = await mintProposal(
      options.channel,
      [banker],
      clients.map((owner) => ({
        amount: options.startingCoins,
        owner: Uint8Array.from(Buffer.from(owner, 'hex')),
        label: 'FBC',
      })),
    );
    const status = await client.submit(signedProposal, true);
    if (status.status !== 'committed')
      throw new Error(`starting mint not committed: ${status.status}`);
    options.out(
      `minted ${options.startingCoins} FBC to ${clients.length} demo clients (${txCodeName(status.code)}, block ${status.block}, tx ${toHex(status.txid).slice(0, 16)}...)\n`,
    );
    await writeFile(marker, `${toHex(status.txid)}\n`);
  } finally {
    await client.close();
  }
}

/**
 * On first start, registers a few one-time enrollment secrets with each
 * org's CA (as the org's admin from the material) and prints them: the
 * only time they are shown. Later starts print how to register more.
 */
async function registerStartingSecrets(
  prepared: PreparedNetwork,
  options: UpOptions,
): Promise<void> {
  const count = options.enrollSecrets ?? 2;
  const marker = path.join(path.resolve(options.dir), 'registered');
  const cas = prepared.nodes.filter((n) => n.caOrg !== undefined);
  if (cas.length === 0 || count <= 0) return;
  if (await exists(marker)) {
    options.out(
      `enrollment: pnpm weft ca register --org ${cas[0]!.caOrg} --network ${options.dir} registers more secrets\n`,
    );
    return;
  }
  const lines: string[] = [];
  for (const node of cas) {
    const org = node.caOrg!;
    const admin = prepared.manifest.orgs
      .find((o) => o.name === org)
      ?.members.find((m) => m.role === 'admin');
    if (!admin) continue;
    const signer = await loadMember(path.join(prepared.materialDir, 'orgs', org, admin.name));
    const client = await CaClient.connect({ node: node.ws });
    try {
      lines.push(formatRegistrations(org, await client.register({ org, admin: signer, count })));
    } finally {
      await client.close();
    }
  }
  options.out(
    `enrollment secrets (single use, shown only now; a wallet enrolls with org, id and secret):\n${lines.join('')}`,
  );
  await writeFile(marker, `${new Date().toISOString()}\n`);
}

function describe(prepared: PreparedNetwork, options: UpOptions): string {
  const lines = [
    `weft dev network ${prepared.fresh ? 'created' : 'resumed'} in ${path.resolve(options.dir)}`,
    `channel ${options.channel}, genesis ${prepared.genesisHash}`,
    ...prepared.nodes.map(
      (n) =>
        `  ${n.name.padEnd(16)} ${n.roles.join('+').padEnd(13)} tcp ${n.tcp}  ws ${n.ws}  ops ${n.opsUrl}`,
    ),
    `logs: ${path.join(path.resolve(options.dir), 'logs')}`,
    ...(prepared.natsServers.length > 0
      ? [`NATS JetStream (the ordering log): ${prepared.natsServers.join(' ')}`]
      : []),
    'Ctrl-C stops every node; run again to resume.',
  ];
  return `${lines.join('\n')}\n`;
}
