import { toHex } from '@weft/core';
import type { SpendResult } from '@weft/light';
import { useState } from 'preact/hooks';
import { useServices } from '../app/services.js';
import { useObservable } from '../state/observable.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { describeError, type ShownError } from '../ui/errors.js';
import { Field } from '../ui/fields.js';
import { parseAmount } from '../ui/format.js';
import { Hex } from '../ui/Hex.js';
import { useAction } from '../ui/use-async.js';
import { SpendOutcome, SpendReview } from './SpendReview.js';
import { previewSpend, type SpendPreview } from './spend-preview.js';

type Step =
  | { at: 'edit' }
  | { at: 'review'; preview: SpendPreview }
  | { at: 'sending'; preview: SpendPreview; txid?: string }
  | { at: 'done'; result: SpendResult };

/** Pay an owner key: fill in, review what will be signed, sign, follow to a verified verdict. */
export function SendForm() {
  const { wallet } = useServices();
  const open = useObservable(wallet.state).open!;
  const labels = Object.keys(open.balances ?? {});
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [label, setLabel] = useState(labels[0] ?? 'FBC');
  const [step, setStep] = useState<Step>({ at: 'edit' });
  const [problem, setProblem] = useState<ShownError | undefined>();
  const action = useAction();

  const review = (e: Event) => {
    e.preventDefault();
    const parsed = parseAmount(amount);
    if (!parsed.ok) return setProblem({ message: parsed.error });
    try {
      const preview = previewSpend(
        { to: to.trim(), label: label.trim(), amount: parsed.value },
        open.coins ?? [],
      );
      setProblem(undefined);
      setStep({ at: 'review', preview });
    } catch (err) {
      setProblem(describeError(err));
    }
  };

  const send = (preview: SpendPreview) =>
    action.run(async () => {
      const session = wallet.session!;
      const before = new Set((session.metadata().journal?.pending ?? []).map((p) => toHex(p.txid)));
      setStep({ at: 'sending', preview });
      // The spend is journalled (its inputs locked) before it is submitted: show its id then.
      const watch = setInterval(() => {
        if (session.isLocked) return;
        const fresh = session.metadata().journal?.pending.find((p) => !before.has(toHex(p.txid)));
        if (fresh) setStep({ at: 'sending', preview, txid: toHex(fresh.txid) });
      }, 250);
      try {
        const result = await wallet.send({
          to: preview.to,
          label: preview.label,
          amount: preview.amount,
        });
        setStep({ at: 'done', result });
      } catch (err) {
        setStep({ at: 'review', preview });
        throw err;
      } finally {
        clearInterval(watch);
      }
    });

  if (step.at === 'done') {
    return (
      <>
        <h2>Send</h2>
        <SpendOutcome result={step.result} />
        <button
          type="button"
          onClick={() => {
            setAmount('');
            setTo('');
            setStep({ at: 'edit' });
          }}
        >
          New payment
        </button>
      </>
    );
  }
  if (step.at === 'review' || step.at === 'sending') {
    const sending = step.at === 'sending';
    return (
      <>
        <h2>Send</h2>
        <SpendReview
          preview={step.preview}
          signer={open.enrollment ? `your ${open.enrollment.org} client key` : undefined}
        />
        <ErrorBox error={action.error} title="The payment was not made." />
        {sending ? (
          <p role="status" aria-live="polite" class="notice">
            {step.txid ? (
              <>
                Submitted as <Hex value={step.txid} />; following it to a verified verdict…
              </>
            ) : (
              'Signing and submitting…'
            )}
          </p>
        ) : null}
        <div class="row">
          <button
            type="button"
            class="secondary"
            disabled={sending}
            onClick={() => setStep({ at: 'edit' })}
          >
            Back
          </button>
          <button type="button" disabled={sending} onClick={() => send(step.preview)}>
            {sending ? 'Sending…' : 'Sign and send'}
          </button>
        </div>
      </>
    );
  }
  return (
    <>
      <h2>Send</h2>
      <form class="stack narrow" onSubmit={review}>
        <Field
          label="Recipient owner key"
          value={to}
          onValue={setTo}
          autocomplete="off"
          spellcheck={false}
          placeholder="64 hexadecimal characters"
          required
        />
        <Field
          label="Amount (whole units)"
          value={amount}
          onValue={setAmount}
          inputMode="numeric"
          autocomplete="off"
          required
        />
        <Field label="Label" value={label} onValue={setLabel} list="labels" maxLength={16} required>
          <datalist id="labels">
            {labels.map((l) => (
              <option key={l} value={l} />
            ))}
          </datalist>
        </Field>
        {!open.enrollment ? (
          <p class="notice">
            Sending needs a client certificate: <a href="#/wallet/enroll">enroll first</a>.
          </p>
        ) : null}
        <ErrorBox error={problem} />
        <button type="submit">Review</button>
      </form>
    </>
  );
}
