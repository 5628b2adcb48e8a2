import type { AuditReport } from '@weft/core';
import { formatAmount } from '../ui/format.js';
import { Hex } from '../ui/Hex.js';
import { BlockLink } from '../ui/links.js';
import { Table } from '../ui/Table.js';
import { download, reportFile } from './report-file.js';

/** The auditor's findings: verdict, totals, codes, coins, and every disagreement with its signer. */
export function AuditReportView({ report }: { report: AuditReport }) {
  const t = report.totals;
  const verdict = report.failure ? 'Failed' : report.clean ? 'Clean' : 'Disagreements found';
  return (
    <div class="report" data-testid="audit-report" data-clean={String(report.clean)}>
      <h2>
        Report:{' '}
        <span class={report.clean && !report.failure ? 'ok' : 'warn'} data-testid="audit-verdict">
          {verdict}
        </span>
      </h2>
      <dl class="facts">
        <dt>Blocks replayed</dt>
        <dd>{t.blocks.toLocaleString('en-US')}</dd>
        <dt>Transactions</dt>
        <dd>
          {t.txs.toLocaleString('en-US')} ({t.valid.toLocaleString('en-US')} valid,{' '}
          {t.invalid.toLocaleString('en-US')} invalid)
        </dd>
        <dt>Codes</dt>
        <dd>
          {Object.entries(t.codes)
            .map(([name, n]) => `${name} ${n}`)
            .join(', ') || 'none'}
        </dd>
        <dt>Tip</dt>
        <dd>
          <Hex value={report.tipHash} /> · commitHash <Hex value={report.commitHash} />
        </dd>
        <dt>Unattested blocks</dt>
        <dd>
          {report.unattested.count === 0
            ? 'none'
            : `${report.unattested.count} (${report.unattested.blocks.slice(0, 10).join(', ')}${report.unattested.count > 10 ? ', …' : ''})`}
        </dd>
      </dl>
      {Object.keys(t.coins).length > 0 ? (
        <Table
          caption="Coins by label"
          columns={[
            'Label',
            { num: 'Minted' },
            { num: 'Spent' },
            { num: 'Unspent' },
            { num: 'Unspent coins' },
          ]}
        >
          {Object.entries(t.coins).map(([label, c]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td class="num">{formatAmount(BigInt(c.minted))}</td>
              <td class="num">{formatAmount(BigInt(c.spent))}</td>
              <td class="num">{formatAmount(BigInt(c.unspent))}</td>
              <td class="num">{c.unspentCoins}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {report.disagreements.length > 0 ? (
        <>
          <h3>Disagreements</h3>
          <ul class="findings" data-testid="disagreements">
            {report.disagreements.map((d) => (
              <li key={`${d.block}-${d.signer.key}`}>
                Block <BlockLink n={d.block} />:{' '}
                <strong>
                  {d.signer.org} {d.signer.role}
                </strong>{' '}
                <Hex value={d.signer.key} /> attested a different {d.fields.join(', ')}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.codeMismatches.length > 0 ? (
        <>
          <h3>Wrong codes served</h3>
          <ul class="findings">
            {report.codeMismatches.map((m) => (
              <li key={m.block}>
                Block <BlockLink n={m.block} />: node{' '}
                {m.node ? <Hex value={m.node} keep={10} /> : 'unknown'} served{' '}
                {m.txs.map((x) => `#${x.index} ${x.served} (replay: ${x.computed})`).join('; ')}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.failure ? (
        <p class="error" role="alert">
          Block #{report.failure.block} was rejected
          {report.failure.node ? ` (served by ${report.failure.node})` : ''}: [{report.failure.code}
          ] {report.failure.message}
        </p>
      ) : null}
      <button
        type="button"
        class="secondary"
        onClick={() => {
          const f = reportFile(report, new Date());
          download(f.name, f.text);
        }}
      >
        Download the report (JSON)
      </button>
    </div>
  );
}
