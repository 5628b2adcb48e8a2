// The network issue's end-to-end checks on a `weft up` network (2 orgs x 2
// peers, one process per node, driven through gateways over WebSockets),
// run once per ordering type by network.test.ts and network-jetstream.test.ts.
import type { OrderingType } from '@weft/core';
import { toHex, txCodeName } from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { GatewayClient } from '../../src/client/gateway-client.js';
import { planSpend, signFabcoinProposal } from '../../src/client/proposals.js';
import { CHANNEL, channelHealth, startUpNetwork, type UpNetwork } from './network-fixture.js';
import { until } from './test-network.js';

export function networkSuite(options: { ordering: OrderingType; min: number; max: number }) {
  const { ordering } = options;
  const orderers = ordering === 'jetstream' ? '3 jetstream orderers' : '1 solo orderer';
  describe(`e2e (${ordering}): ${orderers} + 2 orgs x 2 peers, one process per node`, () => {
    let n: UpNetwork;

    before(async () => {
      n = await startUpNetwork(options);
    });

    after(async () => {
      await n?.destroy();
    });

    it('starts every orderer process up() was asked for, all on the same chain', async () => {
      assert.lengthOf(n.orderers, ordering === 'jetstream' ? 3 : 1);
      assert.equal(n.net.prepared.ordering, ordering);
      assert.equal(n.net.nats !== undefined, ordering === 'jetstream');
      // The starting mint is block 1: every orderer has cut (or read) it.
      const heights = await until('every orderer past the starting mint', async () => {
        const hs = await Promise.all(n.orderers.map(async (o) => (await channelHealth(o)).height));
        return hs.every((h) => h >= 2) ? hs : undefined;
      });
      assert.lengthOf(heights, n.orderers.length);
    });

    it('commits the starting mint and a spend; every peer has the same height, txs and commitHash', async () => {
      const alice = await n.material('Org1/client0');
      const bob = await n.material('Org2/client0');
      const coins = await n.client.coins(alice.cert.publicKey);
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
        channel: CHANNEL,
        creator: alice,
        request: { type: 'spend', ...plan! },
      });
      const status = await n.client.submit(signedProposal, true);
      assert.equal(status.status, 'committed');
      assert.equal(toHex(status.txid), toHex(txid));
      if (status.status === 'committed') assert.equal(txCodeName(status.code), 'VALID');
      const bobCoins = await n.client.coins(bob.cert.publicKey);
      assert.sameMembers(
        bobCoins.map((c) => c.amount),
        [1000n, 300n],
      );

      const target = status.status === 'committed' ? status.block + 1 : 0;
      const views = await until('every peer at the spend block', async () => {
        const all = await Promise.all(n.peers.map(channelHealth));
        return all.every((h) => h.height >= target) ? all : undefined;
      });
      const first = views[0]!;
      for (const v of views) {
        assert.equal(v.height, first.height);
        assert.equal(v.txCount, first.txCount);
        assert.equal(v.commitHash, first.commitHash);
      }
    });

    it('a double spend submitted twice at once through two gateways ends with exactly one VALID', async () => {
      const bob = await n.material('Org2/client0');
      const alice = await n.material('Org1/client0');
      const coin = (await n.client.coins(bob.cert.publicKey)).find((c) => c.amount === 300n);
      assert.isDefined(coin);
      const submitVia = async (gatewayIndex: number, to: Uint8Array) => {
        const via = await GatewayClient.connect({
          gateways: [n.gateways[gatewayIndex]!.ws],
          channel: CHANNEL,
        });
        try {
          const { signedProposal } = await signFabcoinProposal({
            channel: CHANNEL,
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
}
