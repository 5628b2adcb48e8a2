import { toHex } from '@weft/core';
import type { SpendResult, WalletBalance, WalletCoins, WalletJournal } from '@weft/light';

const short = (hex: string) => `${hex.slice(0, 12)}…`;
const when = (ms: number) => new Date(ms).toISOString();

/** A note when a node's listing stopped early: the totals may be short. */
const incomplete = (complete: boolean) =>
  complete ? '' : '(incomplete: a node stopped the listing early; totals may be low)\n';

export function formatBalance(b: WalletBalance): string {
  const rows = Object.entries(b.labels).map(
    ([label, v]) =>
      `${label.padEnd(8)} spendable ${v.spendable}  locked ${v.locked}  pending ${v.pending}  unverifiable ${v.unverifiable}\n`,
  );
  return (rows.join('') || 'no coins\n') + incomplete(b.complete);
}

export function formatCoins(c: WalletCoins): string {
  const rows = c.coins.map((coin) => {
    const where = coin.block !== undefined ? ` block ${coin.block}` : '';
    const why = coin.reason ? ` (${coin.reason})` : '';
    const locked = coin.locked ? ' locked' : '';
    return `${short(coin.key)}  ${String(coin.amount).padStart(10)} ${coin.label.padEnd(6)} ${coin.status}${why}${locked}  key #${coin.ownerIndex}${where}\n`;
  });
  return (rows.join('') || 'no coins\n') + incomplete(c.complete);
}

export function formatSpend(r: SpendResult, o: { to: string; label: string }): string {
  const block = 'block' in r.verdict ? ` in block ${r.verdict.block}` : '';
  const change = r.change > 0n ? `, change ${r.change}` : '';
  const follow = r.followError ? ` (${r.followError})` : '';
  const next =
    r.status === 'valid' || r.status === 'invalid' ? '' : '; run `history` later for its verdict';
  return `sent ${r.outputs[0]?.amount} ${o.label} to ${short(o.to)}${change}: tx ${toHex(r.txid)} ${r.status}${block}${follow}${next}\n`;
}

export function formatHistory(h: WalletJournal): string {
  const pending = h.pending.map(
    (p) =>
      `pending  ${toHex(p.txid)}  ${p.amount} ${p.label} -> ${short(toHex(p.to))}  change ${p.change}  submitted ${when(p.submittedAt)}\n`,
  );
  const settled = h.history.map((s) => {
    const block = s.block !== undefined ? ` block ${s.block}` : '';
    const reason = s.reason ? ` ${s.reason}` : '';
    return `${s.outcome.padEnd(8)} ${toHex(s.txid)}  ${s.amount} ${s.label} -> ${short(toHex(s.to))}  change ${s.change}${block}${reason}  ${when(s.settledAt)}\n`;
  });
  return [...pending, ...settled].join('') || 'no spends yet\n';
}
