// A real local network of separate `weft node start` processes (the
// supervisor `weft up` uses) for the Chromium end-to-end test: a solo
// orderer, one peer+gateway of Org1 and one of Org2 (so blocks carry
// attestations of both orgs; the channel's attestation policy is a MAJORITY
// of peer orgs, i.e. both), each with a WebSocket listener for light
// clients; the Org1 peer also runs Org1's CA (/weft/enroll/1.0.0), whose
// admin registers one-time enrollment secrets for wallets. A second Org1
// peer, started on demand, runs with the node's test-only fault switch
// WEFT_FAULT_ATTEST_WRONG_CODES=1: it commits correctly but attests wrong
// codes for every block.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatEnrollSecret, toHex } from '@weft/core';
import { CaClient } from '../../packages/node/src/ca/index.js';
import { GatewayClient } from '../../packages/node/src/client/gateway-client.js';
import { mintProposal } from '../../packages/node/src/client/proposals.js';
import { defaultSpecInput } from '../../packages/node/src/material/index.js';
import { type LoadedMember, loadMember } from '../../packages/node/src/material/member.js';
import { freeBasePort } from '../../packages/node/test/e2e/ports.js';
import { TestNetwork, until } from '../../packages/node/test/e2e/test-network.js';

const HONEST = ['org1-peer0', 'org2-peer0'] as const;
/** The honest Org1 peer runs Org1's CA. */
const CA_NODE = HONEST[0];
export const FAULTY = 'org1-peer1';
/** The fault switch's variable, read in packages/node/src/pipeline/commit-pipeline.ts. */
const FAULT_ENV = 'WEFT_FAULT_ATTEST_WRONG_CODES';

export interface Output {
  amount: bigint;
  owner: Uint8Array;
  label: string;
}

export class BrowserE2ENetwork {
  readonly channel = 'weft';
  readonly #dir: string;
  readonly #net: TestNetwork;
  readonly #gateway: GatewayClient;
  readonly #banker: LoadedMember;

  private constructor(dir: string, net: TestNetwork, gateway: GatewayClient, banker: LoadedMember) {
    this.#dir = dir;
    this.#net = net;
    this.#gateway = gateway;
    this.#banker = banker;
  }

