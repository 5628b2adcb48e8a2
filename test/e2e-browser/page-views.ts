// Browser side: turns @weft/light's results (bytes, bigints, class
// instances) into the JSON-shaped views of page-api.ts. No Node built-ins.
import { txCodeName } from '@weft/core';
import {
  EnrollError,
  errorCode,
  TransportError,
  type TxVerdict,
  VerificationError,
  type VerifiedCoin,
  WalletError,
} from '@weft/light';
import type { CoinView, PageErrorView, TxView } from './page-api.js';

export function txView(v: TxVerdict): TxView {
  switch (v.status) {
    case 'pending':
      return { status: v.status };
    case 'included':
      return { status: v.status, block: v.block, index: v.index };
    case 'valid':
    case 'invalid':
      return {
        status: v.status,
        block: v.block,
        index: v.index,
        code: txCodeName(v.code),
        attesterOrgs: [...new Set(v.attesters.map((a) => a.org))].sort(),
      };
    case 'unverifiable':
      return { status: v.status, reason: v.reason, message: v.message };
  }
}

export function coinView(c: VerifiedCoin): CoinView {
  return {
    key: c.key,
    amount: c.amount.toString(),
    label: c.label,
    status: c.status,
    ...(c.block !== undefined ? { block: c.block } : {}),
  };
}

/** Each value of a record as a decimal string. */
export function decimals<K extends string>(
  record: Record<string, Record<K, bigint>>,
): Record<string, Record<K, string>> {
  return Object.fromEntries(
    Object.entries(record).map(([label, amounts]) => [
      label,
      Object.fromEntries(Object.entries<bigint>(amounts).map(([k, v]) => [k, v.toString()])),
    ]),
  ) as Record<string, Record<K, string>>;
}

const KINDS = [
  ['WalletError', WalletError],
  ['EnrollError', EnrollError],
  ['TransportError', TransportError],
  ['VerificationError', VerificationError],
] as const;

export function errorView(err: unknown): PageErrorView {
  const kind = KINDS.find(([, type]) => err instanceof type)?.[0] ?? 'Error';
  const code = errorCode(err);
  return {
    message: err instanceof Error ? err.message : String(err),
    kind,
    ...(code !== undefined ? { code } : {}),
    ...(err instanceof TransportError ? { remote: err.remote } : {}),
  };
}
