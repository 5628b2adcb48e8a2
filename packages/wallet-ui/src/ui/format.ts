/** Fabcoin amounts are whole numbers up to 2^64 - 1, held as bigint end to end. */
export const MAX_AMOUNT = (1n << 64n) - 1n;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Reads an amount a person typed: digits only (spaces and thousands separators allowed). */
export function parseAmount(text: string): Parsed<bigint> {
  const digits = text.trim().replace(/[\s,_']/g, '');
  if (digits === '') return { ok: false, error: 'Enter an amount.' };
  if (!/^[0-9]+$/.test(digits)) {
    return { ok: false, error: 'Amounts are whole numbers: digits only, no decimals or signs.' };
  }
  const value = BigInt(digits);
  if (value === 0n) return { ok: false, error: 'The amount must be more than zero.' };
  if (value > MAX_AMOUNT)
    return { ok: false, error: 'The amount is too large (at most 2^64 - 1).' };
  return { ok: true, value };
}

/** 1234567n -> "1,234,567" (exact for any bigint). */
export function formatAmount(value: bigint): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `-${grouped}` : grouped;
}

/** The first and last few digits of a long hex string, for tables. */
export function shortHex(hex: string, keep = 8): string {
  return hex.length <= keep * 2 + 1 ? hex : `${hex.slice(0, keep)}…${hex.slice(-4)}`;
}

/** A block or ledger time (ms since the epoch) as local date and time. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** "3 s", "4 min 5 s", "2 h 3 min": an estimate, rounded for reading. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A rate with sensible precision: 12.3 under 100, whole numbers above. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  return perSecond < 100 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en-US');
}

export function isHex64(text: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(text);
}
