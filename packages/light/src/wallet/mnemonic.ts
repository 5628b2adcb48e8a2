import {
  generateMnemonic,
  mnemonicToSeedWebcrypto,
  validateMnemonic as scureValidate,
} from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { WalletError } from './errors.js';

/** BIP39 sentence lengths and the entropy each carries (11 bits per word, 1 in 33 is checksum). */
const STRENGTH_BY_WORDS = { 12: 128, 15: 160, 18: 192, 21: 224, 24: 256 } as const;
export type MnemonicWordCount = keyof typeof STRENGTH_BY_WORDS;

/** 24 words: 256 bits of entropy, matching the Ed25519 keys derived from it. */
export const DEFAULT_MNEMONIC_WORDS: MnemonicWordCount = 24;

/** Longest accepted input (24 words of at most 8 letters plus separators, with slack). */
const MAX_MNEMONIC_INPUT = 1024;

/** A fresh English mnemonic from the runtime's CSPRNG (scure uses crypto.getRandomValues). */
export function createMnemonic(words: MnemonicWordCount = DEFAULT_MNEMONIC_WORDS): string {
  const strength = STRENGTH_BY_WORDS[words];
  if (strength === undefined) {
    throw new WalletError('WALLET_BAD_MNEMONIC', `a mnemonic has 12, 15, 18, 21 or 24 words`);
  }
  return generateMnemonic(wordlist, strength);
}

/**
 * The canonical form of what a holder typed: NFKD (as BIP39 specifies), lower case,
 * single spaces. Typing "Abandon  abandon\n..." must give the same seed as the
 * written-down sentence, so every entry point normalises before validating.
 */
export function normalizeMnemonic(input: string): string {
  if (typeof input !== 'string' || input.length > MAX_MNEMONIC_INPUT) {
    throw new WalletError('WALLET_BAD_MNEMONIC', 'not a mnemonic sentence');
  }
  return input.normalize('NFKD').trim().toLowerCase().split(/\s+/u).join(' ');
}

export function isValidMnemonic(input: string): boolean {
  try {
    return scureValidate(normalizeMnemonic(input), wordlist);
  } catch {
    return false;
  }
}

/** Normalises and checks words and checksum; returns the canonical sentence. */
export function parseMnemonic(input: string): string {
  const sentence = normalizeMnemonic(input);
  if (!scureValidate(sentence, wordlist)) {
    throw new WalletError(
      'WALLET_BAD_MNEMONIC',
      'not a valid BIP39 English mnemonic (unknown word, wrong word count or bad checksum)',
    );
  }
  return sentence;
}

/**
 * The BIP39 seed (PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic" + passphrase).
 * WebCrypto does the rounds natively in both runtimes. `bip39Passphrase` is BIP39's
 * optional extra word, not the vault passphrase.
 */
export async function mnemonicToSeed(input: string, bip39Passphrase = ''): Promise<Uint8Array> {
  const sentence = parseMnemonic(input);
  try {
    return await mnemonicToSeedWebcrypto(sentence, bip39Passphrase);
  } catch (err) {
    // scure refuses passphrases that are not well-formed Unicode (lone surrogates).
    throw new WalletError('WALLET_BAD_MNEMONIC', 'the BIP39 passphrase is not valid Unicode', {
      cause: err,
    });
  }
}
