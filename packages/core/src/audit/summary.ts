import type { AuditReport } from './report.js';

/** Disagreements and mismatches printed one per line before "... and N more". */
const SUMMARY_LINES = 20;

const short = (hex: string) => `${hex.slice(0, 12)}…`;

/** The report as a few lines of text for a terminal or a UI's status panel. */
export function formatAuditSummary(r: AuditReport): string {
  const t = r.totals;
  const lines: string[] = [];
  const verdict = r.failure
    ? `FAILED at block ${r.failure.block}`
    : r.clean
      ? 'CLEAN'
      : 'DISAGREEMENTS FOUND';
  lines.push(`audit of channel ${r.channel} (genesis ${short(r.genesisHash)}): ${verdict}`);
  lines.push(
    `  blocks ${t.blocks}, transactions ${t.txs} (valid ${t.valid}, invalid ${t.invalid})`,
  );
  const codes = Object.entries(t.codes)
    .filter(([name]) => name !== 'VALID')
    .map(([name, count]) => `${name} ${count}`);
  if (codes.length) lines.push(`  invalid by code: ${codes.join(', ')}`);
  for (const [label, c] of Object.entries(t.coins)) {
    lines.push(
      `  ${label}: minted ${c.minted}, spent ${c.spent}, unspent ${c.unspent} in ${c.unspentCoins} coin(s)`,
    );
  }
  lines.push(`  tip ${short(r.tipHash)} commitHash ${short(r.commitHash)}`);
  if (r.unattested.count) {
    const listed = r.unattested.blocks.join(', ');
    const more = r.unattested.count > r.unattested.blocks.length ? ', ...' : '';
    lines.push(`  not attested by the policy: ${r.unattested.count} block(s) (${listed}${more})`);
  }
  const items = [
    ...r.disagreements.map(
      (d) =>
        `  block ${d.block}: ${d.signer.org} ${d.signer.role} ${short(d.signer.key)} attested a different ${d.fields.join(', ')}`,
    ),
    ...r.codeMismatches.map(
      (m) =>
        `  block ${m.block}: node ${m.node ?? '?'} served wrong codes (${m.txs
          .slice(0, 3)
          .map((x) => `#${x.index} ${x.served} for ${x.computed}`)
          .join('; ')}${m.txs.length > 3 ? '; ...' : ''})`,
    ),
  ];
  lines.push(...items.slice(0, SUMMARY_LINES));
  if (items.length > SUMMARY_LINES) lines.push(`  ... and ${items.length - SUMMARY_LINES} more`);
  if (r.failure) {
    const by = r.failure.node ? ` (served by ${r.failure.node})` : '';
    lines.push(
      `  block ${r.failure.block} rejected${by}: [${r.failure.code}] ${r.failure.message}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
