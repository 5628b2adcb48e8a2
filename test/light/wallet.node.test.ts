// The Fabcoin wallet of @weft/light against a running network (solo
// orderer, Org1 peer+gateway running Org1's CA, WebSockets): a wallet that
// knows only the genesis hash and a peer enrolls with a one-time secret the
// org admin registered, receives coins the central bank mints to its owner
// key, sees them valid by proofs and attestations, and pays a second
// wallet: both balances change, each by verified verdicts only.
import { TxCode } from '@weft/core';
import {
  FabcoinWallet,
  HeaderChain,
  type LabelBalance,
  Libp2pTransport,
  ProofVerifier,
  WalletSession,
} from '@weft/light';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { testStorage } from '../../packages/light/test/support/db.js';
import { FAKE_PASS, FAST, mapStore } from '../../packages/light/test/wallet/helpers.js';
import { CaClient } from '../../packages/node/src/ca/index.js';
import { GatewayClient } from '../../packages/node/src/client/gateway-client.js';
import { mintProposal } from '../../packages/node/src/client/proposals.js';
import { until } from '../../packages/node/test/e2e/test-network.js';
import {
  type LocalNetwork,
  startLocalNetwork,
} from '../../packages/node/test/node/local-network.js';
import { openEnrollTransport } from '../../packages/wallet-cli/src/enroll-transport.js';

describe('Fabcoin wallet on a running network: enroll, receive, spend', () => {
  let net: LocalNetwork;
  let gateway: GatewayClient;
  let transport: Libp2pTransport;
  let alice: FabcoinWallet;
  let bob: FabcoinWallet;
  let secret: { id: string; secret: Uint8Array };

  const usd = async (w: FabcoinWallet): Promise<LabelBalance | undefined> => {
    const b = await w.balance();
    assert.isTrue(b.complete);
    return b.labels.USD;
  };

  before(async () => {
    net = await startLocalNetwork({ ca: true });
    const ca = await CaClient.connect({ node: net.peerWs });
    try {
      const [registered] = await ca.register({ org: 'Org1', admin: net.admin!, count: 1 });
      secret = registered!;
    } finally {
      await ca.close();
    }
    gateway = await GatewayClient.connect({ gateways: [net.peerWs], channel: 'weft' });
    transport = await Libp2pTransport.create({ channel: 'weft', nodes: [net.peerWs] });
    const genesisHash = net.genesisHash;
    const chain = await HeaderChain.open({
      transport,
      genesisHash,
      ...(await testStorage(genesisHash)).storage,
    });
    const verifier = new ProofVerifier({ chain });
    const wallet = async (name: string) =>
      new FabcoinWallet({
        session: await WalletSession.create({
          store: mapStore(),
          name,
          passphrase: FAKE_PASS,
          policy: FAST,
          labels: ['USD'],
        }),
        verifier,
        followTimeoutMs: 60_000,
      });
    alice = await wallet('alice');
    bob = await wallet('bob');
  });

  after(async () => {
    await transport?.close();
    await gateway?.close();
    await net?.stop();
  });

  it('enrolls with a one-time secret the org admin registered', async () => {
    const ca = await openEnrollTransport(net.peerWs);
    try {
      const cert = await alice.enroll({ transport: ca, org: 'Org1', ...secret });
      assert.equal(cert.org, 'Org1');
      assert.equal(cert.role, 'client');
      assert.deepEqual(cert.publicKey, (await alice.session.identityKey(0)).publicKey);
      assert.deepEqual(alice.session.metadata().enrollment?.certificate, cert);
    } finally {
      await ca.close();
    }
  });

  it('receives coins the central bank mints to its owner key and sees them valid', async () => {
    const { publicKey, certificate } = await alice.receive();
    assert.isDefined(certificate, 'an enrolled wallet shows its certificate');
    const { signedProposal } = await mintProposal(
      'weft',
      [net.bank],
      [
        { amount: 30n, owner: publicKey, label: 'USD' },
        { amount: 12n, owner: publicKey, label: 'USD' },
      ],
    );
    const minted = await gateway.submit(signedProposal, true);
    assert.equal(minted.status, 'committed');
    // Attestations follow the commit by a moment.
    await until(
      'alice sees 42 USD valid',
      async () => ((await usd(alice))?.spendable === 42n ? true : undefined),
      60_000,
    );
    const { coins } = await alice.coins();
    assert.deepEqual(coins.map((c) => `${c.amount} ${c.status}`).sort(), ['12 valid', '30 valid']);
  });

  it('pays a second wallet from two coins with change; both balances move by verified verdicts', async () => {
    const to = (await bob.receive()).ownerKey;
    assert.deepEqual(await usd(bob), { spendable: 0n, locked: 0n, pending: 0n, unverifiable: 0n });
    const paid = await alice.spend({ to, label: 'USD', amount: 35n });
    assert.equal(paid.status, 'valid', JSON.stringify(paid.followError));
    if (paid.verdict.status === 'valid') assert.equal(paid.verdict.code, TxCode.VALID);
    assert.lengthOf(paid.inputs, 2);
    assert.equal(paid.change, 7n);
    assert.deepEqual(await usd(alice), {
      spendable: 7n,
      locked: 0n,
      pending: 0n,
      unverifiable: 0n,
    });
    assert.deepEqual(await usd(bob), { spendable: 35n, locked: 0n, pending: 0n, unverifiable: 0n });
    const { coins } = await bob.coins();
    assert.deepEqual(
      coins.map((c) => [c.amount, c.status]),
      [[35n, 'valid']],
    );
    assert.deepEqual(
      alice.history().history.map((h) => h.outcome),
      ['valid'],
    );
    // Bob owns coins without any certificate, but cannot submit a spend without one.
    const refused = await bob.spend({ to, label: 'USD', amount: 1n }).catch((e: unknown) => e);
    assert.equal((refused as { code?: string }).code, 'WALLET_NOT_ENROLLED');
  });
});
