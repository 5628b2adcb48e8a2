import { type Coin, equalBytes, toHex, txCodeName } from '@weft/core';
import { errorCode, TransportError } from '../errors.js';
import type { TxStatusName, TxVerdict, VerifiedCoin } from '../proofs/verdict.js';
import type { ProofVerifier } from '../proofs/verifier.js';
import type { CallOptions } from '../transport/transport.js';
import { WalletError } from './errors.js';
import { type PendingSpend, type SpendOutcome, type SpendRecord, settleSpend } from './journal.js';
import type { SignedSpend } from './spend-builder.js';
import type { WalletSession } from './wallet-session.js';

/** A spend no node shows in any block for this long is given up and its inputs released. */
export const DEFAULT_PENDING_EXPIRY_MS = 15 * 60_000;

/**
 * Remote refusals a gateway gives before it orders anything (bad proposal,
 * endorsement refused or failed). Anything else after sending (a timeout,
 * an ordering failure) may hide a transaction in flight: only a verdict decides.
 */
const REFUSED_BEFORE_ORDERING = /^(GATEWAY_|ENDORSE_|CODEC_|FABCOIN_)/;

/**
 * True when the proposal certainly did not reach ordering through this
 * gateway. A lying gateway gains nothing by it: inputs released too early can
 * only make a later spend of them invalid, never move a coin.
 */
export function refusedBeforeOrdering(err: unknown): err is TransportError {
  if (!(err instanceof TransportError)) return false;
  // Under the submit failover policy, LIGHT_NO_NODES means no gateway was reached at all.
  if (err.code === 'LIGHT_NO_NODES') return true;
  return err.remote && REFUSED_BEFORE_ORDERING.test(err.code);
}

/**
 * The life of the wallet's spends after signing: submitted through a
 * gateway, followed with the verifier, and moved from the journal's pending
 * list to its history once a verified verdict (or a refusal, or expiry) ends
 * them. Journal writes go through the session, so they are serialised with
 * every other vault change.
 */
export interface PendingSpendsOptions {
  session: WalletSession;
  verifier: ProofVerifier;
  now: () => number;
  expiryMs?: number;
  /** How long submitAndFollow waits for a verdict (default 60 s). */
  followTimeoutMs?: number;
  followIntervalMs?: number;
}

export interface SpendResult {
  txid: Uint8Array;
  /** The verifier's status, never a gateway's claim. */
  status: TxStatusName;
  verdict: TxVerdict;
  inputs: string[];
  outputs: Coin[];
  change: bigint;
  /** Set when submitting or following failed without a refusal: the spend stays pending. */
  followError?: string;
}

export class PendingSpends {
  readonly #o: PendingSpendsOptions;
  readonly #expiryMs: number;

  constructor(options: PendingSpendsOptions) {
    this.#o = options;
    this.#expiryMs = options.expiryMs ?? DEFAULT_PENDING_EXPIRY_MS;
  }

  /**
   * Submits a journalled spend through a gateway and follows it to the
   * verifier's verdict. A refusal before ordering releases its inputs
   * (WALLET_SPEND_REFUSED); any other failure leaves it pending for a later
   * verdict, as the gateway may have ordered it all the same.
   */
  async submitAndFollow(
    signed: SignedSpend,
    spend: PendingSpend,
    options: CallOptions = {},
  ): Promise<SpendResult> {
    const { txid } = signed;
    const { verifier } = this.#o;
    let followError: string | undefined;
    try {
      // The gateway's answer is a claim; only the verifier's verdict below counts.
      await verifier.chain.transport.submit(signed.signedProposal, false, options);
    } catch (err) {
      if (refusedBeforeOrdering(err)) {
        await this.settle(txid, 'refused', undefined, err.code);
        throw new WalletError('WALLET_SPEND_REFUSED', `the spend was refused: ${err.message}`, {
          cause: err,
        });
      }
      followError = errorCode(err) ?? 'LIGHT_SUBMIT_FAILED';
    }
    let verdict: TxVerdict = { status: 'pending', txid };
    try {
      verdict = await verifier.waitForTx(txid, {
        signal: options.signal,
        timeoutMs: this.#o.followTimeoutMs ?? 60_000,
        intervalMs: this.#o.followIntervalMs,
      });
    } catch (err) {
      followError = errorCode(err) ?? 'LIGHT_FOLLOW_FAILED';
    }
    await this.apply(spend, verdict);
    return {
      txid,
      status: verdict.status,
      verdict,
      inputs: [...spend.inputs],
      outputs: signed.proposal.request.outputs,
      change: spend.change,
      ...(followError ? { followError } : {}),
    };
  }

  /** Asks the verifier about every pending spend; returns the ones that settled. */
  async refresh(options: CallOptions = {}): Promise<SpendRecord[]> {
    const settled: SpendRecord[] = [];
    for (const spend of this.list()) {
      const verdict = await this.#o.verifier.verifyTx(spend.txid, options);
      const record = await this.apply(spend, verdict);
      if (record) settled.push(record);
    }
    return settled;
  }

  list(): readonly PendingSpend[] {
    return this.#o.session.metadata().journal?.pending ?? [];
  }

  /**
   * Applies a verifier's verdict: `valid` and `invalid` settle the spend
   * (an invalid one releases its inputs); a spend still unseen in any block
   * after the expiry is released; `included` and `unverifiable` wait.
   */
  async apply(spend: PendingSpend, verdict: TxVerdict): Promise<SpendRecord | undefined> {
    if (verdict.status === 'valid') return this.settle(spend.txid, 'valid', verdict.block);
    if (verdict.status === 'invalid') {
      return this.settle(spend.txid, 'invalid', verdict.block, txCodeName(verdict.code));
    }
    if (verdict.status === 'pending' && this.#o.now() - spend.submittedAt >= this.#expiryMs) {
      return this.settle(spend.txid, 'expired');
    }
    return undefined;
  }

  /**
   * A verified valid coin created by a pending spend proves the spend valid
   * (its change, seen before the spend's own verdict was applied).
   */
  async settleByCoins(coins: readonly VerifiedCoin[]): Promise<void> {
    for (const spend of this.list()) {
      const prefix = `${toHex(spend.txid)}.`;
      const created = coins.find((c) => c.status === 'valid' && c.key.startsWith(prefix));
      if (created) await this.settle(spend.txid, 'valid', created.block);
    }
  }

  async settle(
    txid: Uint8Array,
    outcome: SpendOutcome,
    block?: number,
    reason?: string,
  ): Promise<SpendRecord | undefined> {
    const result = {
      outcome,
      settledAt: this.#o.now(),
      ...(block !== undefined ? { block } : {}),
      ...(reason !== undefined ? { reason } : {}),
    };
    const meta = await this.#o.session.updateMetadata((m) => ({
      ...m,
      journal: settleSpend(m.journal, txid, result),
    }));
    return meta.journal?.history.findLast((h) => equalBytes(h.txid, txid));
  }
}
