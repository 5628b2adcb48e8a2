import { isValidMnemonic, normalizeMnemonic } from '@weft/light';
import { useState } from 'preact/hooks';
import { navigate } from '../app/route.js';
import { useServices } from '../app/services.js';
import { useObservable } from '../state/observable.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { Problem } from '../ui/Problem.js';
import { useAction } from '../ui/use-async.js';
import { freshWalletName } from './backup-check.js';
import { type NewWallet, NewWalletFields, newWalletProblem } from './NewWalletFields.js';

/** A wallet from its recovery words; its coins are found by scanning its keys. */
export function RestoreWallet() {
  const { wallet } = useServices();
  const { names } = useObservable(wallet.state);
  const [words, setWords] = useState('');
  const [form, setForm] = useState<NewWallet>(() => ({
    name: freshWalletName(names),
    passphrase: '',
    repeat: '',
  }));
  const [problem, setProblem] = useState<string | undefined>();
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    const issue = !isValidMnemonic(words)
      ? 'Those recovery words are not a valid phrase: check each word and their order.'
      : newWalletProblem(form);
    setProblem(issue);
    if (issue) return;
    void action.run(async () => {
      await wallet.create(form.name.trim(), form.passphrase, normalizeMnemonic(words));
      setWords('');
      navigate({ page: 'wallet', view: 'home' });
    });
  };
  return (
    <section>
      <h1>Restore a wallet</h1>
      <form class="stack narrow" onSubmit={submit}>
        <label>
          Recovery words (12 to 24 words, separated by spaces)
          <textarea
            rows={4}
            value={words}
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            onInput={(e) => setWords(e.currentTarget.value)}
            required
          />
        </label>
        <NewWalletFields value={form} onChange={setForm} />
        <Problem text={problem} />
        <ErrorBox error={action.error} />
        <button type="submit" disabled={action.running}>
          {action.running ? 'Restoring…' : 'Restore wallet'}
        </button>
      </form>
    </section>
  );
}
