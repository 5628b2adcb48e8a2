import { CodecError, type Coin, type ParsedTx, parseTx, toHex } from '@weft/core';

/** One envelope of a block, decoded for reading (nothing here is a verdict). */
export interface TxSummary {
  index: number;
  kind: 'mint' | 'spend' | 'config' | 'undecodable';
  txid?: string;
  /** Org and role of the proposal's creator. */
  creator?: string;
  outputs: { amount: bigint; label: string; owner: string }[];
  /** Coin keys spent (spends), or the orgs of the central banks that minted (mints). */
  inputs: string[];
}

export function describeTx(envelope: Uint8Array, index: number): TxSummary {
  let parsed: ParsedTx;
  try {
    parsed = parseTx(envelope);
  } catch (err) {
    const config = err instanceof CodecError && /config envelope/.test(err.message);
    return { index, kind: config ? 'config' : 'undecodable', outputs: [], inputs: [] };
  }
  return summarize(parsed, index);
}

export function summarize(parsed: ParsedTx, index: number): TxSummary {
  const { proposal } = parsed;
  const r = proposal.request;
  return {
    index,
    kind: r.type,
    txid: toHex(parsed.txid),
    creator: `${proposal.creator.org} ${proposal.creator.role}`,
    outputs: r.outputs.map((o: Coin) => ({
      amount: o.amount,
      label: o.label,
      owner: toHex(o.owner),
    })),
    inputs: r.type === 'spend' ? [...r.inputs] : r.inputs.map((c) => `${c.org} ${c.role}`),
  };
}

/** "250 FBC" or "250 FBC + 3 USD": a transaction's outputs at a glance. */
export function outputsTotal(outputs: TxSummary['outputs']): string {
  const totals = new Map<string, bigint>();
  for (const o of outputs) totals.set(o.label, (totals.get(o.label) ?? 0n) + o.amount);
  return [...totals].map(([label, v]) => `${v.toLocaleString('en-US')} ${label}`).join(' + ');
}
