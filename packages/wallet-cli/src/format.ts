import { toHex } from '@weft/core';
import {
  type HistoryEntry,
  historyEntries,
  type SpendResult,
  type WalletBalance,
  type WalletCoins,
  type WalletJournal,
} from '@weft/light';

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

const FROM: Record<string, string> = { mint: 'minted by', payment: 'from', change: 'change, by' };

function historyLine(e: HistoryEntry): string {
  const block = e.block !== undefined ? ` block ${e.block}` : '';
  const reason = e.reason ? ` ${e.reason}` : '';
  const head = `${e.status.padEnd(8)} ${toHex(e.txid)}`;
  if (e.kind === 'sent') {
    return `${head}  sent ${e.amount} ${e.label} -> ${short(toHex(e.to))}  change ${e.change}${block}${reason}  ${when(e.time)}\n`;
  }
  const spent = e.spentIn ? `  spent in ${short(toHex(e.spentIn))}` : '';
  return `${head}  received ${e.amount} ${e.label} ${FROM[e.source]} ${e.fromOrg} ${short(toHex(e.from))}  key #${e.ownerIndex}${block}${reason}${spent}  ${when(e.time)}\n`;
}

/** Every payment and receipt, newest first, each with its verified status and block. */
export function formatHistory(h: WalletJournal): string {
  return historyEntries(h).map(historyLine).join('') || 'nothing sent or received yet\n';
}
