// End to end, in a real Chromium against a real local network: separate
// `weft node start` processes (solo orderer, an Org1 and an Org2
// peer+gateway with WebSockets open), and the real @weft/light bundled for
// the browser (browser.ts), given only the genesis hash and the peers'
// WebSocket multiaddrs. The page syncs and verifies headers, keeps them in
// IndexedDB across a reload, verifies minted transactions and coins by
// Merkle proofs and both orgs' attestations; runs a Fabcoin wallet whose
// encrypted vault is in IndexedDB (created in the page, enrolled through
// Org1's CA, paid by the central bank, paying a second wallet, unlocked
// again after a reload); and runs the full-chain auditor: clean at first,
// then naming the one peer that attests wrong codes (the node's
// WEFT_FAULT_ATTEST_WRONG_CODES test hook).
//
// Steps call the page's LightPageApi (page-api.ts) with `page.call`; an
// error thrown in the page arrives as a PageError with its code and class.
import { fromHex, randomSecretKey, signerFromSecret, toHex } from '@weft/core';
import { DEFAULT_MNEMONIC_WORDS, DEFAULT_PBKDF2_ITERATIONS, isValidMnemonic } from '@weft/light';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { until } from '../../packages/node/test/e2e/test-network.js';
import { chromiumPath } from '../support/chromium.js';
import { type LightPage, openLightPage, PageError } from './browser.js';
import { BrowserE2ENetwork, FAULTY } from './network.js';
import type { AuditView, BalanceView, PageErrorView, TxView } from './page-api.js';

const CHROMIUM = chromiumPath();
const DB = 'weft-e2e-headers';
const VAULTS = 'weft-e2e-vaults';
const PASSPHRASE = 'a passphrase for the e2e wallets';
/** Coin owners: keys as a wallet holds them. */
const alice = await signerFromSecret(randomSecretKey());
const bob = await signerFromSecret(randomSecretKey());

function assertValid(v: TxView, what: string): void {
  assert.equal(v.status, 'valid', `${what}: ${v.status} ${v.reason ?? ''} ${v.message ?? ''}`);
  assert.equal(v.code, 'VALID', what);
  // The channel's attestation policy is a MAJORITY of the two peer orgs: both.
  assert.deepEqual(v.attesterOrgs, ['Org1', 'Org2'], `${what}: attested by both orgs`);
}

/** A wallet's balance holding only `spendable` USD, every coin of it verified. */
function onlyUsd(spendable: string): BalanceView {
  return {
    labels: { USD: { spendable, locked: '0', pending: '0', unverifiable: '0' } },
    complete: true,
  };
}

