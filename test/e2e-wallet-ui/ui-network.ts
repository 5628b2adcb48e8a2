// A real dev network as `weft up` (`pnpm start`) runs it: one process per
// node (solo orderer, one peer+gateway of Org1 and one of Org2, so blocks
// carry both orgs' attestations), the enrollment secrets it prints, and the
// wallet UI it serves with /network.json and the dev faucet. The app is
// built from its sources into the test's folder first, so neither a clean
// clone (no packages/wallet-ui/dist) nor a stale dist/ changes what is tested.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildWalletUi } from '../../packages/node/src/up/ui-server.js';
import { type RunningNetwork, up } from '../../packages/node/src/up/up.js';
import { freeBasePort } from '../../packages/node/test/e2e/ports.js';
import { NodeFaults } from './node-faults.js';

export interface Secret {
  org: string;
  id: string;
  secret: string;
}

export interface UiNetwork {
  url: string;
  genesisHash: string;
  secrets: Secret[];
  /** Stalls, stops and restarts the network's node processes. */
  faults: NodeFaults;
  stop(): Promise<void>;
}

/** Reads the secrets `weft up` prints ("  Org1       id user-…  secret …  expires …"). */
export function parseSecrets(output: string): Secret[] {
  const found: Secret[] = [];
  for (const m of output.matchAll(/^\s+(\S+)\s+id (\S+)\s+secret ([0-9a-f]+)\s/gm)) {
    found.push({ org: m[1]!, id: m[2]!, secret: m[3]! });
  }
  return found;
}

export async function startUiNetwork(): Promise<UiNetwork> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-e2e-wallet-ui-'));
  let output = '';
  let net: RunningNetwork | undefined;
  try {
    // Built from the sources now (a few seconds), so a stale dist/ is never what is tested.
    const uiDir = path.join(dir, 'ui');
    await buildWalletUi(uiDir);
    const basePort = await freeBasePort({ nodes: 3, min: 40_000, max: 43_000 });
    net = await up({
      dir,
      orgs: 2,
      peersPerOrg: 1,
      basePort,
      channel: 'weft',
      startingCoins: 1000n,
      ui: { port: 0, dir: uiDir },
      out: (line) => {
        output += line;
      },
    });
    if (!net.uiUrl) throw new Error('weft up served no wallet UI');
    const running = net;
    return {
      url: net.uiUrl,
      genesisHash: net.prepared.genesisHash,
      secrets: parseSecrets(output),
      faults: new NodeFaults(running, dir),
      async stop() {
        // A paused process would not stop: resume everything first.
        for (const p of running.processes) p.child.kill('SIGCONT');
        await running.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await net?.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
