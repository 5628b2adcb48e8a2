import { useState } from 'preact/hooks';
import { useServices } from '../app/services.js';
import { useObservable } from '../state/observable.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { Choice, PassphraseField } from '../ui/fields.js';
import { Notice } from '../ui/Notice.js';
import { useAction } from '../ui/use-async.js';

/** Opens a stored wallet with its passphrase (or offers to create or restore one). */
export function UnlockWallet() {
  const { wallet } = useServices();
  const state = useObservable(wallet.state);
  const [name, setName] = useState(state.names[0] ?? '');
  const [passphrase, setPassphrase] = useState('');
  const action = useAction();
  const chosen = state.names.includes(name) ? name : (state.names[0] ?? '');
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      await wallet.unlock(chosen, passphrase);
      setPassphrase('');
    });
  };
  return (
    <section>
      <h1>Unlock your wallet</h1>
      <Notice
        text={
          state.lockedBecause === 'idle'
            ? 'The wallet locked itself after a few idle minutes, to keep your keys safe.'
            : undefined
        }
      />
      <form class="stack narrow" onSubmit={submit}>
        {state.names.length > 1 ? (
          <Choice label="Wallet" value={chosen} options={state.names} onValue={setName} />
        ) : (
          <p>
            Wallet: <strong>{chosen}</strong>
          </p>
        )}
        <PassphraseField
          label="Passphrase"
          value={passphrase}
          onValue={setPassphrase}
          autocomplete="current-password"
        />
        <ErrorBox error={action.error} />
        <button type="submit" disabled={action.running}>
          {action.running ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
      <p>
        <a href="#/wallet/create">Create a new wallet</a> ·{' '}
        <a href="#/wallet/restore">Restore from recovery words</a>
      </p>
    </section>
  );
}

export function Welcome() {
  return (
    <section>
      <h1>Your Fabcoin wallet</h1>
      <p>
        A wallet that trusts nothing but the network's genesis hash: every balance is proven by
        Merkle proofs and the peers' signed attestations, checked here in your browser. Your keys
        never leave this device, encrypted under your passphrase.
      </p>
      <div class="row">
        <a class="button" href="#/wallet/create">
          Create a wallet
        </a>
        <a class="button secondary" href="#/wallet/restore">
          Restore from recovery words
        </a>
      </div>
    </section>
  );
}
