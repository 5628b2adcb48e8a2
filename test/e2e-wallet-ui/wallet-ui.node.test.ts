// The wallet UI end to end: `weft up`'s machinery starts a real network
// (separate node processes) and serves the built app; Debian's Chromium,
// driven by playwright-core, is two people. Alice creates a wallet (words
// shown once, then confirmed), enrolls with a secret `weft up` printed,
// receives minted coins from the dev faucet and pays Bob, who restored his
// wallet from recovery words in his own browser context. Both balances and
// statuses move only on verified verdicts; the payment is opened in the
// explorer and the auditor replays the chain to a clean report. Then what
// goes wrong, as a person sees it: a copy of Alice's wallet (restored from
// her words) spends the same coin at the same time, and one payment is
// judged a double spend; a peer goes down, and a payment it must endorse is
// refused in words while the page reads through the other node; the peer
// comes back attesting wrong codes, and the auditor names it. Screenshots
// of the wallet, explorer and auditor are saved under test-results/wallet-ui.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMnemonic } from '@weft/light';
import { after, assert, before, describe, it } from '@weft/test/harness';
import type { Browser } from 'playwright-core';
import type { DevNode } from '../../packages/node/src/up/dev-network.js';
import { chromiumPath } from '../support/chromium.js';
import { type Holder, launch, newHolder, screenshot } from './browser.js';
import { startUiNetwork, type UiNetwork } from './ui-network.js';
import * as ui from './ui-steps.js';

const CHROMIUM = chromiumPath();
const PASSPHRASE = 'correct horse battery staple';
const LONG = { timeout: 60_000 };
/** Chromium reports a refused WebSocket dial as a console error: expected once a node is down. */
const unexpected = (errors: string[]) =>
  errors.filter((e) => !/WebSocket connection to .* failed/.test(e));
/** A shortened key or hash as the page shows it. */
const SHORT = '[0-9a-f]{8}…[0-9a-f]{4}';

