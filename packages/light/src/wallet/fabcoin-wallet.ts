import { type Certificate, type Coin, toHex } from '@weft/core';
import type { HeaderChain } from '../chain/header-chain.js';
import { type EnrollTransport, enroll as requestCertificate } from '../enroll/enroll.js';
import type { ProofVerifier } from '../proofs/verifier.js';
import type { CallOptions, LightTransport } from '../transport/transport.js';
import { balancesOf, type LabelBalance, spendableCoins, type WalletCoin } from './balance.js';
import { selectCoins } from './coin-selection.js';
import { WalletError } from './errors.js';
import {
  addPending,
  EMPTY_JOURNAL,
  lockedInputs,
  MAX_PENDING_SPENDS,
  type PendingSpend,
  type SpendRecord,
  type WalletJournal,
} from './journal.js';
import type { WalletKey } from './keys.js';
import { scanOwnerKeys } from './owner-scan.js';
import { PendingSpends, type SpendResult } from './pending.js';
import { ReceiptBook } from './receipt-book.js';
import { checkOrder, enrolledAuthor, type SpendOrder, signSpend } from './spend-builder.js';
import type { WalletSession } from './wallet-session.js';

export interface FabcoinWalletOptions {
  /** An unlocked session (keys, enrollment, journal). */
  session: WalletSession;
  /** Verifies everything nodes answer; its chain's transport carries the requests. */
  verifier: ProofVerifier;
  account?: number;
  /** Unused owner keys in a row after which a coin scan stops (default 20, as BIP44). */
  gapLimit?: number;
  /** How long spend() follows a submitted spend to a verdict before returning (default 60 s). */
  followTimeoutMs?: number;
  followIntervalMs?: number;
  /** A spend unseen in any block for this long is released (default 15 minutes). */
  pendingExpiryMs?: number;
  /** Wall clock, ms since the epoch (journal times, certificate expiry). */
  now?: () => number;
}

export interface WalletCoins {
  coins: WalletCoin[];
  /** False when a listing stopped early: there may be more coins than these. */
  complete: boolean;
}

export interface WalletBalance {
  labels: Record<string, LabelBalance>;
  complete: boolean;
}

export interface ReceiveInfo {
  index: number;
  /** The owner key to give the payer, as hex. */
  ownerKey: string;
  publicKey: Uint8Array;
  /** The wallet's client certificate, when it is enrolled (coin owners need none). */
  certificate?: Certificate;
}

export interface WalletEnrollOptions extends CallOptions {
  /** Reaches a node of `org` that runs its CA. */
  transport: EnrollTransport;
  org: string;
  id: string;
  secret: Uint8Array | string;
  /** Identity key to certify (default 0). */
  identityIndex?: number;
}

/**
 * A Fabcoin wallet that believes only what it verified: coins are listed per
 * owner key with their proof status, balances count only attested-valid
 * coins as spendable, and a spend is built and signed locally, submitted
 * through a gateway and followed to the verifier's verdict. The inputs of a
 * spend awaiting its verdict are locked in the vault's journal until a
 * verified verdict (or a refusal before ordering, or expiry) releases them.
 */
export class FabcoinWallet {
  readonly session: WalletSession;
  readonly verifier: ProofVerifier;
  readonly account: number;
  readonly #options: FabcoinWalletOptions;
  readonly #now: () => number;
  readonly #pending: PendingSpends;
  readonly #receipts: ReceiptBook;
  /** Spends choose inputs one at a time, so two spends never pick the same coin. */
  #choosing: Promise<unknown> = Promise.resolve();

