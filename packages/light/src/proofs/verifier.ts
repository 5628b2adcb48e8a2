import {
  CodecError,
  codesHash,
  type Ed25519Backend,
  equalBytes,
  type LightTx,
  lightTxIncluded,
  type ParsedTx,
  parseTx,
  sleep,
  TxCode,
  toHex,
  txCodeName,
} from '@weft/core';
import type { HeaderChain } from '../chain/header-chain.js';
import type { StoredHeader } from '../chain/store.js';
import { errorCode, TransportError, VerificationError } from '../errors.js';
import type { Answer, CallOptions } from '../transport/transport.js';
import { gatherAttestedCodes } from './attestation-gather.js';
import type { AttestedCodes } from './attested-codes.js';
import { type CoinListOptions, listCoins } from './coins.js';
import type { CoinList, TxVerdict } from './verdict.js';

export interface ProofVerifierOptions {
  /** Headers are taken from (and synced through) this chain; answers come from its transport. */
  chain: HeaderChain;
  backend?: Ed25519Backend;
}

/**
 * Codes of occurrences that do not hold their txid (core's validate records
 * a txid only once the creator's signature verified, and only the first
 * time): a later duplicate, or a copy with a broken payload or signature
 * that anyone can make of someone else's proposal. An honest node indexes
 * only the recorded occurrence, so one of these served for a txid is a node
 * trying to pass off a forged copy's verdict as the transaction's.
 */
const UNRECORDED = new Set<TxCode>([
  TxCode.BAD_PAYLOAD,
  TxCode.UNKNOWN_CREATOR,
  TxCode.BAD_CREATOR_SIGNATURE,
  TxCode.DUPLICATE_TXID,
]);

/** Attested verdicts kept per block (they never change once attested). */
const ATTESTED_CACHE = 1024;

/**
 * Turns what full nodes claim about transactions into verdicts the client
 * can stand behind (see TxVerdict). A node caught serving something false
 * is blamed on the transport, so the next question goes to another node.
 */
export class ProofVerifier {
  readonly chain: HeaderChain;
  readonly #backend: Ed25519Backend | undefined;
  readonly #attested = new Map<number, AttestedCodes>();

  constructor(options: ProofVerifierOptions) {
    this.chain = options.chain;
    this.#backend = options.backend;
  }

  /** Asks a node for the transaction and checks everything it answers. */
  async verifyTx(txid: Uint8Array, options: CallOptions = {}): Promise<TxVerdict> {
    let answer: Answer<LightTx>;
    try {
      answer = await this.chain.transport.tx(txid, options);
    } catch (err) {
      // Every node asked says it has no such transaction: not (yet) in a block.
      if (err instanceof TransportError && err.code === 'LIGHT_NOT_FOUND')
        return { status: 'pending', txid };
      throw err;
    }
    return this.checkTx(answer.value, answer.node, txid, options);
  }

  /** Checks a transaction answer (as `tx` and every coin carry one) served by `node`. */
  async checkTx(
    tx: LightTx,
    node: string,
    txid: Uint8Array,
    options: CallOptions = {},
  ): Promise<TxVerdict> {
    const unverifiable = (reason: string, message: string, blame: boolean): TxVerdict => {
      if (blame) this.chain.transport.blame(node, new VerificationError(reason, node, message));
      return {
        status: 'unverifiable',
        txid,
        reason,
        message,
        block: tx.block,
        ...(blame ? { node } : {}),
      };
    };
    let parsed: ParsedTx;
    try {
      parsed = parseTx(tx.envelope);
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      return unverifiable('LIGHT_BAD_ENVELOPE', `undecodable envelope: ${err.message}`, true);
    }
    if (!equalBytes(parsed.txid, txid))
      return unverifiable('LIGHT_WRONG_TX', `served transaction ${toHex(parsed.txid)}`, true);
    const header = await this.#header(tx.block, options);
    if (!header)
      return unverifiable(
        'LIGHT_HEADER_UNAVAILABLE',
        `block ${tx.block} is beyond the verified chain`,
        false,
      );
    if (!lightTxIncluded(tx, header.header))
      return unverifiable('LIGHT_BAD_PROOF', `no inclusion in block ${tx.block}`, true);
    const attested = await this.attestedCodes(tx.block, header, options);
    if (attested.status === 'conflict')
      return unverifiable(
        'LIGHT_ATTESTATION_CONFLICT',
        `peers attest conflicting codes for block ${tx.block}`,
        false,
      );
    const at = { txid, block: tx.block, index: tx.index, tx: parsed, node };
    if (attested.status === 'unattested') return { status: 'included', ...at };
    // Only now are the codes, and with them the tree size and so the index, confirmed.
    if (!equalBytes(codesHash(tx.codes), attested.codesHash!))
      return unverifiable(
        'LIGHT_CODES_MISMATCH',
        `codes of block ${tx.block} are not the attested ones`,
        true,
      );
    const code = tx.codes[tx.index]!;
    if (UNRECORDED.has(code))
      return unverifiable(
        'LIGHT_UNRECORDED_COPY',
        `served a copy of the transaction that does not hold its txid (${txCodeName(code)})`,
        true,
      );
    const status = code === TxCode.VALID ? 'valid' : 'invalid';
    return { status, ...at, code, attesters: attested.signers };
  }

  /**
   * The attestation verdict on a verified block's codes (cached once
   * attested), gathered from as many nodes as it takes (gatherAttestedCodes).
   */
  async attestedCodes(
    number: number,
    header: StoredHeader,
    options: CallOptions = {},
  ): Promise<AttestedCodes> {
    const cached = this.#attested.get(number);
    if (cached) return cached;
    const verdict = await gatherAttestedCodes({
      transport: this.chain.transport,
      channel: this.chain.channel!,
      header,
      backend: this.#backend,
      options,
    });
    if (verdict.status === 'attested') {
      if (this.#attested.size >= ATTESTED_CACHE)
        this.#attested.delete(this.#attested.keys().next().value!);
      this.#attested.set(number, verdict);
    }
    return verdict;
  }

  /** Every coin a node lists for `owner`, each verified (see listCoins). */
  coins(owner: Uint8Array, options: CoinListOptions = {}): Promise<CoinList> {
    return listCoins(this, owner, options);
  }

  /**
   * Re-checks until the transaction is valid or invalid, syncing headers
   * each round; returns the last verdict when `timeoutMs` runs out.
   */
  async waitForTx(
    txid: Uint8Array,
    options: CallOptions & { timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<TxVerdict> {
    const end = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      let verdict: TxVerdict | undefined;
      try {
        await this.chain.sync({ signal: options.signal });
        verdict = await this.verifyTx(txid, options);
        if (verdict.status === 'valid' || verdict.status === 'invalid') return verdict;
      } catch (err) {
        // A node that failed or lied this round may be replaced by the next.
        if (options.signal?.aborted || Date.now() >= end) throw err;
        if (errorCode(err) === 'NET_ABORTED') throw err;
      }
      if (Date.now() >= end && verdict) return verdict;
      await sleep(options.intervalMs ?? 500, options.signal);
    }
  }

  /** The verified header of block n, syncing once if it is beyond the tip. */
  async #header(n: number, options: CallOptions): Promise<StoredHeader | undefined> {
    if (n >= this.chain.height) await this.chain.sync({ signal: options.signal });
    return this.chain.header(n);
  }
}
