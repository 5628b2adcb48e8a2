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
      <label>
        Wallet name
        <input
          value={p.value.name}
          onInput={(e) => set({ name: e.currentTarget.value })}
          maxLength={64}
          required
        />
      </label>
      <label>
        Passphrase (encrypts the wallet in this browser)
        <input
          type="password"
          autocomplete="new-password"
          value={p.value.passphrase}
          onInput={(e) => set({ passphrase: e.currentTarget.value })}
          required
        />
      </label>
      <label>
        Passphrase again
        <input
          type="password"
          autocomplete="new-password"
          value={p.value.repeat}
          onInput={(e) => set({ repeat: e.currentTarget.value })}
          required
        />
      </label>
    </>
  );
}
