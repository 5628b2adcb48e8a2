// The wallet UI end to end: `weft up`'s machinery starts a real network
// (separate node processes) and serves the built app; Debian's Chromium,
// driven by playwright-core, is two people. Alice creates a wallet (words
// shown once, then confirmed), enrolls with a secret `weft up` printed,
// receives minted coins from the dev faucet and pays Bob, who restored his
// wallet from recovery words in his own browser context. Both balances and
// statuses move only on verified verdicts; the payment is opened in the
// explorer and the auditor replays the chain to a clean report. Screenshots
// of the wallet, explorer and auditor are saved under test-results/wallet-ui.
import { readFile } from 'node:fs/promises';
import { createMnemonic } from '@weft/light';
import { after, assert, before, describe, it } from '@weft/test/harness';
import type { Browser } from 'playwright-core';
import { chromiumPath } from '../support/chromium.js';
import { type Holder, launch, newHolder, screenshot } from './browser.js';
import { startUiNetwork, type UiNetwork } from './ui-network.js';
import * as ui from './ui-steps.js';

const CHROMIUM = chromiumPath();
const PASSPHRASE = 'correct horse battery staple';

describe('wallet UI in Chromium against a weft up network', () => {
  let net: UiNetwork;
  let browser: Browser;
  let alice: Holder;
  let bob: Holder;
  let bobKey = '';
  let txid = '';

  before(async () => {
    const [started, launched] = await Promise.allSettled([startUiNetwork(), launch(CHROMIUM)]);
    if (started.status === 'fulfilled') net = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    alice = await newHolder(browser, 'alice');
    bob = await newHolder(browser, 'bob', 390);
  });

  after(async () => {
    await browser?.close();
    await net?.stop();
  });

  it('serves the app and its network; weft up printed enrollment secrets for both orgs', async () => {
    const network = (await (await fetch(new URL('network.json', net.url))).json()) as {
      genesisHash: string;
      nodes: string[];
      faucet?: string;
    };
    assert.equal(network.genesisHash, net.genesisHash);
    assert.lengthOf(network.nodes, 2);
    assert.equal(network.faucet, '/faucet');
    assert.sameMembers([...new Set(net.secrets.map((s) => s.org))], ['Org1', 'Org2']);
  });

  it('alice creates a wallet, enrolls, and receives minted coins verified valid', async () => {
    const words = await ui.createWallet(alice.page, net.url, PASSPHRASE);
    assert.lengthOf(words, 24);
    // The header shows the connected nodes and the verified height.
    const pill = await ui.shownText(alice.page.getByTestId('connection'));
    assert.match(pill, /\d\/2 nodes · verified height \d+/);
    await ui.enroll(alice.page, net.secrets.find((s) => s.org === 'Org1')!);
    await ui.openBalances(alice.page);
    await alice.page.getByRole('button', { name: 'Get 1,000 test FBC (dev faucet)' }).click();
    await ui.waitSpendable(alice.page, 'FBC', '1,000');
    const coins = alice.page.getByTestId('coins').locator('tbody tr');
    assert.deepEqual(
      await coins
        .locator('[data-status]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
      ['valid'],
    );
    assert.deepEqual(alice.errors, []);
  });

  it('bob restores a wallet from recovery words at phone width; the page fits', async () => {
    await ui.restoreWallet(bob.page, net.url, createMnemonic(), PASSPHRASE);
    bobKey = await ui.ownerKey(bob.page);
    assert.match(bobKey, /^[0-9a-f]{64}$/);
    await bob.page.getByRole('img', { name: `QR code of the owner key ${bobKey}` }).waitFor();
    const overflow = await bob.page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.isAtMost(overflow, 0, 'no horizontal scrolling at 390 px');
    await screenshot(bob.page, 'wallet-receive-phone');
  });

  it('alice pays bob: the review shows the spend, the verdict is verified, both balances move', async () => {
    assert.match(bobKey, /^[0-9a-f]{64}$/, 'bob has an owner key');
    const sent = await ui.send(alice.page, bobKey, '250', 'FBC');
    assert.include(sent.review, 'Pay 250 FBC');
    assert.include(sent.review, bobKey);
    assert.include(sent.review, 'change, to a new key of this wallet 750 FBC');
    assert.equal(sent.status, 'valid', await ui.shownText(sent.outcome));
    txid = (await sent.outcome.getByRole('link').first().getAttribute('href'))!.replace(
      '#/tx/',
      '',
    );
    assert.match(txid, /^[0-9a-f]{64}$/);

    await ui.openBalances(alice.page);
    await ui.waitSpendable(alice.page, 'FBC', '750');
    await screenshot(alice.page, 'wallet');
    const aliceHistory = await ui.historyRows(alice.page);
    assert.match(aliceHistory[0]!, /^Sent .*−250 FBC Valid.* #\d+/);

    await ui.openBalances(bob.page);
    await ui.waitSpendable(bob.page, 'FBC', '250');
    const bobHistory = await ui.historyRows(bob.page);
    assert.match(bobHistory[0]!, /^Received \+250 FBC Valid.* #\d+/);
    assert.deepEqual([...alice.errors, ...bob.errors], []);
  });

  it('a wrong passphrase is refused in words; the right one unlocks, by keyboard alone', async () => {
    const page = alice.page;
    await page.getByRole('button', { name: 'Lock' }).click();
    const passphrase = page.getByLabel('Passphrase');
    await passphrase.fill('not the passphrase');
    await passphrase.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Wrong passphrase.' }).waitFor();
    await passphrase.fill(PASSPHRASE);
    await passphrase.press('Enter');
    await page.getByRole('button', { name: 'Lock' }).waitFor();
    assert.isFalse(await page.getByText('Wrong passphrase.').isVisible());
  });

  it('opens the payment in the explorer: inputs, outputs, proof and the block attestations', async () => {
    assert.match(txid, /^[0-9a-f]{64}$/, 'the payment step sent one');
    const page = alice.page;
    await page.goto(`${net.url}#/explorer`);
    await page.getByLabel('Block number, block hash or transaction id').fill(txid);
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByTestId('tx-status')
      .and(page.locator('[data-status="valid"]'))
      .waitFor({ timeout: 30_000 });
    const facts = await ui.shownText(page.getByTestId('tx-facts'));
    assert.match(facts, /Inclusion proof\s+✓ verified/);
    assert.match(facts, /Attested by\s+Org1 \(1 peer\), Org2 \(1 peer\)/);
    assert.match(await ui.shownText(page.getByTestId('tx-outputs')), /250 FBC to .* 750 FBC to/);
    await screenshot(page, 'explorer-tx');
    await page
      .getByRole('link', { name: /^#\d+$/ })
      .first()
      .click();
    await page
      .getByTestId('attestation-status')
      .filter({ hasText: 'Attested' })
      .waitFor({ timeout: 30_000 });
    const txs = await ui.shownText(page.getByTestId('block-txs'));
    assert.include(txs, 'VALID');
    await screenshot(page, 'explorer');
  });

  it('runs the auditor in the page to a clean report and downloads it as JSON', async () => {
    const page = alice.page;
    await page.goto(`${net.url}#/audit`);
    await page.getByRole('button', { name: 'Audit the chain' }).click();
    const report = page.getByTestId('audit-report');
    await report.waitFor({ timeout: 60_000 });
    assert.equal(await ui.shownText(page.getByTestId('audit-verdict')), 'Clean');
    assert.equal(await page.getByTestId('audit-progress').getAttribute('data-phase'), 'done');
    await page.getByTestId('tx-chart').locator('canvas').waitFor();
    await screenshot(page, 'auditor');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the report (JSON)' }).click(),
    ]);
    const json = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
      clean: boolean;
      genesisHash: string;
      totals: {
        valid: number;
        invalid: number;
        coins: Record<string, { minted: string; spent: string }>;
      };
    };
    assert.isTrue(json.clean);
    assert.equal(json.genesisHash, net.genesisHash);
    // The starting mint to the demo clients, the faucet's mint, alice's payment.
    assert.equal(json.totals.valid, 3);
    assert.equal(json.totals.invalid, 0);
    assert.equal(json.totals.coins.FBC?.minted, '3000');
    assert.equal(json.totals.coins.FBC?.spent, '1000');
    assert.deepEqual([...alice.errors, ...bob.errors], []);
  });
});
