import { createMnemonic } from '@weft/light';
import { useMemo, useState } from 'preact/hooks';
import { navigate } from '../app/route.js';
import { useServices } from '../app/services.js';
import { useObservable } from '../state/observable.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { Field } from '../ui/fields.js';
import { Problem } from '../ui/Problem.js';
import { useAction } from '../ui/use-async.js';
import { confirmsBackup, freshWalletName, wordsToConfirm } from './backup-check.js';
import { type NewWallet, NewWalletFields, newWalletProblem } from './NewWalletFields.js';
import { WordList } from './WordList.js';

type Step =
  | { at: 'secure' }
  | { at: 'words'; mnemonic: string }
  | { at: 'confirm'; mnemonic: string };

/**
 * A new wallet in three steps: a name and passphrase; the recovery words,
 * shown once; then three of them typed back. The vault is written only
 * after the words are confirmed, so an unconfirmed backup leaves nothing.
 */
export function CreateWallet() {
  const { wallet } = useServices();
  const { names } = useObservable(wallet.state);
  const [form, setForm] = useState<NewWallet>(() => ({
    name: freshWalletName(names),
    passphrase: '',
    repeat: '',
  }));
  const [step, setStep] = useState<Step>({ at: 'secure' });
  const [problem, setProblem] = useState<string | undefined>();

  if (step.at === 'words') {
    return (
      <ShowWords
        mnemonic={step.mnemonic}
        onDone={() => setStep({ at: 'confirm', mnemonic: step.mnemonic })}
      />
    );
  }
  if (step.at === 'confirm') {
    return (
      <ConfirmWords
        mnemonic={step.mnemonic}
        onBack={() => setStep({ at: 'words', mnemonic: step.mnemonic })}
        create={() => wallet.create(form.name.trim(), form.passphrase, step.mnemonic)}
      />
    );
  }
  const submit = (e: Event) => {
    e.preventDefault();
    const issue = newWalletProblem(form);
    setProblem(issue);
    if (!issue) setStep({ at: 'words', mnemonic: createMnemonic() });
  };
  return (
    <section>
      <h1>Create a wallet</h1>
      <form class="stack narrow" onSubmit={submit}>
        <NewWalletFields value={form} onChange={setForm} />
        <Problem text={problem} />
        <button type="submit">Continue</button>
      </form>
    </section>
  );
}

function ShowWords({ mnemonic, onDone }: { mnemonic: string; onDone: () => void }) {
  const [saved, setSaved] = useState(false);
  const words = mnemonic.split(' ');
  return (
    <section>
      <h1>Your recovery words</h1>
      <p class="notice" role="note">
        Write these {words.length} words down, in order, and keep them offline. They are the only
        way to restore this wallet; they are shown only now, and anyone who has them owns your
        coins.
      </p>
      <WordList words={words} testid="mnemonic" />
      <label class="check">
        <input
          type="checkbox"
          checked={saved}
          onChange={(e) => setSaved(e.currentTarget.checked)}
        />
        I have written them down
      </label>
      <button type="button" disabled={!saved} onClick={onDone}>
        Continue
      </button>
    </section>
  );
}

function ConfirmWords(p: { mnemonic: string; onBack: () => void; create: () => Promise<void> }) {
  const positions = useMemo(() => wordsToConfirm(p.mnemonic.split(' ').length), [p.mnemonic]);
  const [answers, setAnswers] = useState<string[]>(positions.map(() => ''));
  const [wrong, setWrong] = useState(false);
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    if (!confirmsBackup(p.mnemonic, positions, answers)) {
      setWrong(true);
      return;
    }
    setWrong(false);
    void action.run(async () => {
      await p.create();
      navigate({ page: 'wallet', view: 'home' });
    });
  };
  return (
    <section>
      <h1>Confirm your recovery words</h1>
      <form class="stack narrow" onSubmit={submit}>
        {positions.map((pos, i) => (
          <Field
            key={pos}
            label={`Word ${pos + 1}`}
            value={answers[i]!}
            onValue={(v) => setAnswers((a) => a.map((x, j) => (j === i ? v : x)))}
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            data-word={pos + 1}
          />
        ))}
        <Problem
          text={
            wrong
              ? 'Those are not the right words. Check your copy, or go back to see them again.'
              : undefined
          }
        />
        <ErrorBox error={action.error} />
        <div class="row">
          <button type="button" class="secondary" onClick={p.onBack}>
            Show the words again
          </button>
          <button type="submit" disabled={action.running}>
            {action.running ? 'Encrypting…' : 'Create wallet'}
          </button>
        </div>
      </form>
    </section>
  );
}
