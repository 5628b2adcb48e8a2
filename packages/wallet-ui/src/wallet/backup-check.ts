import { MIN_PASSPHRASE_LENGTH } from '@weft/light';

/** Positions (0-based, ascending) of the words a holder is asked to type back. */
export function wordsToConfirm(wordCount: number, ask = 3, random = Math.random): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(ask, wordCount)) picked.add(Math.floor(random() * wordCount));
  return [...picked].sort((a, b) => a - b);
}

/** Whether each asked word was typed back right (case and surrounding spaces ignored). */
export function confirmsBackup(
  mnemonic: string,
  positions: readonly number[],
  answers: readonly string[],
): boolean {
  const words = mnemonic.trim().split(/\s+/);
  return positions.every((p, i) => (answers[i] ?? '').trim().toLowerCase() === words[p]);
}

/** A new passphrase's problem, as a sentence, or undefined when it is fine. */
export function passphraseProblem(passphrase: string, repeat: string): string | undefined {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    return `Use at least ${MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are easy to remember.`;
  }
  if (passphrase !== repeat) return 'The two passphrases differ.';
  return undefined;
}

/** A name for a new wallet that no stored wallet has yet. */
export function freshWalletName(existing: readonly string[]): string {
  if (!existing.includes('My wallet')) return 'My wallet';
  for (let i = 2; ; i++) if (!existing.includes(`My wallet ${i}`)) return `My wallet ${i}`;
}
