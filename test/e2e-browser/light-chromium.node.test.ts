// End to end, in a real Chromium against a real local network: separate
// `weft node start` processes (solo orderer, an Org1 and an Org2
// peer+gateway with WebSockets open), and the real @weft/light bundled for
// the browser (browser.ts), given only the genesis hash and the peers'
// WebSocket multiaddrs. The page syncs and verifies headers, keeps them in
// IndexedDB across a reload, verifies minted transactions and coins by
// Merkle proofs and both orgs' attestations, and runs the full-chain
// auditor: clean at first, then naming the one peer that attests wrong
// codes (the node's WEFT_FAULT_ATTEST_WRONG_CODES test hook).
//
// Steps call the page's LightPageApi (page-api.ts); new steps (the wallet's)
// add a method there and in page.ts and call it here with `page.call`.
import { randomSecretKey, signerFromSecret, toHex } from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { until } from '../../packages/node/test/e2e/test-network.js';
import { type LightPage, openLightPage } from './browser.js';
import { BrowserE2ENetwork, FAULTY } from './network.js';
import type { AuditView, TxView } from './page-api.js';

const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const DB = 'weft-e2e-headers';
/** Coin owners: keys as a wallet holds them. */
const alice = await signerFromSecret(randomSecretKey());
const bob = await signerFromSecret(randomSecretKey());

function assertValid(v: TxView, what: string): void {
  assert.equal(v.status, 'valid', `${what}: ${v.status} ${v.reason ?? ''} ${v.message ?? ''}`);
  assert.equal(v.code, 'VALID', what);
  // The channel's attestation policy is a MAJORITY of the two peer orgs: both.
  assert.deepEqual(v.attesterOrgs, ['Org1', 'Org2'], `${what}: attested by both orgs`);
}

