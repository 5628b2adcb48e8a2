import { Field, PassphraseField } from '../ui/fields.js';
import { passphraseProblem } from './backup-check.js';

/** What a new (or restored) wallet needs from its holder before its keys are stored. */
export interface NewWallet {
  name: string;
  passphrase: string;
  repeat: string;
}

export function newWalletProblem(w: NewWallet): string | undefined {
  return w.name.trim() ? passphraseProblem(w.passphrase, w.repeat) : 'Give the wallet a name.';
}

/**
 * The wallet's name and a new passphrase typed twice (the vault cannot be
 * opened without it, and nobody can reset it).
 */
export function NewWalletFields(p: { value: NewWallet; onChange: (next: NewWallet) => void }) {
  const set = (change: Partial<NewWallet>) => p.onChange({ ...p.value, ...change });
  return (
    <>
      <Field
        label="Wallet name"
        value={p.value.name}
        onValue={(name) => set({ name })}
        maxLength={64}
        required
      />
      <PassphraseField
        label="Passphrase (encrypts the wallet in this browser)"
        value={p.value.passphrase}
        onValue={(passphrase) => set({ passphrase })}
        autocomplete="new-password"
      />
      <PassphraseField
        label="Passphrase again"
        value={p.value.repeat}
        onValue={(repeat) => set({ repeat })}
        autocomplete="new-password"
      />
    </>
  );
}