describe('wallet UI in Chromium against a weft up network', () => {
  let net: UiNetwork;
  let browser: Browser;
  let alice: Holder;
  let bob: Holder;
  /** More browser contexts (a copy of alice's wallet, an auditor), closed at the end. */
  const extra: Holder[] = [];
  /** The peer the fault steps stop, then restart attesting wrong codes. */
  let down: DevNode | undefined;
  let aliceWords: string[] = [];
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
    for (const h of extra) await h.context.close();
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
    aliceWords = words;
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
    // The whole history: the payment with recipient and change, and the minted coin it spent.
    const aliceHistory = await ui.historyRows(alice.page);
    assert.match(
      aliceHistory[0]!,
      new RegExp(`^Sent to ${SHORT} change 750 FBC back to this wallet .*−250 FBC Valid.* #\\d+`),
    );
    assert.match(
      aliceHistory[1]!,
      new RegExp(
        `^Minted by \\S+ ${SHORT} spent in ${SHORT} first seen .*\\+1,000 FBC Valid.* #\\d+`,
      ),
    );

    await ui.openBalances(bob.page);
    await ui.waitSpendable(bob.page, 'FBC', '250');
    const bobHistory = await ui.historyRows(bob.page);
    assert.match(
      bobHistory[0]!,
      new RegExp(`^Received from Org1 ${SHORT} first seen .*\\+250 FBC Valid.* #\\d+`),
    );
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
    // The latest blocks, down to the genesis on this short chain, with the paging controls.
    await page.getByTestId('latest-blocks').getByRole('link', { name: '#0' }).waitFor(LONG);
    assert.match(
      await ui.shownText(page.getByTestId('block-range')),
      /^Blocks #(\d+) to #0 of \d+$/,
    );
    await screenshot(page, 'explorer-blocks');
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

  it('a copy of the wallet spends the same coin at once: one payment valid, the other shown a double spend', async () => {
    assert.lengthOf(aliceWords, 24, 'alice has a wallet');
    const copy = await newHolder(browser, 'alice-copy');
    extra.push(copy);
    await ui.restoreWallet(copy.page, net.url, aliceWords.join(' '), PASSPHRASE);
    await ui.enroll(copy.page, net.secrets.filter((s) => s.org === 'Org1')[1]!);
    await alice.page.goto(`${net.url}#/wallet`);
    for (const h of [alice, copy]) {
      await ui.openBalances(h.page);
      await ui.waitSpendable(h.page, 'FBC', '750');
      const review = await ui.reviewPayment(h.page, bobKey, '100', 'FBC');
      assert.include(
        review,
        'change, to a new key of this wallet 650 FBC',
        'the same 750 FBC coin',
      );
    }
    // The orderer stalls while both payments are endorsed (that needs no orderer), so both
    // read the coin unspent; once it resumes, whichever is ordered second conflicts.
    const orderer = net.faults.node({ role: 'orderer' });
    net.faults.pause(orderer, true);
    let settled: PromiseSettledResult<Awaited<ReturnType<typeof ui.signAndWait>>>[];
    try {
      const signing = [alice, copy].map((h) => ui.signAndWait(h.page));
      for (const h of [alice, copy]) await h.page.getByText('Submitted as').waitFor(LONG);
      await sleep(2_000);
      net.faults.pause(orderer, false);
      settled = await Promise.allSettled(signing);
    } finally {
      net.faults.pause(orderer, false);
    }
    const outcomes = settled.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    assert.sameMembers(
      outcomes.map((o) => o.status),
      ['valid', 'invalid'],
    );
    const loser = outcomes[0]!.status === 'invalid' ? alice : copy;
    const lost = outcomes.find((o) => o.status === 'invalid')!.outcome;
    assert.include(
      await ui.shownText(lost),
      'The network judged the payment invalid; your coins were released.',
    );
    assert.equal(
      await ui.shownText(lost.getByTestId('spend-reason')),
      'Double spend: another transaction spent the same coin first, so this one moved nothing. MVCC_READ_CONFLICT',
    );
    // Both copies hold the winner's change; bob got one payment.
    for (const h of [alice, copy]) {
      await ui.openBalances(h.page);
      await ui.waitSpendable(h.page, 'FBC', '650');
    }
    await ui.openBalances(bob.page);
    await ui.waitSpendable(bob.page, 'FBC', '350');
    const rows = await ui.historyRows(loser.page);
    const invalid = rows.find((r) => / Invalid /.test(r));
    assert.match(
      invalid ?? rows.join('\n'),
      new RegExp(
        `^Sent to ${SHORT} change 650 FBC back to this wallet .*−100 FBC Invalid.* Double spend: another transaction spent the same coin first.* #\\d+`,
      ),
    );
    await screenshot(loser.page, 'wallet-history');
    assert.deepEqual([...alice.errors, ...copy.errors, ...bob.errors], []);
  });

  it('a peer goes down: the page reads through the other node, and a payment it cannot get endorsed is refused in words', async () => {
    const page = alice.page;
    // The node the page is connected to (and so asks first) goes down.
    await page.goto(`${net.url}#/network`);
    const nodeItems = page.locator('ul.nodes li');
    const connected = nodeItems.filter({ hasText: /^Connected/ });
    await connected.first().waitFor(LONG);
    const address = await ui.shownText(connected.first().locator('code'));
    down = net.faults.node({ ws: address });
    await net.faults.stop(down);
    await nodeItems
      .filter({ hasText: /^Not connected/ })
      .filter({ hasText: address })
      .waitFor(LONG);
    await page.goto(`${net.url}#/wallet`);
    await ui.reviewPayment(page, bobKey, '10', 'FBC');
    await page.getByRole('button', { name: 'Sign and send' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The payment was not made.' });
    await alert.waitFor(LONG);
    const said = await ui.shownText(alert);
    assert.include(
      said,
      'The network refused the payment before ordering it; your coins were released.',
    );
    assert.include(
      said,
      'Not every organisation whose endorsement the channel requires could endorse it',
    );
    assert.notMatch(said, /\bat \S+:\d+/, 'no stack');
    // Nothing moved; balances and history are still verified, through the other node.
    await ui.openBalances(page);
    await ui.waitSpendable(page, 'FBC', '650');
    const [latest] = await ui.historyRows(page);
    assert.match(
      latest!,
      new RegExp(`^Sent to ${SHORT} .*−10 FBC Refused.* Not every organisation`),
    );
    assert.match(await ui.shownText(page.getByTestId('connection')), /^1\/2 nodes/);
    assert.deepEqual(unexpected(alice.errors), []);
  });

  it('the peer comes back attesting wrong codes: its payment stays unverified and the auditor names the peer', async () => {
    assert.exists(down, 'a peer went down');
    const page = alice.page;
    const org = net.faults.orgOf(down!);
    await net.faults.restart(down!, { attestWrongCodes: true });
    // The light transport redials a node that drops: the header counts it again.
    await page
      .getByTestId('connection')
      .filter({ hasText: /^2\/2 nodes/ })
      .waitFor(LONG);
    await page.goto(`${net.url}#/wallet`);
    const minted = page.getByRole('status').filter({ hasText: /minted in block \d+/ });
    await page.getByRole('button', { name: 'Get 1,000 test FBC (dev faucet)' }).click();
    await minted.waitFor(LONG);
    const block = (await ui.shownText(minted)).match(/block (\d+)/)![1]!;
    // An auditor opens the network by a link naming the other org's node, which stores the
    // attestations gossiped to it (the faulty peer serves its true ones when asked itself).
    const auditor = await newHolder(browser, 'auditor');
    extra.push(auditor);
    const honest = net.faults.node({ role: 'peer', not: down! });
    const link = new URL(net.url);
    link.search = new URLSearchParams({
      channel: 'weft',
      genesis: net.genesisHash,
      node: honest.ws,
    }).toString();
    link.hash = '#/audit';
    const audit = auditor.page;
    await audit.goto(link.href);
    const finding = audit
      .getByTestId('disagreements')
      .locator('li')
      .filter({ hasText: `Block #${block}:` });
    for (let round = 0; !(await finding.count()); round++) {
      assert.isBelow(round, 30, `no disagreement on block ${block} after ${round} audits`);
      if (round > 0) await sleep(1_000);
      await audit.getByRole('button', { name: /^Audit (the chain|again)$/ }).click();
      await audit.locator('[data-testid="audit-progress"][data-phase="done"]').waitFor(LONG);
    }
    assert.equal(await ui.shownText(audit.getByTestId('audit-verdict')), 'Disagreements found');
    assert.match(
      await ui.shownText(finding),
      new RegExp(`^Block #${block}: ${org} peer ${SHORT} attested a different codesHash$`),
    );
    for (const li of await audit.getByTestId('disagreements').locator('li').all()) {
      assert.include(await ui.shownText(li), ` ${org} peer `, 'only the faulty peer disagrees');
    }
    await screenshot(audit, 'auditor-disagreement');
    assert.deepEqual(auditor.errors, []);
    // No set of peers satisfying the policy attests the minted coin: included, not spendable.
    await page.goto(`${net.url}#/wallet`);
    await page.getByTestId('coins').locator('[data-status="included"]').waitFor(LONG);
    await ui.waitSpendable(page, 'FBC', '650');
    assert.deepEqual(unexpected(alice.errors), []);
  });
});
