import {
  type CborValue,
  type Certificate,
  certificateToCbor,
  decode,
  encode,
  isFabcoinLabel,
  MAX_LABEL_LENGTH,
  readArray,
  readCertificate,
  readRecord,
  readString,
  readUint,
  schemaError,
} from '@weft/core';
import { WalletError } from './errors.js';
import { journalToCbor, readJournal, type WalletJournal } from './journal.js';
import { MAX_PATH_INDEX } from './keys.js';
import { parseMnemonic } from './mnemonic.js';

/**
 * What the vault encrypts: the mnemonic and the wallet's metadata, as canonical
 * CBOR. Everything is bounded so a decrypted plaintext can be decoded strictly.
 */

export const CONTENTS_VERSION = 1;
export const MAX_ACCOUNTS = 64;
export const MAX_ACCOUNT_NAME = 64;
export const MAX_LABELS = 64;
export const MAX_BIP39_PASSPHRASE = 256;
/**
 * Above the largest contents the bounds here, in journal.ts and in
 * receipts.ts allow (about 194 KiB with every field at its widest: 6 KiB of
 * accounts and labels, the rest journal; a typical full journal is half that).
 */
export const MAX_CONTENTS_BYTES = 256 * 1024;

export interface WalletAccount {
  /** The holder's name for it ("Savings"); the account number is its position in the list. */
  readonly name: string;
  /** The next unused owner-key index under this account. */
  readonly nextIndex: number;
}

/** The client certificate issued at enrollment, with the identity key it certifies. */
export interface WalletEnrollment {
  readonly account: number;
  readonly index: number;
  readonly certificate: Certificate;
}

/** Everything in a vault except the mnemonic: what an unlocked session lets callers read and change. */
export interface WalletMetadata {
  readonly accounts: readonly WalletAccount[];
  /** Fabcoin labels ("USD", "FBC") the holder follows; balances are shown per label. */
  readonly labels: readonly string[];
  readonly enrollment?: WalletEnrollment;
  /** This wallet's spends: those awaiting a verdict (inputs locked) and settled ones. */
  readonly journal?: WalletJournal;
  /** Milliseconds since the Unix epoch. */
  readonly createdAt: number;
}

export interface VaultContents extends WalletMetadata {
  /** Canonical (normalised, validated) English BIP39 sentence. */
  readonly mnemonic: string;
  /** BIP39's optional extra word ('' when none); kept so unlock needs only the vault passphrase. */
  readonly bip39Passphrase: string;
}

function readAccount(value: unknown, what: string): WalletAccount {
  const r = readRecord(value, what, ['name', 'nextIndex']);
  const nextIndex = readUint(r.nextIndex, `${what}.nextIndex`);
  // nextIndex may equal 2^31 once the last index is used; beyond that no key exists.
  if (nextIndex > MAX_PATH_INDEX + 1) schemaError(`${what}.nextIndex out of range`);
  return { name: readString(r.name, `${what}.name`, MAX_ACCOUNT_NAME), nextIndex };
}

function readLabel(value: unknown, what: string): string {
  const label = readString(value, what, MAX_LABEL_LENGTH);
  // Core's label rule, so the wallet never follows or spends a label no coin can carry.
  if (!isFabcoinLabel(label)) schemaError(`${what}: not a Fabcoin label`);
  return label;
}

function readEnrollment(value: unknown, accounts: number): WalletEnrollment {
  const r = readRecord(value, 'enrollment', ['account', 'index', 'certificate']);
  const account = readUint(r.account, 'enrollment.account');
  const index = readUint(r.index, 'enrollment.index');
  if (account >= accounts || index > MAX_PATH_INDEX) schemaError('enrollment: key out of range');
  return { account, index, certificate: readCertificate(r.certificate, 'enrollment.certificate') };
}

/** Strict reader for an already-decoded value; throws CodecError with the failing field. */
export function readContents(value: unknown): VaultContents {
  const r = readRecord(
    value,
    'contents',
    ['v', 'mnemonic', 'bip39Passphrase', 'accounts', 'labels', 'createdAt'],
    ['enrollment', 'journal'],
  );
  if (r.v !== CONTENTS_VERSION) schemaError('contents.v: unknown version');
  let mnemonic: string;
  try {
    mnemonic = parseMnemonic(readString(r.mnemonic, 'contents.mnemonic', 512));
  } catch {
    schemaError('contents.mnemonic: not a valid mnemonic');
  }
  const accounts = readArray(r.accounts, 'contents.accounts', MAX_ACCOUNTS).map((a, i) =>
    readAccount(a, `contents.accounts[${i}]`),
  );
  if (accounts.length === 0) schemaError('contents.accounts: a wallet has at least one account');
  const labels = readArray(r.labels, 'contents.labels', MAX_LABELS).map((l, i) =>
    readLabel(l, `contents.labels[${i}]`),
  );
  if (new Set(labels).size !== labels.length) schemaError('contents.labels: duplicates');
  const contents: VaultContents = {
    mnemonic,
    bip39Passphrase: readString(
      r.bip39Passphrase,
      'contents.bip39Passphrase',
      MAX_BIP39_PASSPHRASE,
    ),
    accounts,
    labels,
    createdAt: readUint(r.createdAt, 'contents.createdAt'),
  };
  return {
    ...contents,
    ...(r.enrollment !== undefined
      ? { enrollment: readEnrollment(r.enrollment, accounts.length) }
      : {}),
    ...(r.journal !== undefined ? { journal: readJournal(r.journal, 'contents.journal') } : {}),
  };
}

function toCbor(c: VaultContents): CborValue {
  const out: Record<string, CborValue> = {
    v: CONTENTS_VERSION,
    mnemonic: c.mnemonic,
    bip39Passphrase: c.bip39Passphrase,
    accounts: c.accounts.map((a) => ({ name: a.name, nextIndex: a.nextIndex })),
    labels: [...c.labels],
    createdAt: c.createdAt,
  };
  if (c.enrollment) {
    out.enrollment = {
      account: c.enrollment.account,
      index: c.enrollment.index,
      certificate: certificateToCbor(c.enrollment.certificate),
    };
  }
  if (c.journal) out.journal = journalToCbor(c.journal);
  return out;
}

/**
 * Canonical bytes of valid contents. The result is read back through the strict
 * reader first, so nothing that a later unlock would refuse is ever sealed.
 */
export function encodeContents(contents: VaultContents): Uint8Array {
  try {
    const bytes = encode(toCbor(contents));
    decodeContents(bytes);
    return bytes;
  } catch (err) {
    throw new WalletError('WALLET_BAD_METADATA', `cannot store wallet contents: ${String(err)}`, {
      cause: err,
    });
  }
}

export function decodeContents(bytes: Uint8Array): VaultContents {
  return readContents(decode(bytes, { maxBytes: MAX_CONTENTS_BYTES }));
}
