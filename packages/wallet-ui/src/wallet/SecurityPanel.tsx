import { useState } from 'preact/hooks';
import { useServices } from '../app/services.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { PassphraseField } from '../ui/fields.js';
import { Notice } from '../ui/Notice.js';
import { Problem } from '../ui/Problem.js';
import { useAction } from '../ui/use-async.js';
import { passphraseProblem } from './backup-check.js';
import { WordList } from './WordList.js';

/** The recovery words again (asking for the passphrase), and a new passphrase. */
export function SecurityPanel() {
  return (
    <>
      <h2>Security</h2>
      <p>
        This wallet's keys are encrypted in this browser under your passphrase and lock after five
        idle minutes. Nobody can reset the passphrase: the recovery words are the backup.
      </p>
      <RevealWords />
      <ChangePassphrase />
    </>
  );
}

function RevealWords() {
  const { wallet } = useServices();
  const [passphrase, setPassphrase] = useState('');
  const [words, setWords] = useState<string[] | undefined>();
  const action = useAction();
  if (words) {
    return (
      <section aria-labelledby="words-title">
        <h3 id="words-title">Recovery words</h3>
        <WordList words={words} testid="revealed-words" />
        <button type="button" class="secondary" onClick={() => setWords(undefined)}>
          Hide the words
        </button>
      </section>
    );
  }
  return (
    <form
      class="stack narrow"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          const mnemonic = await wallet.session!.revealMnemonic(passphrase);
          setPassphrase('');
          setWords(mnemonic.split(' '));
        });
      }}
    >
      <h3>Show the recovery words</h3>
      <PassphraseField
        label="Passphrase"
        value={passphrase}
        onValue={setPassphrase}
        autocomplete="current-password"
      />
      <ErrorBox error={action.error} />
      <button type="submit" disabled={action.running}>
        Show the words
      </button>
    </form>
  );
}

function ChangePassphrase() {
  const { wallet } = useServices();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    const issue = passphraseProblem(next, repeat);
    setProblem(issue);
    if (issue) return;
    void action.run(async () => {
      await wallet.session!.changePassphrase(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    });
  };
  return (
    <form class="stack narrow" onSubmit={submit}>
      <h3>Change the passphrase</h3>
      <PassphraseField
        label="Current passphrase"
        value={current}
        onValue={setCurrent}
        autocomplete="current-password"
      />
      <PassphraseField
        label="New passphrase"
        value={next}
        onValue={setNext}
        autocomplete="new-password"
      />
      <PassphraseField
        label="New passphrase again"
        value={repeat}
        onValue={setRepeat}
        autocomplete="new-password"
      />
      <Problem text={problem} />
      <ErrorBox error={action.error} />
      <Notice text={done ? 'Passphrase changed.' : undefined} />
      <button type="submit" disabled={action.running}>
        {action.running ? 'Re-encrypting…' : 'Change passphrase'}
      </button>
    </form>
  );
}
