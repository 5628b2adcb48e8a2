import { useServices } from '../app/services.js';
import { CopyButton } from '../ui/CopyButton.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { formatTime } from '../ui/format.js';
import { Hex } from '../ui/Hex.js';
import { BlockLink } from '../ui/links.js';
import { ConnectForm } from './ConnectForm.js';
import { networkLink } from './network-config.js';
import { useConnection } from './use-connection.js';

const SOURCES = {
  link: 'from the link you opened',
  server: 'announced by the server (weft up)',
  saved: 'the last one used in this browser',
};

export function NetworkPage() {
  const { connection } = useServices();
  const { manager, client, state } = useConnection();
  const config = manager.config;
  return (
    <section>
      <h1>Network</h1>
      {config ? (
        <>
          <dl class="facts">
            <dt>Network</dt>
            <dd>
              {config.name} {manager.source ? <small>({SOURCES[manager.source]})</small> : null}
            </dd>
            <dt>Channel</dt>
            <dd>{config.channel}</dd>
            <dt>Genesis hash (trust anchor)</dt>
            <dd>
              <code class="wrap" data-testid="genesis">
                {config.genesisHash}
              </code>
            </dd>
            <dt>Verified height</dt>
            <dd data-testid="verified-height">{state?.height ?? 0}</dd>
            {state?.tipHash ? (
              <>
                <dt>Verified tip</dt>
                <dd>
                  <BlockLink n={state.height - 1} /> <Hex value={state.tipHash} />
                  {state.tipTime ? ` · ${formatTime(state.tipTime)}` : ''}
                </dd>
              </>
            ) : null}
            {client ? (
              <>
                <dt>Signature checks</dt>
                <dd data-testid="verify-workers" data-workers={client.workers.size}>
                  {threads(client.workers.size)}
                </dd>
              </>
            ) : null}
          </dl>
          <ErrorBox error={manager.error} title="Could not open this network." />
          <ErrorBox error={state?.error} title="Syncing failed." />
          <h2>Full nodes</h2>
          <p class="hint">
            Nothing they say is believed without proof: headers are verified from the genesis hash,
            transactions by Merkle proofs and peers' signed attestations.
          </p>
          <ul class="nodes">
            {(
              state?.nodes ??
              config.nodes.map((address) => ({
                address,
                id: address,
                connected: false,
                blamed: false,
              }))
            ).map((n) => (
              <li key={n.address}>
                <span class={`dot ${n.connected ? 'dot-good' : 'dot-off'}`} aria-hidden="true" />
                <span>{n.connected ? 'Connected' : 'Not connected'}</span>
                {n.blamed ? <strong class="warn"> · served something false</strong> : null}
                <code class="wrap">{n.address}</code>
              </li>
            ))}
          </ul>
          <p>
            Share this network:{' '}
            <CopyButton text={networkLink(config, location.href)} label="Copy link" />
          </p>
        </>
      ) : (
        <p>No network yet. Paste a network link or enter its genesis hash and full nodes below.</p>
      )}
      <h2>Connect to another network</h2>
      <ConnectForm
        onConnect={async (next) => {
          history.replaceState(null, '', networkLink(next, location.href));
          await connection.connect(next, 'link');
        }}
      />
    </section>
  );
}

function threads(n: number): string {
  if (n === 0) return 'on this page';
  return `on ${n} background thread${n > 1 ? 's' : ''} (Web Workers)`;
}
