import {
  type Certificate,
  type Coin,
  computeTxid,
  equalBytes,
  fromHex,
  isFabcoinLabel,
  MAX_AMOUNT,
  MAX_LABEL_LENGTH,
  NONCE_LENGTH,
  type Proposal,
  PUBLIC_KEY_LENGTH,
  type SignedProposal,
  type Signer,
  signProposal,
} from '@weft/core';
import { WalletError } from './errors.js';
import type { WalletSession } from './wallet-session.js';

/** What a holder asks for: `amount` of `label` to the owner key `to`. */
export interface SpendOrder {
  /** The recipient's owner key: 32 bytes, or 64 hex digits. */
  to: Uint8Array | string;
  label: string;
  amount: bigint;
}

export interface CheckedOrder {
  to: Uint8Array;
  label: string;
  amount: bigint;
}

/** Refuses, before any coin is touched, what the network would refuse anyway. */
export function checkOrder(order: SpendOrder): CheckedOrder {
  const { amount, label } = order;
  if (typeof amount !== 'bigint' || amount <= 0n || amount > MAX_AMOUNT) {
    throw new WalletError('WALLET_BAD_AMOUNT', 'the amount must be a whole number in 1..2^64-1');
  }
  if (typeof label !== 'string' || !isFabcoinLabel(label)) {
    throw new WalletError(
      'WALLET_BAD_LABEL',
      `a label has 1-${MAX_LABEL_LENGTH} letters or digits`,
    );
  }
  return { to: recipientKey(order.to), label, amount };
}

function recipientKey(to: Uint8Array | string): Uint8Array {
  if (to instanceof Uint8Array && to.length === PUBLIC_KEY_LENGTH) return to.slice();
  if (typeof to === 'string' && /^[0-9a-fA-F]{64}$/.test(to)) return fromHex(to.toLowerCase());
  throw new WalletError(
    'WALLET_BAD_RECIPIENT',
    'the recipient is an owner key: 32 bytes (64 hex digits)',
  );
}

export interface SpendAuthor {
  cert: Certificate;
  signer: Signer;
}

export interface SignSpendOptions {
  channel: string;
  /** The wallet's enrolled client identity: the proposal's creator. */
  creator: SpendAuthor;
  /** Coin keys spent. */
  inputs: readonly string[];
  /** The owner key of every input (each signs the proposal). */
  owners: readonly Signer[];
  outputs: readonly Coin[];
  /** Client clock, ms (informational on the ledger). */
  timestamp?: number;
}

export interface SignedSpend {
  signedProposal: SignedProposal;
  txid: Uint8Array;
  proposal: Proposal;
}

/**
 * A Fabcoin spend proposal signed locally: by the creator (the client
 * certificate the network admits), and by each distinct input owner key
 * (the chaincode's spend authorisation). A fresh random nonce gives a fresh
 * txid = H(creator key || nonce).
 */
export async function signSpend(options: SignSpendOptions): Promise<SignedSpend> {
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_LENGTH));
  const proposal: Proposal = {
    channel: options.channel,
    chaincode: 'fabcoin',
    creator: options.creator.cert,
    nonce,
    timestamp: options.timestamp ?? Date.now(),
    request: { type: 'spend', inputs: [...options.inputs], outputs: [...options.outputs] },
  };
  const creatorKey = options.creator.signer.publicKey;
  // One signature per key: several inputs may share an owner, and the creator signs anyway.
  const owners: Signer[] = [];
  for (const o of options.owners) {
    if (equalBytes(o.publicKey, creatorKey)) continue;
    if (owners.some((s) => equalBytes(s.publicKey, o.publicKey))) continue;
    owners.push(o);
  }
  const signedProposal = await signProposal(proposal, options.creator.signer, owners);
  return { signedProposal, txid: computeTxid(options.creator.cert.publicKey, nonce), proposal };
}

/**
 * The wallet's enrolled client identity as a proposal creator: its key and
 * a certificate that is for that key and not expired (else
 * WALLET_NOT_ENROLLED: the network would refuse the proposal anyway).
 */
export async function enrolledAuthor(session: WalletSession, now: number): Promise<SpendAuthor> {
  const enrollment = session.metadata().enrollment;
  if (!enrollment) {
    throw new WalletError('WALLET_NOT_ENROLLED', 'enroll with an org CA before spending');
  }
  const { certificate: cert } = enrollment;
  const key = await session.identityKey(enrollment.index, enrollment.account);
  if (!equalBytes(key.publicKey, cert.publicKey)) {
    throw new WalletError('WALLET_NOT_ENROLLED', 'the stored certificate is for another key');
  }
  if (cert.notAfter < now) {
    throw new WalletError(
      'WALLET_NOT_ENROLLED',
      'the client certificate has expired; enroll again',
    );
  }
  return { cert, signer: key.signer };
}
