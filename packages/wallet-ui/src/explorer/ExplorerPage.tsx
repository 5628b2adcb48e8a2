import { useCallback } from 'preact/hooks';
import { useConnection } from '../network/use-connection.js';
import { BlockList } from './BlockList.js';
import { loadBlock } from './block-data.js';
import { SearchBox } from './SearchBox.js';

/** Verified blocks, a page at a time (the latest by default), and a search. */
export function ExplorerPage({ top }: { top?: number }) {
  const { client, state } = useConnection();
  const height = state?.height ?? 0;
  const load = useCallback(
    (n: number, signal: AbortSignal) => loadBlock(client!, n, signal),
    [client],
  );
  return (
    <section>
      <h1>Explorer</h1>
      <SearchBox />
      {!client ? <p>Connect to a network to explore it.</p> : null}
      <h2>{top === undefined ? 'Latest blocks' : 'Blocks'}</h2>
      <p class="hint">
        Every block below hangs from the genesis hash through verified orderer signatures; its codes
        count once peers satisfying the attestation policy sign them.
      </p>
      {client && height > 0 ? <BlockList height={height} top={top} load={load} /> : null}
    </section>
  );
}
