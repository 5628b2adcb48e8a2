// A real local network in this process, for tests of what clients see of a
// running node: a solo orderer and an Org1 peer+gateway, each a WeftNode,
// on channel 'weft' (Org1, OrdererOrg, CentralBank). The peer listens on
// TCP and WebSockets, the orderer on TCP only unless asked; a light client
// is given only the channel's genesis hash and the peer's multiaddr.
// Options add what some tests need: Org1's CA, a second channel, the
// orderer on WebSockets. Shared by packages/node/test and test/light.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Channel } from '@weft/core';
import { assert } from '@weft/test/harness';
import { type NodeRole, resolveNodeConfig } from '../../src/config/index.js';
import {
  createChannelGenesis,
  generateMaterial,
  type LoadedMember,
  loadMember,
  validateNetworkSpec,
} from '../../src/material/index.js';
import { WeftNode } from '../../src/node/weft-node.js';
import { eventually, wsAddr } from '../net/fixtures.js';

export interface LocalNetworkOptions {
  /**
   * Org1 has an admin (to register enrollment secrets) and its peer runs
   * Org1's CA (/weft/enroll/1.0.0), as `weft up` sets it up.
   */
  ca?: boolean;
  /**
   * Also Org2 (one peer, whose material is made but no node started) and a
   * channel 'other' of Org1, Org2, OrdererOrg and CentralBank, on which the
   * orderer orders and the Org1 peer is a peer but no gateway.
   */
  other?: boolean;
  /** The solo orderer's batch timeout; 200 ms unless given. */
  batchTimeoutMs?: number;
  /** The orderer listens on WebSockets too. */
  ordererWs?: boolean;
  /**
   * Org1's peer elects its org's leader as configured by default, instead of
   * leading from the start (Fabric's orgLeader). Electing, it waits a whole
   * election timeout (10 s by default) for a leader of its org it cannot
   * hear before pulling any block from the orderer.
   */
  electLeader?: boolean;
}

export interface LocalNetwork {
  /** The temporary directory everything is in; removed by `stop`. */
  dir: string;
  /** The generated material (`orgs/<Org>/<member>` below it). */
  materialDir: string;
  /** The folder of a member's material, e.g. 'Org1/client0'. */
  member(ref: string): string;
  /** Channel 'weft': its genesis block's hash (what a light client trusts) and its config. */
  genesisHash: Uint8Array;
  channel: Channel;
  orderer: WeftNode;
  peer: WeftNode;
  /** The peer's WebSocket multiaddr, with /p2p. */
  peerWs: string;
  /** Org1/peer0's certificate key (the peer node's libp2p key too). */
  peerKey: Uint8Array;
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

/**
 * Starts the network and waits until the orderer knows the peer (submitting
 * before then would be refused). On failure, whatever was started is
 * stopped and the directory removed.
 */
export async function startLocalNetwork(options: LocalNetworkOptions = {}): Promise<LocalNetwork> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-local-net-'));
  const started: WeftNode[] = [];
  const stop = async () => {
    for (const node of started.splice(0).reverse()) await node.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ordererPort = await freePort();
    const ordering = {
      type: 'solo',
      maxTxCount: 50,
      batchTimeoutMs: options.batchTimeoutMs ?? 200,
    };
    const spec = validateNetworkSpec({
      version: 1,
      validity: { days: 2 },
      orgs: [
        { name: 'Org1', kind: 'peer', peers: 1, clients: 1, ...(options.ca ? { admins: 1 } : {}) },
        ...(options.other ? [{ name: 'Org2', kind: 'peer', peers: 1 }] : []),
        {
          name: 'OrdererOrg',
          kind: 'orderer',
          orderers: 1,
          addresses: [`/ip4/127.0.0.1/tcp/${ordererPort}`],
        },
        { name: 'CentralBank', kind: 'bank', centralBanks: 1 },
      ],
      channels: [
        { name: 'weft', orgs: ['Org1', 'OrdererOrg', 'CentralBank'], ordering },
        ...(options.other
          ? [{ name: 'other', orgs: ['Org1', 'Org2', 'OrdererOrg', 'CentralBank'], ordering }]
          : []),
      ],
    });
    const materialDir = path.join(dir, 'material');
    await generateMaterial({ spec, outDir: materialDir });
    const genesis = async (channel: string) => {
      const out = path.join(dir, `${channel}.block`);
      return { out, ...(await createChannelGenesis({ spec, materialDir, channel, out })) };
    };
    const weft = await genesis('weft');
    const other = options.other ? await genesis('other') : undefined;
    const member = (ref: string) => path.join(materialDir, 'orgs', ref);
    /** Starts a node with `roles` on 'weft', and `otherRoles` on 'other' when there is one. */
    const start = async (
      name: string,
      identity: string,
      roles: NodeRole[],
      otherRoles: NodeRole[],
      tcp: string,
    ) => {
      const isPeer = roles.includes('peer');
      const config = resolveNodeConfig(
        {
          name,
          dataDir: path.join(dir, 'data', name),
          identity: member(identity),
          listen: { tcp, ws: isPeer || options.ordererWs ? '/ip4/127.0.0.1/tcp/0/ws' : null },
          ops: null,
          log: { level: 'silent' },
          channels: [
            { name: 'weft', genesis: weft.out, roles },
            ...(other ? [{ name: 'other', genesis: other.out, roles: otherRoles }] : []),
          ],
          ...(isPeer && !options.electLeader ? { gossip: { staticLeader: true } } : {}),
          ...(isPeer && options.ca ? { ca: { orgDir: member('Org1') } } : {}),
        },
        { baseDir: dir },
      );
      const node = await WeftNode.start(config);
      started.push(node);
      return node;
    };
    const orderer = await start(
      'orderer0',
      'OrdererOrg/orderer0',
      ['orderer'],
      ['orderer'],
      `/ip4/127.0.0.1/tcp/${ordererPort}`,
    );
    const peer = await start(
      'org1-peer0',
      'Org1/peer0',
      ['peer', 'gateway'],
      ['peer'],
      '/ip4/127.0.0.1/tcp/0',
    );
    const peerKey = (await loadMember(member('Org1/peer0'))).cert.publicKey;
    await eventually(
      () => orderer.directory.isChannelMember('weft', peerKey),
      'the orderer knows the peer',
      20_000,
    );
    return {
      dir,
      materialDir,
      member,
      genesisHash: weft.hash,
      channel: weft.channel,
      orderer,
      peer,
      peerWs: wsAddr(peer.host).toString(),
      peerKey,
      bank: await loadMember(member('CentralBank/cb0')),
      alice: await loadMember(member('Org1/client0')),
      ...(options.ca ? { admin: await loadMember(member('Org1/admin0')) } : {}),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Rejects with a remote error carrying `code`: the node refused. */
export async function refusedWith(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: string; remote?: boolean };
    assert.equal(e.code, code, String(err));
    assert.isTrue(e.remote, `${code} should come from the node: ${String(err)}`);
    return;
  }
  assert.fail(`expected ${code}, got an answer`);
}
