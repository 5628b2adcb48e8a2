import { coinKeyParts, toHex } from '@weft/core';
import { errorCode } from '../errors.js';
import type { TxVerdict } from '../proofs/verdict.js';
import type { ProofVerifier } from '../proofs/verifier.js';
import type { CallOptions } from '../transport/transport.js';
import { EMPTY_JOURNAL, type WalletJournal } from './journal.js';
import type { OwnedCoin } from './owner-scan.js';
import {
  applyReceiptVerdict,
  type ReceiptRecord,
  recordReceipts,
  unattestedReceipts,
} from './receipts.js';
import type { WalletSession } from './wallet-session.js';

export interface ReceiptBookOptions {
  session: WalletSession;
  verifier: ProofVerifier;
  account: number;
  now: () => number;
}

/**
 * Keeps the journal's receipts (receipts.ts) up to date: every scan's
 * verified coins are recorded, and a receipt still awaiting attestation
 * that no node lists any more (spent, or withheld) is asked about by its
 * transaction, so its status can still become valid or invalid.
 */
export class ReceiptBook {
  readonly #o: ReceiptBookOptions;

  constructor(options: ReceiptBookOptions) {
    this.#o = options;
  }

  async record(coins: readonly OwnedCoin[], options: CallOptions = {}): Promise<void> {
    const identity = await this.#identity();
    const update = (j: WalletJournal) =>
      recordReceipts(j.received ?? [], coins, {
        ownTxids: new Set([...j.pending, ...j.history].map((s) => toHex(s.txid))),
        identity,
        now: this.#o.now(),
      });
    await this.#change(update);
    const listed = new Set(coins.map((c) => coinKeyParts(c.key).txidHex));
    const received = this.#o.session.metadata().journal?.received ?? [];
    for (const txid of unattestedReceipts(received)) {
      if (listed.has(toHex(txid))) continue;
      let verdict: TxVerdict;
      try {
        verdict = await this.#o.verifier.verifyTx(txid, options);
      } catch (err) {
        // The history can wait for the next refresh; a cancelled one cannot go on.
        if (options.signal?.aborted || errorCode(err) === 'NET_ABORTED') throw err;
        continue;
      }
      await this.#change((j) => applyReceiptVerdict(j.received ?? [], verdict));
    }
  }

  /** The key this wallet signs its spends with as creator: a spend it made is not income. */
  async #identity(): Promise<Uint8Array> {
    const { session, account } = this.#o;
    const enrollment = session.metadata().enrollment;
    if (enrollment) return enrollment.certificate.publicKey;
    return (await session.identityKey(0, account)).publicKey;
  }

  /**
   * Stores the receipts `update` returns, computed again inside the
   * serialised vault update so a spend settled meanwhile is not lost; no
   * write when nothing changed.
   */
  async #change(update: (j: WalletJournal) => readonly ReceiptRecord[] | undefined): Promise<void> {
    const { session } = this.#o;
    if (!update(session.metadata().journal ?? EMPTY_JOURNAL)) return;
    await session.updateMetadata((m) => {
      const journal = m.journal ?? EMPTY_JOURNAL;
      const received = update(journal);
      return received ? { ...m, journal: { ...journal, received } } : m;
    });
  }
}
