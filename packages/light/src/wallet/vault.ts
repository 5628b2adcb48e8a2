import {
  type CborValue,
  CodecError,
  decode,
  encode,
  readBytes,
  readRecord,
  readString,
  readUint,
  utf8,
} from '@weft/core';
import { WalletError } from './errors.js';
import { decodeContents, encodeContents, type VaultContents } from './vault-contents.js';

/**
 * The encrypted vault record, as stored (canonical CBOR):
 *
 *   { v: 1,
 *     kdf:    { name: 'PBKDF2-SHA256', iterations, salt },
 *     cipher: { name: 'AES-256-GCM', iv },
 *     data:   AES-GCM(ciphertext || 16-byte tag) of the contents }
 *
 * The KDF and cipher parameters sit beside the ciphertext so they can be raised
 * later; the header's canonical encoding is GCM's additional data, so changing any
 * parameter (or the version) fails authentication instead of being trusted.
 */
export const VAULT_VERSION = 1;
export const KDF_NAME = 'PBKDF2-SHA256';
export const CIPHER_NAME = 'AES-256-GCM';

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; what new vaults get and the unlock upgrade target. */
export const DEFAULT_PBKDF2_ITERATIONS = 600_000;
/**
 * The floor for any vault, new or stored: lower counts are refused when sealing and
 * read as corrupt when opening. Tests seal at the floor to stay fast; production
 * callers leave `iterations` unset and get the default.
 */
export const MIN_PBKDF2_ITERATIONS = 100_000;
/** A hostile record could otherwise hang unlock for hours; 16x the default leaves room to raise. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
export const SALT_BYTES = 16;
export const MAX_SALT_BYTES = 64;
export const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Room for MAX_CONTENTS_BYTES of plaintext, the GCM tag and the header. */
export const MAX_VAULT_RECORD_BYTES = 272 * 1024;
/** New vault passphrases shorter than this are refused (unlock accepts any, for old vaults). */
export const MIN_PASSPHRASE_LENGTH = 8;
const MAX_PASSPHRASE_LENGTH = 1024;

export interface KdfParams {
  readonly name: typeof KDF_NAME;
  readonly iterations: number;
  readonly salt: Uint8Array;
}

export interface VaultHeader {
  readonly kdf: KdfParams;
  readonly iv: Uint8Array;
}

/** A non-extractable AES key with the parameters it came from; held by an unlocked session. */
export interface VaultKey {
  readonly kdf: KdfParams;
  readonly key: CryptoKey;
}

export interface VaultPolicy {
  /** PBKDF2 iterations for new vaults and the threshold below which unlock re-encrypts. */
  iterations?: number;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** WebCrypto takes ArrayBuffer-backed views only. */
function buf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
}

function random(n: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

function policyIterations(policy: VaultPolicy | undefined): number {
  const n = policy?.iterations ?? DEFAULT_PBKDF2_ITERATIONS;
  if (!Number.isSafeInteger(n) || n < MIN_PBKDF2_ITERATIONS || n > MAX_PBKDF2_ITERATIONS) {
    throw new WalletError(
      'WALLET_WEAK_KDF',
      `PBKDF2 iterations must be in [${MIN_PBKDF2_ITERATIONS}, ${MAX_PBKDF2_ITERATIONS}]`,
    );
  }
  return n;
}

/** NFKC so the same passphrase typed on another keyboard or OS derives the same key. */
function passphraseBytes(passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string' || passphrase.length > MAX_PASSPHRASE_LENGTH) {
    throw new WalletError('WALLET_BAD_PASSPHRASE', 'not a usable passphrase');
  }
  return utf8(passphrase.normalize('NFKC'));
}

export function checkNewPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || [...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new WalletError(
      'WALLET_WEAK_PASSPHRASE',
      `a wallet passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters`,
    );
  }
}

export async function deriveVaultKey(passphrase: string, kdf: KdfParams): Promise<VaultKey> {
  const secret = passphraseBytes(passphrase);
  const base = await subtle().importKey('raw', buf(secret), 'PBKDF2', false, ['deriveKey']);
  secret.fill(0);
  const key = await subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: buf(kdf.salt), iterations: kdf.iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return { kdf, key };
}

/** A key for a new vault: fresh salt, the policy's iterations. */
export async function newVaultKey(passphrase: string, policy?: VaultPolicy): Promise<VaultKey> {
  const kdf: KdfParams = {
    name: KDF_NAME,
    iterations: policyIterations(policy),
    salt: random(SALT_BYTES),
  };
  return deriveVaultKey(passphrase, kdf);
}

function headerCbor(kdf: KdfParams, iv: Uint8Array): Record<string, CborValue> {
  return {
    v: VAULT_VERSION,
    kdf: { name: kdf.name, iterations: kdf.iterations, salt: kdf.salt },
    cipher: { name: CIPHER_NAME, iv },
  };
}

/** Encrypts contents under `key` with a fresh IV; returns the record bytes to store. */
export async function sealVault(contents: VaultContents, key: VaultKey): Promise<Uint8Array> {
  const plaintext = encodeContents(contents);
  const iv = random(IV_BYTES);
  const header = headerCbor(key.kdf, iv);
  try {
    const data = await subtle().encrypt(
      { name: 'AES-GCM', iv, additionalData: buf(encode(header)), tagLength: 128 },
      key.key,
      buf(plaintext),
    );
    return encode({ ...header, data: new Uint8Array(data) });
  } finally {
    plaintext.fill(0);
  }
}

