import path from 'node:path';
import { loadMember } from '../material/member.js';
import type { PreparedNetwork } from './dev-network.js';
import { devFaucet, type Faucet } from './faucet.js';
import { ensureWalletUiBuilt, startUiServer, type UiNetwork } from './ui-server.js';

export interface DevUiOptions {
  /** HTTP port of the wallet UI (0: any free port). */
  port: number;
  host?: string;
  /** The built app; default packages/wallet-ui/dist (built when missing). */
  dir?: string;
  /** Mount the dev faucet (POST /faucet, minting as the network's central bank). Default true. */
  faucet?: boolean;
}

export interface DevUi {
  url: string;
  close(): Promise<void>;
}

/** The wallet UI of a dev network: its static server, network.json and faucet. */
export async function startDevUi(
  prepared: PreparedNetwork,
  channel: string,
  o: DevUiOptions,
  log: (line: string) => void,
): Promise<DevUi> {
  const dir = o.dir ?? (await ensureWalletUiBuilt(log));
  const gateways = prepared.nodes.filter((n) => n.roles.includes('gateway')).map((n) => n.ws);
  const faucet = o.faucet === false ? undefined : await bankFaucet(prepared, channel, gateways);
  const network: UiNetwork = {
    name: `weft up (${channel})`,
    channel,
    genesisHash: prepared.genesisHash,
    nodes: gateways,
    cas: Object.fromEntries(prepared.nodes.flatMap((n) => (n.caOrg ? [[n.caOrg, n.ws]] : []))),
    ...(faucet ? { faucet: '/faucet' } : {}),
  };
  try {
    const server = await startUiServer({
      dir,
      port: o.port,
      host: o.host,
      network,
      faucet: faucet ? (body) => faucet.mint(body) : undefined,
    });
    return {
      url: server.url,
      async close() {
        await server.close();
        await faucet?.close();
      },
    };
  } catch (err) {
    await faucet?.close();
    throw err;
  }
}

async function bankFaucet(
  prepared: PreparedNetwork,
  channel: string,
  gateways: string[],
): Promise<Faucet | undefined> {
  const org = prepared.manifest.orgs.find((o) => o.kind === 'bank');
  const member = org?.members.find((m) => m.role === 'cb');
  if (!org || !member) return undefined;
  const bank = await loadMember(path.join(prepared.materialDir, 'orgs', org.name, member.name));
  return devFaucet({ channel, gateways, bank });
}
