import { useState } from 'preact/hooks';
import { useServices } from '../app/services.js';
import { useConnection } from '../network/use-connection.js';
import { useObservable } from '../state/observable.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { Choice, Field } from '../ui/fields.js';
import { Notice } from '../ui/Notice.js';
import { useAction } from '../ui/use-async.js';

/**
 * Enrollment as fabric-ca does it: an org admin registered a one-time id and
 * secret; the wallet proves its key and the secret to a node of that org
 * and gets a client certificate, checked against the org's root key in the
 * verified channel config.
 */
export function EnrollForm() {
  const { wallet } = useServices();
  const { client } = useConnection();
  const open = useObservable(wallet.state).open!;
  const orgs = Object.keys(client?.config.cas ?? {}).sort();
  const [org, setOrg] = useState(orgs[0] ?? '');
  const [id, setId] = useState('');
  const [secret, setSecret] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    void action.run(async () => {
      await wallet.enroll(org.trim(), id.trim(), secret.trim());
      setSecret('');
      setDone(true);
    });
  };
  return (
    <>
      <h2>Enrollment</h2>
      <p>
        {open.enrollment
          ? `Enrolled as a ${open.enrollment.org} ${open.enrollment.role} until ${new Date(open.enrollment.notAfter).toLocaleString()}.`
          : 'Not enrolled. Sending needs a client certificate from an organisation of the network; receiving does not.'}
      </p>
      <Notice text={done ? 'Enrolled: this wallet can send now.' : undefined} />
      <form class="stack narrow" onSubmit={submit}>
        {orgs.length > 0 ? (
          <Choice label="Organisation" value={org} options={orgs} onValue={setOrg} />
        ) : (
          <Field label="Organisation" value={org} onValue={setOrg} required />
        )}
        <Field label="Enrollment id" value={id} onValue={setId} autocomplete="off" required />
        <Field
          label="Enrollment secret"
          value={secret}
          onValue={setSecret}
          autocomplete="off"
          spellcheck={false}
          required
        />
        <ErrorBox error={action.error} title="Enrollment failed." />
        <button type="submit" disabled={action.running || !client}>
          {action.running ? 'Enrolling…' : open.enrollment ? 'Enroll again' : 'Enroll'}
        </button>
      </form>
    </>
  );
}
