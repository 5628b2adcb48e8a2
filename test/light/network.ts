// A real local network for light-client tests: a solo orderer and an Org1
// peer+gateway (WebSockets open for light clients), each a WeftNode in this
// process, on channel 'weft'. The only thing a light client is given is the
// channel's genesis hash and the peer's multiaddr. With `ca`, the peer also
// runs Org1's CA (/weft/enroll/1.0.0) and Org1 has an admin to register
// enrollment secrets, as `weft up` sets it up.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type NodeRole, resolveNodeConfig } from '../../packages/node/src/config/index.js';
import {
  createChannelGenesis,
  generateMaterial,
  type LoadedMember,
  loadMember,
  validateNetworkSpec,
} from '../../packages/node/src/material/index.js';
import { WeftNode } from '../../packages/node/src/node/weft-node.js';

export interface LocalNetwork {
  genesisHash: Uint8Array;
  orderer: WeftNode;
  peer: WeftNode;
  /** The peer's WebSocket multiaddr, with /p2p. */
  peerWs: string;
  bank: LoadedMember;
  alice: LoadedMember;
  /** Org1's admin (registers enrollment secrets), when started with `ca`. */
  admin?: LoadedMember;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startLocalNetwork(options: { ca?: boolean } = {}): Promise<LocalNetwork> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-light-e2e-'));
  const ordererPort = await freePort();
  const spec = validateNetworkSpec({
    version: 1,
    validity: { days: 2 },
    orgs: [
      { name: 'Org1', kind: 'peer', peers: 1, clients: 1, ...(options.ca ? { admins: 1 } : {}) },
      {
        name: 'OrdererOrg',
        kind: 'orderer',
        orderers: 1,
        addresses: [`/ip4/127.0.0.1/tcp/${ordererPort}`],
      },
      { name: 'CentralBank', kind: 'bank', centralBanks: 1 },
    ],
    channels: [
      {
        name: 'weft',
        orgs: ['Org1', 'OrdererOrg', 'CentralBank'],
        ordering: { type: 'solo', maxTxCount: 50, batchTimeoutMs: 200 },
      },
    ],
  });
  const materialDir = path.join(dir, 'material');
  await generateMaterial({ spec, outDir: materialDir });
  const out = path.join(dir, 'weft.block');
  const genesis = await createChannelGenesis({ spec, materialDir, channel: 'weft', out });
  const member = (ref: string) => path.join(materialDir, 'orgs', ref);
  const config = (name: string, identity: string, roles: NodeRole[], tcp: string) =>
    resolveNodeConfig(
      {
        name,
        dataDir: path.join(dir, 'data', name),
        identity: member(identity),
        listen: { tcp, ws: roles.includes('peer') ? '/ip4/127.0.0.1/tcp/0/ws' : null },
        ops: null,
        log: { level: 'silent' },
        channels: [{ name: 'weft', genesis: out, roles }],
        // Org1's only peer leads its org from the start (Fabric's orgLeader). Left to
        // elect itself, it would wait a whole election timeout (10 s by default) for a
        // leader of its org it cannot hear before pulling any block from the orderer.
        ...(roles.includes('peer') ? { gossip: { staticLeader: true } } : {}),
        ...(options.ca && roles.includes('peer') ? { ca: { orgDir: member('Org1') } } : {}),
      },
      { baseDir: dir },
    );
  const orderer = await WeftNode.start(
    config('orderer0', 'OrdererOrg/orderer0', ['orderer'], `/ip4/127.0.0.1/tcp/${ordererPort}`),
  );
  let peer: WeftNode | undefined;
  try {
    peer = await WeftNode.start(
      config('org1-peer0', 'Org1/peer0', ['peer', 'gateway'], '/ip4/127.0.0.1/tcp/0'),
    );
    const peerWs = peer.host
      .getMultiaddrs()
      .map((m) => m.toString())
      .find((m) => m.includes('/ws/'));
    if (!peerWs) throw new Error('the peer has no WebSocket address');
    const started = peer;
    // Submitting before the orderer has met the peer would be refused.
    const peerKey = (await loadMember(member('Org1/peer0'))).cert.publicKey;
    const until = Date.now() + 20_000;
    while (!orderer.directory.isChannelMember('weft', peerKey)) {
      if (Date.now() > until) throw new Error('the orderer never learnt of the peer');
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      genesisHash: genesis.hash,
      orderer,
      peer: started,
      peerWs,
      bank: await loadMember(member('CentralBank/cb0')),
      alice: await loadMember(member('Org1/client0')),
      ...(options.ca ? { admin: await loadMember(member('Org1/admin0')) } : {}),
      async stop() {
        await started.close();
        await orderer.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await peer?.close();
    await orderer.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
