import { useState } from 'preact/hooks';
import { useServices } from '../app/services.js';
import { useConnection } from '../network/use-connection.js';
import { useObservable } from '../state/observable.js';
import { ErrorBox } from '../ui/ErrorBox.js';
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
      {done ? (
        <p class="notice" role="status">
          Enrolled: this wallet can send now.
        </p>
      ) : null}
      <form class="stack narrow" onSubmit={submit}>
        {orgs.length > 0 ? (
          <label>
            Organisation
            <select value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
              {orgs.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            Organisation
            <input value={org} onInput={(e) => setOrg(e.currentTarget.value)} required />
          </label>
        )}
        <label>
          Enrollment id
          <input
            value={id}
            onInput={(e) => setId(e.currentTarget.value)}
            autocomplete="off"
            required
          />
        </label>
        <label>
          Enrollment secret
          <input
            value={secret}
            onInput={(e) => setSecret(e.currentTarget.value)}
            autocomplete="off"
            spellcheck={false}
            required
          />
        </label>
        <ErrorBox error={action.error} title="Enrollment failed." />
        <button type="submit" disabled={action.running || !client}>
          {action.running ? 'Enrolling…' : open.enrollment ? 'Enroll again' : 'Enroll'}
        </button>
      </form>
    </>
  );
}
