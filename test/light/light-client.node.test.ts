// @weft/light against a real network over WebSockets: coins are minted
// through the gateway (the node package's client), then a light client that
// knows only the genesis hash syncs and verifies headers with
// Libp2pTransport, submits a spend through the gateway itself, and sees
// every transaction and coin reach `valid` by proofs and attestations.
import { coinKey, randomSecretKey, sha256, signerFromSecret, TxCode, utf8 } from '@weft/core';
import {
  HeaderChain,
  Libp2pTransport,
  ProofVerifier,
  type SyncProgress,
  type TxVerdict,
} from '@weft/light';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { type TestStorage, testStorage } from '../../packages/light/test/support/db.js';
import { GatewayClient } from '../../packages/node/src/client/gateway-client.js';
import { mintProposal, signFabcoinProposal } from '../../packages/node/src/client/proposals.js';
import {
  type LocalNetwork,
  startLocalNetwork,
} from '../../packages/node/test/node/local-network.js';

const bob = await signerFromSecret(randomSecretKey());

function assertValid(v: TxVerdict, what: string): void {
  assert.equal(
    v.status,
    'valid',
    `${what}: ${v.status} ${v.status === 'unverifiable' ? v.message : ''}`,
  );
}

describe('light client on a running network (solo orderer, Org1 peer+gateway, WebSockets)', () => {
  let net: LocalNetwork;
  let transport: Libp2pTransport;
  let verifier: ProofVerifier;
  let storage: TestStorage;
  const txids: Record<string, Uint8Array> = {};

  before(async () => {
    net = await startLocalNetwork();
    const gateway = await GatewayClient.connect({ gateways: [net.peerWs], channel: 'weft' });
    try {
      const alice = net.alice.cert.publicKey;
      const { signedProposal, txid } = await mintProposal(
        'weft',
        [net.bank],
        [
          { amount: 30n, owner: alice, label: 'USD' },
          { amount: 5n, owner: bob.publicKey, label: 'USD' },
        ],
      );
      const status = await gateway.submit(signedProposal, true);
      assert.equal(status.status, 'committed');
      txids.mint = txid;
    } finally {
      await gateway.close();
    }
    transport = await Libp2pTransport.create({ channel: 'weft', nodes: [net.peerWs] });
    // memory-level in this test; a Node app passes classic-level, a browser browser-level or IndexedDB.
    storage = (await testStorage(net.genesisHash)).storage;
    const chain = await HeaderChain.open({ transport, genesisHash: net.genesisHash, ...storage });
    verifier = new ProofVerifier({ chain });
  });

  after(async () => {
    await transport?.close();
    await net?.stop();
  });

  it('syncs headers from the genesis hash alone and verifies a minted transaction', async () => {
    const progress: SyncProgress[] = [];
    const tip = await verifier.chain.sync({ onProgress: (p) => progress.push(p) });
    assert.isAtLeast(tip.number, 1);
    assert.equal(progress[0]?.phase, 'genesis');
    assert.equal(progress.at(-1)?.phase, 'done');
    assertValid(await verifier.waitForTx(txids.mint!, { timeoutMs: 20_000 }), 'mint');
  });

  it('submits a spend through the gateway and follows it to a verified verdict', async () => {
    const alice = net.alice;
    const { signedProposal, txid } = await signFabcoinProposal({
      channel: 'weft',
      creator: alice,
      request: {
        type: 'spend',
        inputs: [coinKey(txids.mint!, 0)],
        outputs: [
          { amount: 12n, owner: bob.publicKey, label: 'USD' },
          { amount: 18n, owner: alice.cert.publicKey, label: 'USD' },
        ],
      },
    });
    const submitted = await transport.submit(signedProposal, false);
    assert.deepEqual(submitted.value.txid, txid);
    txids.spend = txid;
    const verdict = await verifier.waitForTx(txid, { timeoutMs: 30_000 });
    assertValid(verdict, 'spend');
    if (verdict.status === 'valid') assert.equal(verdict.code, TxCode.VALID);
    // Spending the same coin again is judged by the peers, and the client sees it.
    const again = await signFabcoinProposal({
      channel: 'weft',
      creator: alice,
      request: {
        type: 'spend',
        inputs: [coinKey(txids.mint!, 0)],
        outputs: [{ amount: 30n, owner: bob.publicKey, label: 'USD' }],
      },
    });
    try {
      await transport.submit(again.signedProposal, true);
    } catch {
      // The gateway may refuse it before ordering (its endorsers see the coin spent).
    }
    const second = await verifier.verifyTx(again.txid);
    assert.include(['pending', 'invalid'], second.status);
  });

  it("lists each owner's coins verified against their transactions", async () => {
    const ofBob = await verifier.coins(bob.publicKey);
    assert.isTrue(ofBob.complete);
    assert.deepEqual(ofBob.coins.map((c) => `${c.amount} ${c.status}`).sort(), [
      '12 valid',
      '5 valid',
    ]);
    assert.deepEqual(ofBob.balances, { USD: 17n });
    const ofAlice = await verifier.coins(net.alice.cert.publicKey);
    assert.deepEqual(ofAlice.balances, { USD: 18n });
    assert.equal((await verifier.verifyTx(sha256(utf8('no such tx')))).status, 'pending');
  });

  it('resumes from the stored headers and fails over past a node it cannot use', async () => {
    const height = verifier.chain.height;
    // The orderer first: a TCP address this WebSocket-only client cannot dial (and no ledger).
    const second = await Libp2pTransport.create({
      channel: 'weft',
      nodes: [net.orderer.host.getMultiaddrs()[0]!.toString(), net.peerWs],
      timeoutMs: 5_000,
    });
    try {
      const genesisHash = net.genesisHash;
      const chain = await HeaderChain.open({ transport: second, genesisHash, ...storage });
      assert.equal(chain.height, height, 'stored tip, before any request');
      await chain.sync();
      assert.isAtLeast(chain.height, height);
      assertValid(await new ProofVerifier({ chain }).verifyTx(txids.spend!), 'spend, resumed');
    } finally {
      await second.close();
    }
  });
});
