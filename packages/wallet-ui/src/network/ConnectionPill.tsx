import { useConnection } from './use-connection.js';

/** Connected nodes and the verified height, always in view; links to the network page. */
export function ConnectionPill() {
  const { manager, state } = useConnection();
  let text: string;
  let kind: string;
  if (!manager.config) {
    text = 'No network';
    kind = 'off';
  } else if (manager.opening || !state) {
    text = manager.error ? 'Cannot connect' : 'Connecting…';
    kind = manager.error ? 'bad' : 'busy';
  } else {
    const connected = state.nodes.filter((n) => n.connected).length;
    const height =
      state.height > 0
        ? `verified height ${state.height.toLocaleString('en-US')}`
        : 'no verified blocks yet';
    const syncing =
      state.phase === 'syncing' && state.target
        ? ` (syncing to ${state.target.toLocaleString('en-US')})`
        : '';
    text = `${connected}/${state.nodes.length} nodes · ${height}${syncing}`;
    kind = state.phase === 'offline' ? 'bad' : state.phase === 'ready' ? 'good' : 'busy';
  }
  return (
    <a class={`pill pill-${kind}`} href="#/network" aria-live="polite" data-testid="connection">
      <span class="dot" aria-hidden="true" />
      {text}
    </a>
  );
}