  /** Material, genesis and configs in a temporary folder; orderer and honest peers running. */
  static async start(): Promise<BrowserE2ENetwork> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-e2e-browser-'));
    let net: TestNetwork | undefined;
    try {
      const basePort = await freeBasePort({ nodes: 4, min: 16_000, max: 19_000 });
      const weft = (roles: ('peer' | 'gateway')[]) => [{ name: 'weft', roles }];
      net = await TestNetwork.create({
        dir,
        basePort,
        spec: defaultSpecInput({
          peerOrgs: 2,
          peersPerOrg: 2,
          ordererAddress: `/ip4/127.0.0.1/tcp/${basePort}`,
          // Mints submitted together share a block (so their Merkle proofs are not empty).
          maxTxCount: 4,
          batchTimeoutMs: 1500,
        }),
        nodes: [
          {
            name: 'orderer0',
            member: 'OrdererOrg/orderer0',
            channels: [{ name: 'weft', roles: ['orderer'] }],
            bootstrap: [],
          },
          { name: CA_NODE, member: 'Org1/peer0', channels: weft(['peer', 'gateway']), ca: true },
          { name: HONEST[1], member: 'Org2/peer0', channels: weft(['peer', 'gateway']) },
          { name: FAULTY, member: 'Org1/peer1', channels: weft(['peer']), late: true },
        ],
      });
      await net.start('orderer0', ...HONEST);
      // Endorsements need both orgs, and attestations are gossiped once,
      // never pulled: mint only when each peer hears the other's gossip.
      await gossipReady(net, HONEST);
      const started = net;
      const gateway = await GatewayClient.connect({
        gateways: HONEST.map((n) => started.node(n).ws),
        channel: 'weft',
      });
      const banker = await loadMember(net.memberDir('CentralBank/cb0'));
      return new BrowserE2ENetwork(dir, net, gateway, banker);
    } catch (err) {
      await net?.stop();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Hex of the channel's genesis hash: all the light client is told, with `peerWs`. */
  get genesisHash(): string {
    return this.#net.genesisHash.get(this.channel)!;
  }

  /** The honest peers' WebSocket multiaddrs (with /p2p). */
  get peerWs(): string[] {
    return HONEST.map((n) => this.#net.node(n).ws);
  }

  /** The WebSocket multiaddr of the node running Org1's CA. */
  get caWs(): string {
    return this.#net.node(CA_NODE).ws;
  }

  /**
   * A one-time enrollment secret of Org1, registered by Org1's admin (as
   * `weft ca register --org Org1` does): its id and the secret's text as
   * the admin is shown it.
   */
  async registerEnrollment(): Promise<{ id: string; secret: string }> {
    const admin = await loadMember(this.#net.memberDir('Org1/admin0'));
    const ca = await CaClient.connect({ node: this.caWs });
    try {
      const [registered] = await ca.register({ org: 'Org1', admin, count: 1 });
      if (!registered) throw new Error('the CA registered no secret');
      return { id: registered.id, secret: formatEnrollSecret(registered.secret) };
    } finally {
      await ca.close();
    }
  }

  /** A member's public key, hex (e.g. 'Org1/peer1'). */
  async publicKeyOf(member: string): Promise<string> {
    return toHex((await loadMember(this.#net.memberDir(member))).cert.publicKey);
  }

  /** Mints `outputs` (one transaction each, submitted together) and waits for their commits. */
  async mint(outputs: readonly Output[]): Promise<string[]> {
    return Promise.all(
      outputs.map(async (o) => {
        const { signedProposal, txid } = await mintProposal(this.channel, [this.#banker], [o]);
        const status = await this.#gateway.submit(signedProposal, true);
        if (status.status !== 'committed') throw new Error(`mint not committed: ${status.status}`);
        return toHex(txid);
      }),
    );
  }

  /**
   * Starts the faulty Org1 peer (WEFT_FAULT_ATTEST_WRONG_CODES=1 in its
   * environment only) and waits until it has caught up to `height`.
   */
  async startFaultyPeer(height: number): Promise<void> {
    // startNodeProcess passes this process's environment to the child it spawns.
    process.env[FAULT_ENV] = '1';
    try {
      await this.#net.start(FAULTY);
    } finally {
      delete process.env[FAULT_ENV];
    }
    await until(
      `${FAULTY} at height ${height}`,
      async () =>
        (await this.#net.channel(FAULTY, this.channel)).height >= height ? true : undefined,
      60_000,
    );
    // Its attestations reach the honest peers by gossip.
    await gossipReady(this.#net, [FAULTY]);
  }

  /** The height every honest peer has reached (the lowest of them). */
  async height(): Promise<number> {
    const views = await Promise.all(HONEST.map((n) => this.#net.channel(n, this.channel)));
    return Math.min(...views.map((v) => v.height));
  }

  async stop(): Promise<void> {
    await this.#gateway.close().catch(() => {});
    await this.#net.stop();
    await rm(this.#dir, { recursive: true, force: true });
  }
}

/**
 * Waits until each of `names` has accepted another peer's `alive` message
 * on the channel's state topic (the topic attestations travel on), so what
 * it publishes from now on has subscribers to reach.
 */
async function gossipReady(net: TestNetwork, names: readonly string[]): Promise<void> {
  const alive = { channel: 'weft', direction: 'in', type: 'alive', verdict: 'accept' };
  await until(
    `state gossip at ${names.join(', ')}`,
    async () => {
      const heard = await Promise.all(
        names.map((n) => net.metric(n, 'weft_gossip_messages_total', alive)),
      );
      return heard.every((count) => count > 0) ? true : undefined;
    },
    30_000,
  );
}