/** The error a page call rejected with, as the page described it. */
async function pageFailure(call: Promise<unknown>): Promise<PageErrorView> {
  const err = await call.then(
    (value) => assert.fail(`expected the page to throw, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  assert.instanceOf(err, PageError);
  return (err as PageError).view;
}

describe('light client in Chromium on a real network (separate node processes, WebSockets)', () => {
  let net: BrowserE2ENetwork;
  let page: LightPage;
  let minted: string[] = [];
  let syncedHeight = 0;
  /** The wallet steps' state: what each step hands to the next. */
  const wallet = { mnemonic: '', coinKeys: [] as string[], spent: false };
  const vault = (name: string) => ({ vaultDb: VAULTS, name, passphrase: PASSPHRASE });

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
    // @weft/light's sideEffects field keeps its polyfill import: esbuild warns of nothing.
    assert.deepEqual(page.bundleWarnings, []);
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

  it("creates a wallet in IndexedDB, enrolls it at Org1's CA, and sees minted coins valid", async () => {
    const created = await page.call('walletCreate', { ...vault('alice'), labels: ['USD'] });
    assert.lengthOf(created.mnemonic.split(' '), DEFAULT_MNEMONIC_WORDS);
    assert.isTrue(isValidMnemonic(created.mnemonic), 'a BIP39 sentence');
    assert.deepEqual(created.stored, ['alice']);
    assert.deepInclude(
      created.vault,
      { kdf: 'PBKDF2-SHA256', iterations: DEFAULT_PBKDF2_ITERATIONS },
      'the production KDF policy',
    );
    assert.isFalse(created.vault.containsMnemonic, 'IndexedDB holds only ciphertext');
    // navigator.storage.persist() was asked; without a grant, Chromium decides the answer.
    assert.isTrue(created.persistence.supported);
    assert.isBoolean(created.persistence.persisted);
    assert.isUndefined(created.persistence.error);
    wallet.mnemonic = created.mnemonic;

    // Org1's admin registers a one-time secret (in Node); the holder types it into the page.
    const secret = await net.registerEnrollment();
    const cert = await page.call('walletEnroll', 'alice', { ca: net.caWs, org: 'Org1', ...secret });
    assert.equal(cert.org, 'Org1');
    assert.equal(cert.role, 'client');
    const received = await page.call('walletReceive', 'alice');
    assert.equal(received.index, 0);
    assert.deepEqual(received.certificate, cert, 'receive shows the certificate');
    assert.notEqual(
      received.ownerKey,
      cert.publicKey,
      'coins go to an owner key, not the identity',
    );

    // The secret is single-use: a second wallet presenting it is refused by the CA.
    await page.call('walletCreate', { ...vault('bob'), labels: ['USD'] });
    const reused = await pageFailure(
      page.call('walletEnroll', 'bob', { ca: net.caWs, org: 'Org1', ...secret }),
    );
    assert.include(reused, { kind: 'TransportError', code: 'ENROLL_SECRET_USED', remote: true });

    const owner = fromHex(received.ownerKey);
    const mints = await net.mint([
      { amount: 30n, owner, label: 'USD' },
      { amount: 12n, owner, label: 'USD' },
    ]);
    // Attestations follow the commit by a moment.
    await until(
      'alice sees 42 USD valid',
      async () =>
        (await page.call('walletBalance', 'alice')).labels.USD?.spendable === '42'
          ? true
          : undefined,
      30_000,
    );
    assert.deepEqual(await page.call('walletBalance', 'alice'), onlyUsd('42'));
    const { coins, complete } = await page.call('walletCoins', 'alice');
    assert.isTrue(complete);
    assert.deepEqual(
      coins.map((c) => `${c.amount} ${c.label} ${c.status} ${c.ownerIndex}`).sort(),
      ['12 USD valid 0', '30 USD valid 0'],
    );
    // Each coin is output 0 of one of the mints, verified in a block.
    assert.sameMembers(
      coins.map((c) => c.key),
      mints.map((txid) => `${txid}.0`),
    );
    for (const c of coins) {
      assert.isNumber(c.block);
      assert.isFalse(c.locked);
    }
    wallet.coinKeys = coins.map((c) => c.key);
    assert.deepEqual(page.errors, []);
  });

  it('pays a second wallet from two coins with change; both balances move by verified verdicts', async () => {
    assert.lengthOf(wallet.coinKeys, 2, 'the wallet step received two coins');
    const to = (await page.call('walletReceive', 'bob')).ownerKey;
    assert.deepEqual(await page.call('walletBalance', 'bob'), onlyUsd('0'));

    const paid = await page.call('walletSpend', 'alice', { to, label: 'USD', amount: '35' });
    assert.equal(paid.status, 'valid', JSON.stringify(paid));
    assertValid(paid.verdict, 'the spend');
    assert.sameMembers(paid.inputs, wallet.coinKeys);
    assert.equal(paid.change, '7');
    wallet.spent = true;

    assert.deepEqual(await page.call('walletBalance', 'alice'), onlyUsd('7'));
    assert.deepEqual(await page.call('walletBalance', 'bob'), onlyUsd('35'));
    // Output 0 paid bob; output 1 returned the change to alice's next owner key.
    const coinsOf = async (name: string) =>
      (await page.call('walletCoins', name)).coins.map((c) => ({
        key: c.key,
        amount: c.amount,
        status: c.status,
        block: c.block,
        ownerIndex: c.ownerIndex,
      }));
    const block = paid.verdict.block;
    assert.deepEqual(await coinsOf('bob'), [
      { key: `${paid.txid}.0`, amount: '35', status: 'valid', block, ownerIndex: 0 },
    ]);
    assert.deepEqual(await coinsOf('alice'), [
      { key: `${paid.txid}.1`, amount: '7', status: 'valid', block, ownerIndex: 1 },
    ]);
    assert.deepEqual(await page.call('walletHistory', 'alice'), {
      pending: 0,
      history: [{ txid: paid.txid, outcome: 'valid', amount: '35', label: 'USD', block: block! }],
    });
    // Bob owns coins without a certificate, but cannot submit a spend without one.
    const refused = await pageFailure(
      page.call('walletSpend', 'bob', { to, label: 'USD', amount: '1' }),
    );
    assert.include(refused, { kind: 'WalletError', code: 'WALLET_NOT_ENROLLED' });
    assert.deepEqual(page.errors, []);
  });

  it('keeps the vaults in IndexedDB across a reload: the passphrase unlocks, a wrong one fails cleanly', async () => {
    assert.isTrue(wallet.spent, 'the spend step paid bob');
    // As a holder accepting the browser's prompt: persist() can now answer true.
    await page.grantPersistentStorage();
    await page.reload();
    await open();
    assert.deepEqual(await page.call('walletNames', VAULTS), ['alice', 'bob']);

    const wrong = await pageFailure(
      page.call('walletUnlock', { ...vault('alice'), passphrase: 'not the passphrase' }),
    );
    assert.include(wrong, { kind: 'WalletError', code: 'WALLET_BAD_PASSPHRASE' });
    const locked = await pageFailure(page.call('walletBalance', 'alice'));
    assert.include(locked, { kind: 'WalletError', code: 'WALLET_LOCKED' });

    assert.deepEqual(await page.call('walletUnlock', vault('alice')), {
      kdfUpgraded: false,
      persistence: { supported: true, persisted: true },
      enrolledOrg: 'Org1',
    });
    assert.deepEqual(await page.call('walletBalance', 'alice'), onlyUsd('7'));
    assert.deepEqual(
      (await page.call('walletHistory', 'alice')).history.map((h) => h.outcome),
      ['valid'],
    );

    // The sentence shown once restores the keys: a restored copy finds the change coin.
    const restored = await page.call('walletCreate', {
      ...vault('alice-restored'),
      mnemonic: wallet.mnemonic,
      labels: ['USD'],
    });
    assert.equal(restored.mnemonic, wallet.mnemonic);
    assert.deepEqual(restored.persistence, { supported: true, persisted: true });
    assert.deepEqual(await page.call('walletBalance', 'alice-restored'), onlyUsd('7'));
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
    assert.isTrue(wallet.spent, 'the wallet steps ran');
    // The four mints, the wallet's two and its spend.
    assert.equal(report.totals.valid, minted.length + 3);
    assert.equal(report.totals.invalid, 0);
    // 47 minted first, 30 + 12 to the wallet; both spent into 35 to bob and 7 of change.
    assert.deepEqual(report.totals.coins.USD, {
      minted: '89',
      spent: '42',
      unspent: '89',
      unspentCoins: 5,
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
