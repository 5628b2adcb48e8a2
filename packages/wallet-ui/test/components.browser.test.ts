// UI components in Chromium: what a person reads and can act on.
import { type AuditReport, TxCode } from '@weft/core';
import { historyEntries, type SpendResult } from '@weft/light';
import { assert, describe, it } from '@weft/test/harness';
import { h } from 'preact';
import { AuditReportView } from '../src/auditor/AuditReportView.js';
import { reportFile } from '../src/auditor/report-file.js';
import { ErrorBox } from '../src/ui/ErrorBox.js';
import { QrCode } from '../src/ui/QrCode.js';
import { StatusBadge } from '../src/ui/StatusBadge.js';
import { HistoryTable } from '../src/wallet/HistoryList.js';
import { SpendOutcome, SpendReview } from '../src/wallet/SpendReview.js';
import { mount, text, waitFor } from './support/dom.js';

const KEY = 'cd'.repeat(32);

describe('components', () => {
  it('a status badge says its status in words and explains it to screen readers', async () => {
    const m = mount(h(StatusBadge, { status: 'included' }));
    const badge = await waitFor('badge', () => m.root.querySelector('.badge'));
    assert.equal(badge.getAttribute('data-status'), 'included');
    assert.include(text(badge), 'Included');
    assert.include(text(badge.querySelector('.visually-hidden')), 'not attested its validity yet');
    m.unmount();
  });

  it('an error box is an alert with the sentence first and the code folded', async () => {
    const m = mount(
      h(ErrorBox, {
        error: { message: 'Wrong passphrase.', code: 'WALLET_BAD_PASSPHRASE', detail: 'gcm' },
      }),
    );
    const alert = await waitFor('alert', () => m.root.querySelector('[role="alert"]'));
    assert.equal(text(alert.querySelector('p')), 'Wrong passphrase.');
    assert.equal(text(alert.querySelector('details code')), 'WALLET_BAD_PASSPHRASE');
    assert.isFalse((alert.querySelector('details') as HTMLDetailsElement).open);
    m.unmount();
  });

  it('a QR code is an SVG image with an accessible name', async () => {
    const m = mount(h(QrCode, { text: KEY, label: `QR code of ${KEY}` }));
    const img = await waitFor('img', () => m.root.querySelector('img'));
    assert.equal(img.alt, `QR code of ${KEY}`);
    assert.match(img.src, /^data:image\/svg\+xml/);
    await img.decode();
    assert.isAbove(img.naturalWidth, 0, 'the browser decodes it');
    m.unmount();
  });

  it('the payment review shows amount, recipient, inputs and change exactly', async () => {
    const preview = {
      to: KEY,
      label: 'FBC',
      amount: 18_446_744_073_709_551_000n,
      inputs: [{ key: `${'ab'.repeat(32)}.0`, amount: 18_446_744_073_709_551_615n }],
      total: 18_446_744_073_709_551_615n,
      change: 615n,
    };
    const m = mount(h(SpendReview, { preview, signer: 'your Org1 client key' }));
    const review = await waitFor('review', () =>
      m.root.querySelector('[data-testid="spend-review"]'),
    );
    const shown = text(review);
    assert.include(shown, 'Pay18,446,744,073,709,551,000 FBC');
    assert.include(shown, KEY);
    assert.include(shown, '18,446,744,073,709,551,615 FBC');
    assert.include(shown, 'change, to a new key of this wallet615 FBC');
    assert.include(shown, 'your Org1 client key');
    m.unmount();
  });

  it('a payment judged invalid says so with its code, and links its transaction and block', async () => {
    const txid = new Uint8Array(32).fill(0xee);
    const result = {
      txid,
      status: 'invalid',
      verdict: { status: 'invalid', txid, block: 9, index: 0, code: TxCode.MVCC_READ_CONFLICT },
      inputs: [],
      outputs: [],
      change: 0n,
    } as unknown as SpendResult;
    const m = mount(h(SpendOutcome, { result }));
    const box = await waitFor('outcome', () =>
      m.root.querySelector('[data-testid="spend-outcome"]'),
    );
    assert.equal(box.getAttribute('role'), 'status');
    assert.include(text(box), 'The network judged the payment invalid; your coins were released.');
    assert.equal(
      text(box.querySelector('[data-testid="spend-reason"]')),
      'Double spend: another transaction spent the same coin first, so this one moved nothing. MVCC_READ_CONFLICT',
    );
    const links = [...box.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    assert.deepEqual(links, [`#/tx/${'ee'.repeat(32)}`, '#/block/9']);
    m.unmount();
  });

  it('the audit report names every disagreeing signer and offers the JSON', async () => {
    const report: AuditReport = {
      version: 1,
      channel: 'weft',
      genesisHash: 'aa'.repeat(32),
      height: 12,
      tipHash: 'bb'.repeat(32),
      commitHash: 'cc'.repeat(32),
      clean: false,
      totals: {
        blocks: 12,
        txs: 30,
        valid: 28,
        invalid: 2,
        codes: { VALID: 28, MVCC_READ_CONFLICT: 2 },
        coins: { FBC: { minted: '5000', spent: '1200', unspent: '5000', unspentCoins: 9 } },
      },
      disagreements: [
        {
          block: 7,
          signer: { org: 'Org2', role: 'peer', key: 'dd'.repeat(32) },
          fields: ['codesHash', 'commitHash'],
          attested: { blockHash: '', codesHash: '', commitHash: '' },
          expected: { blockHash: '', codesHash: '', commitHash: '' },
        },
      ],
      codeMismatches: [],
      unattested: { count: 0, blocks: [] },
    };
    const m = mount(h(AuditReportView, { report }));
    const view = await waitFor('report', () =>
      m.root.querySelector('[data-testid="audit-report"]'),
    );
    assert.equal(text(view.querySelector('[data-testid="audit-verdict"]')), 'Disagreements found');
    assert.include(text(view), 'MVCC_READ_CONFLICT 2');
    const finding = text(view.querySelector('[data-testid="disagreements"] li'));
    assert.match(
      finding,
      /^Block #7: Org2 peer dddddddd…dddd attested a different codesHash, commitHash$/,
    );
    assert.include(text(view), '5,000');
    m.unmount();
    const file = reportFile(report, new Date('2026-01-02T03:04:05.678Z'));
    assert.equal(file.name, 'weft-audit-weft-12-2026-01-02T03-04-05-678Z.json');
    assert.deepEqual(JSON.parse(file.text), report);
  });

  it('the history shows payments with recipient and change, and received coins with their source, kept once spent', async () => {
    const bytes = (n: number) => new Uint8Array(32).fill(n);
    const entries = historyEntries({
      pending: [],
      history: [
        {
          txid: bytes(0x22),
          to: bytes(0xcd),
          label: 'FBC',
          amount: 250n,
          change: 750n,
          submittedAt: 1,
          outcome: 'valid',
          settledAt: 2,
          block: 5,
        },
        {
          txid: bytes(0x33),
          to: bytes(0xcd),
          label: 'FBC',
          amount: 100n,
          change: 650n,
          submittedAt: 3,
          outcome: 'invalid',
          settledAt: 4,
          block: 6,
          reason: 'MVCC_READ_CONFLICT',
        },
      ],
      received: [
        {
          txid: bytes(0x11),
          output: 0,
          label: 'FBC',
          amount: 1000n,
          ownerIndex: 0,
          source: 'mint',
          fromOrg: 'CentralBank',
          from: bytes(0xcb),
          status: 'valid',
          block: 4,
          seenAt: 1,
          spentIn: bytes(0x22),
        },
      ],
    });
    const m = mount(h(HistoryTable, { entries }));
    const table = await waitFor('history', () => m.root.querySelector('[data-testid="history"]'));
    const rows = [...table.querySelectorAll<HTMLElement>('tbody tr')];
    // A row's cells, each as text (the app's CSS, absent here, puts each <small> on its line).
    const shown = (row: HTMLElement | undefined) =>
      [...row!.querySelectorAll('td')].map((td) => text(td)).join(' ');
    assert.deepEqual(
      rows.map((r) => [r.getAttribute('data-kind'), r.getAttribute('data-status')]),
      [
        ['sent', 'invalid'],
        ['sent', 'valid'],
        ['received', 'valid'],
      ],
    );
    assert.match(
      shown(rows[0]),
      /^Sent to cdcdcdcd…cdcd ?change 650 FBC back to this wallet ?.* −100 FBC Invalid/,
    );
    assert.include(shown(rows[0]), 'Double spend: another transaction spent the same coin first');
    assert.match(
      shown(rows[1]),
      /^Sent to cdcdcdcd…cdcd ?change 750 FBC back to this wallet ?.* −250 FBC Valid.* #5/,
    );
    assert.match(
      shown(rows[2]),
      /^Minted by CentralBank cbcbcbcb…cbcb ?spent in 22222222…2222 ?first seen .* \+1,000 FBC Valid.* #4/,
    );
    const spentIn = rows[2]!.querySelector('small a')!;
    assert.equal(spentIn.getAttribute('href'), `#/tx/${'22'.repeat(32)}`);
    m.unmount();
  });
});