describe('light client in Chromium on a real network (separate node processes, WebSockets)', () => {
  let net: BrowserE2ENetwork;
  let page: LightPage;
  let minted: string[] = [];
  let syncedHeight = 0;

  const open = () =>
    page.call('open', {
      channel: net.channel,
      genesisHash: net.genesisHash,
      nodes: net.peerWs,
      dbName: DB,
    });

  before(async () => {
    // The network's processes and the browser bundle start side by side.
    const [started, opened] = await Promise.allSettled([
      BrowserE2ENetwork.start(),
      openLightPage({ executablePath: CHROMIUM, log: (line) => console.log(`[chromium] ${line}`) }),
    ]);
    if (started.status === 'fulfilled') net = started.value;
    if (opened.status === 'fulfilled') page = opened.value;
    if (started.status === 'rejected') throw started.reason;
    if (opened.status === 'rejected') throw opened.reason;
    // Four mints submitted together: one block of four, so each has a two-hash proof.
    minted = await net.mint([
      { amount: 30n, owner: alice.publicKey, label: 'USD' },
      { amount: 12n, owner: alice.publicKey, label: 'USD' },
      { amount: 7n, owner: alice.publicKey, label: 'EUR' },
      { amount: 5n, owner: bob.publicKey, label: 'USD' },
    ]);
  });

  after(async () => {
    await page?.close();
    await net?.stop();
  });

  it('syncs headers from the genesis hash alone and verifies minted transactions and coins', async () => {
    assert.equal((await open()).storedHeight, 0, 'a first visit has no stored headers');
    const synced = await page.call('sync');
    assert.equal(synced.phases[0], 'genesis');
    assert.equal(synced.phases.at(-1), 'done');
    assert.isAtLeast(synced.height, 2, 'genesis and the block of mints');
    const views: TxView[] = [];
    for (const [i, txid] of minted.entries()) {
      const v = await page.call('verifyTx', txid, 30_000);
      assertValid(v, `mint ${i}`);
      views.push(v);
    }
    // One block of four: each is proven by an RFC 6962 path of two hashes to the header.
    assert.equal(new Set(views.map((v) => v.block)).size, 1, 'the mints share a block');
    assert.deepEqual(views.map((v) => v.index).sort(), [0, 1, 2, 3]);
    for (const v of views) {
      assert.equal(v.treeSize, 4);
      assert.equal(v.proofLength, 2);
    }

    const ofAlice = await page.call('coins', toHex(alice.publicKey));
    assert.isTrue(ofAlice.complete);
    assert.deepEqual(ofAlice.coins.map((c) => `${c.amount} ${c.label} ${c.status}`).sort(), [
      '12 USD valid',
      '30 USD valid',
      '7 EUR valid',
    ]);
    assert.deepEqual(ofAlice.balances, { USD: '42', EUR: '7' });
    const ofBob = await page.call('coins', toHex(bob.publicKey));
    assert.deepEqual(ofBob.balances, { USD: '5' });
    syncedHeight = (await page.call('sync')).height;
    assert.deepEqual(page.errors, []);
  });

  it('keeps the verified headers in IndexedDB and resumes after a page reload', async () => {
    assert.isAtLeast(syncedHeight, 2, 'the first step synced');
    await page.reload();
    const reopened = await open();
    assert.equal(reopened.storedHeight, syncedHeight, 'the stored tip, before any request');
    const synced = await page.call('sync');
    assert.notInclude(synced.phases, 'genesis', 'block 0 comes from IndexedDB, not a node');
    assert.isAtLeast(synced.height, syncedHeight);
    assertValid(await page.call('verifyTx', minted[0]!, 30_000), 'mint after the reload');
    assert.deepEqual(page.errors, []);
  });

  it('audits the whole chain: every block replayed, zero disagreements', async () => {
    const height = await net.height();
    const { report, progressEvents } = await page.call('audit');
    assert.isUndefined(report.failure);
    assert.isTrue(report.clean);
    assert.deepEqual(report.disagreements, []);
    assert.deepEqual(report.codeMismatches, []);
    assert.equal(report.unattested.count, 0, 'both orgs attested every block');
    assert.equal(report.genesisHash, net.genesisHash);
    assert.isAtLeast(report.height, height);
    assert.equal(progressEvents, report.height);
    assert.equal(report.totals.valid, minted.length);
    assert.equal(report.totals.invalid, 0);
    assert.deepEqual(report.totals.coins.USD, {
      minted: '47',
      spent: '0',
      unspent: '47',
      unspentCoins: 3,
    });
    assert.equal(report.totals.coins.EUR?.minted, '7');
  });

  it('names the peer that attests wrong codes; verdicts still rest on the honest majority', async () => {
    const faultyKey = await net.publicKeyOf('Org1/peer1');
    const honestKeys = [await net.publicKeyOf('Org1/peer0'), await net.publicKeyOf('Org2/peer0')];
    await net.startFaultyPeer(await net.height());
    const [txid] = await net.mint([{ amount: 3n, owner: bob.publicKey, label: 'USD' }]);
    const v = await page.call('verifyTx', txid!, 30_000);
    assertValid(v, 'mint after the faulty peer joined');
    const block = v.block!;

    // The faulty peer's attestation of the new block reaches the honest peers by gossip.
    let last: AuditView | undefined;
    const { report } = await until<AuditView>(
      `an audit showing ${FAULTY}'s attestation of block ${block}`,
      async () => {
        last = await page.call('audit');
        return last.report.disagreements.some((d) => d.block === block) ? last : undefined;
      },
      30_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last report: ${JSON.stringify(last?.report)}`);
    });
    assert.isUndefined(report.failure);
    assert.isFalse(report.clean);
    assert.isAtLeast(report.height, block + 1);
    assert.deepEqual(report.codeMismatches, [], 'the serving peers are honest');
    assert.equal(report.unattested.count, 0, 'the honest peers still satisfy the policy');
    assert.isNotEmpty(report.disagreements);
    for (const d of report.disagreements) {
      assert.deepEqual(d.signer, { org: 'Org1', role: 'peer', key: faultyKey }, `block ${d.block}`);
      assert.deepEqual(d.fields, ['codesHash'], `block ${d.block}: codes only`);
      assert.notEqual(d.attested.codesHash, d.expected.codesHash);
      assert.notInclude(honestKeys, d.signer.key);
    }
    assert.deepEqual(page.errors, []);
  });
});
