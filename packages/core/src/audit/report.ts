import type { Role } from '../identity/certificate.js';
import type { TxCodeName } from '../validate/codes.js';

/**
 * The auditor's findings, JSON-serialisable as it is: hashes and keys are
 * lowercase hex, coin values decimal strings (bigints never lose precision
 * and JSON has none), block numbers and counts plain numbers.
 */
export interface AuditReport {
  version: 1;
  channel: string;
  genesisHash: string;
  /** Blocks replayed, genesis included (the chain's height when complete). */
  height: number;
  /** Hash of the last replayed block, and the commitHash after it. */
  tipHash: string;
  commitHash: string;
  /**
   * Nothing wrong was found: no signer disagreed, no node served wrong
   * codes, no block failed. Unattested blocks alone do not make a report
   * unclean (peers may still be attesting the tip, or the node withheld).
   */
  clean: boolean;
  totals: AuditTotals;
  /** Every verified signer whose attestation differs from the replay, by block. */
  disagreements: AuditDisagreement[];
  /** Blocks whose codes, as the full node served them, differ from the replay's. */
  codeMismatches: AuditCodeMismatch[];
  /** Blocks after genesis that agreeing attestations do not satisfy the attestation policy for. */
  unattested: { count: number; blocks: number[] };
  /** Set when a block could not be verified: the replay stopped before it. */
  failure?: { block: number; code: string; message: string; node?: string };
}

export interface AuditTotals {
  blocks: number;
  /** Envelopes of blocks after genesis (genesis holds only the channel config). */
  txs: number;
  valid: number;
  invalid: number;
  /** Every code that occurred, by name (VALID included). */
  codes: Partial<Record<TxCodeName, number>>;
  coins: Record<string, LabelTotals>;
}

/** Values of one label's coins (decimal strings). */
export interface LabelTotals {
  /** Created by valid mints. */
  minted: string;
  /** Consumed as inputs of valid spends. */
  spent: string;
  /** In unspent coins at the tip (minted - spent + spend outputs). */
  unspent: string;
  unspentCoins: number;
}

export type AttestedField = 'blockHash' | 'codesHash' | 'commitHash';

export interface AuditDisagreement {
  block: number;
  signer: { org: string; role: Role; key: string };
  fields: AttestedField[];
  attested: Record<AttestedField, string>;
  expected: Record<AttestedField, string>;
}

export interface AuditCodeMismatch {
  block: number;
  /** The full node that served the codes, when the source named it. */
  node?: string;
  served: number;
  computed: number;
  /** The first differing envelopes (at most MAX_LISTED), by index with code names. */
  txs: { index: number; served: TxCodeName | 'missing'; computed: TxCodeName | 'missing' }[];
}

/** Entries listed per block (code mismatches) and in total (unattested blocks). */
export const MAX_LISTED = 100;

/** Mutable bigint counters behind AuditTotals. */
export class TotalsBuilder {
  blocks = 0;
  txs = 0;
  readonly codes = new Map<TxCodeName, number>();
  readonly coins = new Map<string, { minted: bigint; spent: bigint }>();

  code(name: TxCodeName): void {
    this.codes.set(name, (this.codes.get(name) ?? 0) + 1);
  }

  coin(label: string, what: 'minted' | 'spent', amount: bigint): void {
    const c = this.coins.get(label) ?? { minted: 0n, spent: 0n };
    c[what] += amount;
    this.coins.set(label, c);
  }

  /** The totals, with `unspent` summed from the final state's coins. */
  finish(unspent: ReadonlyMap<string, { value: bigint; coins: number }>): AuditTotals {
    const labels = [...new Set([...this.coins.keys(), ...unspent.keys()])].sort();
    const coins: Record<string, LabelTotals> = {};
    for (const label of labels) {
      const c = this.coins.get(label);
      const u = unspent.get(label);
      coins[label] = {
        minted: String(c?.minted ?? 0n),
        spent: String(c?.spent ?? 0n),
        unspent: String(u?.value ?? 0n),
        unspentCoins: u?.coins ?? 0,
      };
    }
    const valid = this.codes.get('VALID') ?? 0;
    return {
      blocks: this.blocks,
      txs: this.txs,
      valid,
      invalid: this.txs - valid,
      codes: Object.fromEntries([...this.codes].sort(([a], [b]) => (a < b ? -1 : 1))),
      coins,
    };
  }
}
