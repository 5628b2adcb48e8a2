// A real dev network: 1 solo orderer and 2 orgs x 2 peers, each node its own
// process (weft up's code path), driven through gateways over WebSockets.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toHex, txCodeName } from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { GatewayClient } from '../../src/client/gateway-client.js';
import { planSpend, signFabcoinProposal } from '../../src/client/proposals.js';
import { loadMember } from '../../src/material/member.js';
import { type RunningNetwork, up } from '../../src/up/up.js';
import { freeBasePort } from './ports.js';

interface Health {
  channels: { name: string; height: number; commitHash?: string; txCount?: number }[];
}

async function health(url: string): Promise<Health> {
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
  return (await res.json()) as Health;
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await fn().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('e2e: a 1 orderer + 2 orgs x 2 peers network, one process per node', () => {
  let dir: string;
  let net: RunningNetwork;
  let client: GatewayClient;
  let basePort: number;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'weft-e2e-'));
    basePort = await freeBasePort({ nodes: 5, min: 20_000, max: 23_000 });
    net = await up({
      dir,
      orgs: 2,
      peersPerOrg: 2,
      basePort,
      channel: 'weft',
      startingCoins: 1000n,
      out: () => {},
    });
    client = await GatewayClient.connect({
      gateways: net.prepared.nodes.filter((n) => n.roles.includes('gateway')).map((n) => n.ws),
      channel: 'weft',
    });
  });

  after(async () => {
    await client?.close();
    await net?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const material = (ref: string) => loadMember(path.join(net.prepared.materialDir, 'orgs', ref));
  const peers = () => net.prepared.nodes.filter((n) => n.roles.includes('peer'));

  it('commits the starting mint and a spend; every peer has the same height, txs and commitHash', async () => {
    const alice = await material('Org1/client0');
    const bob = await material('Org2/client0');
    const coins = await client.coins(alice.cert.publicKey);
    assert.deepEqual(
      coins.map((c) => [c.amount, c.label]),
      [[1000n, 'FBC']],
    );
    const plan = planSpend({
      coins,
      owner: alice.cert.publicKey,
      to: bob.cert.publicKey,
      amount: 300n,
      label: 'FBC',
    });
    assert.isDefined(plan);
    const { signedProposal, txid } = await signFabcoinProposal({
      channel: 'weft',
      creator: alice,
      request: { type: 'spend', ...plan! },
    });
    const status = await client.submit(signedProposal, true);
    assert.equal(status.status, 'committed');
    assert.equal(toHex(status.txid), toHex(txid));
    if (status.status === 'committed') assert.equal(txCodeName(status.code), 'VALID');
    const bobCoins = await client.coins(bob.cert.publicKey);
    assert.sameMembers(
      bobCoins.map((c) => c.amount),
      [1000n, 300n],
    );

    const target = status.status === 'committed' ? status.block + 1 : 0;
    const views = await until('every peer at the spend block', async () => {
      const all = await Promise.all(peers().map((p) => health(p.opsUrl)));
      return all.every((h) => (h.channels[0]?.height ?? 0) >= target) ? all : undefined;
    });
    const first = views[0]!.channels[0]!;
    for (const v of views) {
      assert.equal(v.channels[0]!.height, first.height);
      assert.equal(v.channels[0]!.txCount, first.txCount);
      assert.equal(v.channels[0]!.commitHash, first.commitHash);
    }
  });

  it('a double spend submitted twice at once through two gateways ends with exactly one VALID', async () => {
    const bob = await material('Org2/client0');
    const alice = await material('Org1/client0');
    const coin = (await client.coins(bob.cert.publicKey)).find((c) => c.amount === 300n);
    assert.isDefined(coin);
    const gateways = net.prepared.nodes.filter((n) => n.roles.includes('gateway'));
    const submitVia = async (gatewayIndex: number, to: Uint8Array) => {
      const via = await GatewayClient.connect({
        gateways: [gateways[gatewayIndex]!.ws],
        channel: 'weft',
      });
      try {
        const { signedProposal } = await signFabcoinProposal({
          channel: 'weft',
          creator: bob,
          request: {
            type: 'spend',
            inputs: [coin!.key],
            outputs: [{ amount: 300n, owner: to, label: 'FBC' }],
          },
        });
        const s = await via.submit(signedProposal, true);
        return s.status === 'committed' ? txCodeName(s.code) : s.status;
      } catch (err) {
        return (err as { code?: string }).code ?? String(err);
      } finally {
        await via.close();
      }
    };
    const outcomes = await Promise.all([
      submitVia(0, alice.cert.publicKey),
      submitVia(3, bob.cert.publicKey),
    ]);
    assert.equal(outcomes.filter((o) => o === 'VALID').length, 1, JSON.stringify(outcomes));
    // The loser is caught by MVCC if both were ordered, or by the endorsers if it came second.
    const loser = outcomes.find((o) => o !== 'VALID');
    assert.include(['MVCC_READ_CONFLICT', 'ENDORSE_CHAINCODE'], loser);
  });
});