  constructor(options: FabcoinWalletOptions) {
    this.session = options.session;
    this.verifier = options.verifier;
    this.account = options.account ?? 0;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#pending = new PendingSpends({
      session: options.session,
      verifier: options.verifier,
      now: this.#now,
      expiryMs: options.pendingExpiryMs,
      followTimeoutMs: options.followTimeoutMs,
      followIntervalMs: options.followIntervalMs,
    });
    this.#receipts = new ReceiptBook({
      session: options.session,
      verifier: options.verifier,
      account: this.account,
      now: this.#now,
    });
  }

  get chain(): HeaderChain {
    return this.verifier.chain;
  }

  get transport(): LightTransport {
    return this.verifier.chain.transport;
  }

  /**
   * Every coin on the wallet's owner keys, verified, after settling pending
   * spends; coins received are recorded in the journal's history.
   */
  async coins(options: CallOptions = {}): Promise<WalletCoins> {
    await this.refresh(options);
    const scan = await scanOwnerKeys({
      ...options,
      session: this.session,
      verifier: this.verifier,
      account: this.account,
      gapLimit: this.#options.gapLimit,
    });
    await this.#markUsed(scan.highestUsed);
    await this.#pending.settleByCoins(scan.coins);
    await this.#receipts.record(scan.coins, options);
    const locked = lockedInputs(this.session.metadata().journal);
    const coins = scan.coins.map((c) => ({ ...c, locked: locked.has(c.key) }));
    return { coins, complete: scan.complete };
  }

  async balance(options: CallOptions = {}): Promise<WalletBalance> {
    const { coins, complete } = await this.coins(options);
    const { labels } = this.session.metadata();
    const labelled = balancesOf({ coins, pending: this.#pending.list(), labels });
    return { labels: labelled, complete };
  }

  /** A fresh owner key to be paid on (recorded as handed out before it is returned). */
  async receive(): Promise<ReceiveInfo> {
    return this.#receiveInfo(await this.session.nextOwnerKey(this.account));
  }

  /**
   * The owner key last handed out (keys may be paid more than once), or a
   * fresh one when none was: offering a new key on every visit would run
   * past the gap limit a restore scans.
   */
  async currentReceive(): Promise<ReceiveInfo> {
    const next = this.session.metadata().accounts[this.account]?.nextIndex ?? 0;
    if (next === 0) return this.receive();
    return this.#receiveInfo(await this.session.ownerKey(next - 1, this.account));
  }

  /**
   * Gets the identity key a client certificate from `org`'s CA (a one-time
   * id and secret its admin registered) and records it in the vault. The
   * certificate must be signed by the org root the verified channel config
   * names.
   */
  async enroll(options: WalletEnrollOptions): Promise<Certificate> {
    await this.chain.sync({ signal: options.signal });
    const org = this.chain.channel?.config.orgs.find((o) => o.name === options.org);
    if (!org) {
      throw new WalletError('WALLET_UNKNOWN_ORG', `no org ${options.org} in the channel config`);
    }
    const index = options.identityIndex ?? 0;
    const key = await this.session.identityKey(index, this.account);
    const certificate = await requestCertificate({
      transport: options.transport,
      org: options.org,
      id: options.id,
      secret: options.secret,
      signer: key.signer,
      rootKey: org.rootKey,
      now: this.#now,
    });
    await this.session.updateMetadata((m) => ({
      ...m,
      enrollment: { account: this.account, index, certificate },
    }));
    return certificate;
  }

  /**
   * Pays `amount` of `label` to `to`: chooses verified, unlocked coins,
   * sends change to a fresh owner key, signs, locks the inputs in the
   * journal, submits and follows the spend to a verified verdict (up to
   * followTimeoutMs; a spend still unsettled then stays pending, see refresh).
   */
  async spend(order: SpendOrder, options: CallOptions = {}): Promise<SpendResult> {
    const checked = checkOrder(order);
    const turn = this.#choosing.then(() => this.#prepare(checked, options));
    this.#choosing = turn.catch(() => undefined);
    const { signed, pending } = await turn;
    return this.#pending.submitAndFollow(signed, pending, options);
  }

  /** Re-checks every pending spend with the verifier; returns the ones that settled. */
  async refresh(options: CallOptions = {}): Promise<SpendRecord[]> {
    return this.#pending.refresh(options);
  }

  /**
   * This wallet's spends (awaiting a verdict, and settled) and the coins it
   * received, as last verified; coins() brings it up to date.
   * historyEntries() turns it into one list.
   */
  history(): WalletJournal {
    return this.session.metadata().journal ?? EMPTY_JOURNAL;
  }

  async #prepare(order: ReturnType<typeof checkOrder>, options: CallOptions) {
    const creator = await enrolledAuthor(this.session, this.#now());
    if (this.#pending.list().length >= MAX_PENDING_SPENDS) {
      throw new WalletError('WALLET_TOO_MANY_PENDING', 'too many spends await a verdict');
    }
    const { coins } = await this.coins(options);
    const selection = selectCoins({
      coins: spendableCoins(coins),
      label: order.label,
      amount: order.amount,
    });
    const outputs: Coin[] = [{ amount: order.amount, owner: order.to, label: order.label }];
    if (selection.change > 0n) {
      const changeKey = await this.session.nextOwnerKey(this.account);
      outputs.push({ amount: selection.change, owner: changeKey.publicKey, label: order.label });
    }
    const owners = await Promise.all(
      selection.inputs.map(
        async (c) => (await this.session.ownerKey(c.ownerIndex, this.account)).signer,
      ),
    );
    const inputs = selection.inputs.map((c) => c.key);
    const signed = await signSpend({
      channel: this.transport.channel,
      creator,
      inputs,
      owners,
      outputs,
      timestamp: this.#now(),
    });
    const pending: PendingSpend = {
      txid: signed.txid,
      inputs,
      to: order.to,
      label: order.label,
      amount: order.amount,
      change: selection.change,
      submittedAt: this.#now(),
    };
    // Locked before anything is sent: a crash after submitting must not free the inputs.
    await this.session.updateMetadata((m) => ({ ...m, journal: addPending(m.journal, pending) }));
    return { signed, pending };
  }

  #receiveInfo(key: WalletKey): ReceiveInfo {
    const certificate = this.session.metadata().enrollment?.certificate;
    return {
      index: key.index,
      ownerKey: toHex(key.publicKey),
      publicKey: key.publicKey,
      ...(certificate ? { certificate } : {}),
    };
  }

  /** Records owner keys a scan found in use, so receive() never hands one out again. */
  async #markUsed(highestUsed: number): Promise<void> {
    const recorded = this.session.metadata().accounts[this.account]?.nextIndex ?? 0;
    if (highestUsed < recorded) return;
    await this.session.updateMetadata((m) => ({
      ...m,
      accounts: m.accounts.map((a, i) =>
        i === this.account ? { ...a, nextIndex: Math.max(a.nextIndex, highestUsed + 1) } : a,
      ),
    }));
  }
}
