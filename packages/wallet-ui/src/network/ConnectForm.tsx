import { useState } from 'preact/hooks';
import { ErrorBox } from '../ui/ErrorBox.js';
import { Field } from '../ui/fields.js';
import { Problem } from '../ui/Problem.js';
import { useAction } from '../ui/use-async.js';
import { checkNetworkConfig, type NetworkConfig, parseNetworkInput } from './network-config.js';

/** A network from a pasted link or JSON, or from its parts typed in. */
export function ConnectForm({ onConnect }: { onConnect: (c: NetworkConfig) => Promise<void> }) {
  const [pasted, setPasted] = useState('');
  const [channel, setChannel] = useState('weft');
  const [genesis, setGenesis] = useState('');
  const [nodes, setNodes] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    const checked = pasted.trim()
      ? parseNetworkInput(pasted)
      : checkNetworkConfig({
          channel,
          genesisHash: genesis,
          nodes: nodes.split(/\s+/).filter(Boolean),
        });
    if (!checked.ok) {
      setProblem(checked.error);
      return;
    }
    setProblem(undefined);
    void action.run(() => onConnect(checked.value));
  };
  return (
    <form onSubmit={submit} class="stack">
      <label>
        Network link or JSON
        <textarea
          rows={3}
          value={pasted}
          onInput={(e) => setPasted(e.currentTarget.value)}
          placeholder="https://…/?channel=weft&genesis=…&node=/ip4/…/ws/p2p/…"
        />
      </label>
      <details>
        <summary>Or enter the parts</summary>
        <div class="stack">
          <Field label="Channel" value={channel} onValue={setChannel} />
          <Field
            label="Genesis hash (64 hex characters)"
            value={genesis}
            onValue={setGenesis}
            spellcheck={false}
            autocomplete="off"
          />
          <label>
            Full nodes (WebSocket multiaddrs, one per line)
            <textarea rows={3} value={nodes} onInput={(e) => setNodes(e.currentTarget.value)} />
          </label>
        </div>
      </details>
      <Problem text={problem} />
      <ErrorBox error={action.error} />
      <button type="submit" disabled={action.running}>
        {action.running ? 'Connecting…' : 'Connect'}
      </button>
    </form>
  );
}
