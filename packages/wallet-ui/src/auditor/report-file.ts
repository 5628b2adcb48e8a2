import type { AuditReport } from '@weft/core';

/** The report as a JSON file's name and text (the report is JSON-shaped already: no bigints). */
export function reportFile(report: AuditReport, at: Date): { name: string; text: string } {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  return {
    name: `weft-audit-${report.channel}-${report.height}-${stamp}.json`,
    text: `${JSON.stringify(report, null, 2)}\n`,
  };
}

/** Starts a download of `text` as `name` in the browser. */
export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