function corrupt(message: string, cause?: unknown): WalletError {
  return new WalletError('WALLET_CORRUPT', `not a valid vault record: ${message}`, { cause });
}

function unsupported(message: string): WalletError {
  return new WalletError('WALLET_UNSUPPORTED', message);
}

interface ParsedRecord extends VaultHeader {
  readonly aad: Uint8Array;
  readonly data: Uint8Array;
}

function parseRecord(bytes: Uint8Array): ParsedRecord {
  const value = decode(bytes, { maxBytes: MAX_VAULT_RECORD_BYTES });
  // The version first: a newer format may have other fields, and deserves its own code.
  const v = (value as { v?: unknown } | null)?.v;
  if (typeof v === 'number' && v !== VAULT_VERSION) throw unsupported(`vault format v${v}`);
  const r = readRecord(value, 'vault', ['v', 'kdf', 'cipher', 'data']);
  readUint(r.v, 'vault.v');
  const kdfRec = readRecord(r.kdf, 'vault.kdf', ['name', 'iterations', 'salt']);
  const kdfName = readString(kdfRec.name, 'vault.kdf.name', 64);
  if (kdfName !== KDF_NAME) throw unsupported(`key derivation ${kdfName}`);
  const iterations = readUint(kdfRec.iterations, 'vault.kdf.iterations');
  if (iterations < MIN_PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
    throw corrupt(`PBKDF2 iterations ${iterations} out of bounds`);
  }
  const salt = readBytes(kdfRec.salt, 'vault.kdf.salt', undefined, MAX_SALT_BYTES);
  if (salt.length < SALT_BYTES) throw corrupt('salt too short');
  const cipherRec = readRecord(r.cipher, 'vault.cipher', ['name', 'iv']);
  const cipherName = readString(cipherRec.name, 'vault.cipher.name', 64);
  if (cipherName !== CIPHER_NAME) throw unsupported(`cipher ${cipherName}`);
  const iv = readBytes(cipherRec.iv, 'vault.cipher.iv', IV_BYTES);
  const data = readBytes(r.data, 'vault.data', undefined, MAX_VAULT_RECORD_BYTES);
  if (data.length < TAG_BYTES) throw corrupt('ciphertext shorter than its tag');
  const kdf: KdfParams = { name: KDF_NAME, iterations, salt };
  return { kdf, iv, data, aad: encode(headerCbor(kdf, iv)) };
}

/** Strictly decodes a stored record's header without decrypting (to show or check parameters). */
export function readVaultHeader(bytes: Uint8Array): VaultHeader {
  const { kdf, iv } = parseOrThrow(bytes);
  return { kdf, iv };
}

/** Decrypts a record with an already derived key (same salt and iterations as the record). */
export async function openVaultWithKey(bytes: Uint8Array, key: VaultKey): Promise<VaultContents> {
  const record = parseOrThrow(bytes);
  let plaintext: Uint8Array;
  try {
    const out = await subtle().decrypt(
      { name: 'AES-GCM', iv: buf(record.iv), additionalData: buf(record.aad), tagLength: 128 },
      key.key,
      buf(record.data),
    );
    plaintext = new Uint8Array(out);
  } catch (err) {
    throw new WalletError(
      'WALLET_BAD_PASSPHRASE',
      'the passphrase does not open this vault (or the vault was altered)',
      { cause: err },
    );
  }
  try {
    return decodeContents(plaintext);
  } catch (err) {
    throw corrupt(`contents: ${(err as Error).message}`, err);
  } finally {
    plaintext.fill(0);
  }
}

function parseOrThrow(bytes: Uint8Array): ParsedRecord {
  try {
    return parseRecord(bytes);
  } catch (err) {
    if (err instanceof WalletError) throw err;
    if (err instanceof CodecError) throw corrupt(err.message, err);
    throw corrupt('unreadable', err);
  }
}

export interface OpenedVault {
  readonly contents: VaultContents;
  /** The key now protecting the vault (the upgraded one when `upgraded` is set). */
  readonly key: VaultKey;
  /** Re-encrypted record bytes to store when the stored KDF was below the policy; else null. */
  readonly upgraded: Uint8Array | null;
}

/**
 * Opens a record with the holder's passphrase. When its PBKDF2 iterations are below
 * the policy's, the contents are re-sealed under a new salt at the policy's count and
 * returned for the caller to store: vaults made under older defaults get stronger.
 */
export async function openVault(
  bytes: Uint8Array,
  passphrase: string,
  policy?: VaultPolicy,
): Promise<OpenedVault> {
  const target = policyIterations(policy);
  const { kdf } = parseOrThrow(bytes);
  const key = await deriveVaultKey(passphrase, kdf);
  const contents = await openVaultWithKey(bytes, key);
  if (kdf.iterations >= target) return { contents, key, upgraded: null };
  const stronger = await newVaultKey(passphrase, { iterations: target });
  return { contents, key: stronger, upgraded: await sealVault(contents, stronger) };
}

/** A new vault record: the passphrase checked, a fresh salt and IV. */
export async function createVault(
  contents: VaultContents,
  passphrase: string,
  policy?: VaultPolicy,
): Promise<{ record: Uint8Array; key: VaultKey }> {
  checkNewPassphrase(passphrase);
  const key = await newVaultKey(passphrase, policy);
  return { record: await sealVault(contents, key), key };
}
