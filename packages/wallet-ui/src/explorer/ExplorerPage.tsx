import { useConnection } from '../network/use-connection.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { formatTime } from '../ui/format.js';
import { Hex } from '../ui/Hex.js';
import { BlockLink } from '../ui/links.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { Table } from '../ui/Table.js';
import { useAsync } from '../ui/use-async.js';
import { loadBlock } from './block-data.js';
import { SearchBox } from './SearchBox.js';

const LATEST = 10;

/** The newest verified blocks, each checked against its header, and a search. */
export function ExplorerPage() {
  const { client, state } = useConnection();
  const height = state?.height ?? 0;
  const latest = useAsync(
    async (signal) => {
      if (!client || height === 0) return [];
      const numbers = Array.from({ length: Math.min(LATEST, height) }, (_, i) => height - 1 - i);
      return Promise.all(numbers.map((n) => loadBlock(client, n, signal)));
    },
    [client, height],
  );
  return (
    <section>
      <h1>Explorer</h1>
      <SearchBox />
      {!client ? <p>Connect to a network to explore it.</p> : null}
      <h2>Latest blocks</h2>
      <p class="hint">
        Every block below hangs from the genesis hash through verified orderer signatures; its codes
        count once peers satisfying the attestation policy sign them.
      </p>
      <ErrorBox error={latest.error} />
      {latest.loading && !latest.value ? <p aria-live="polite">Loading verified blocks…</p> : null}
      {latest.value && latest.value.length > 0 ? (
        <Table
          testid="latest-blocks"
          columns={['Block', 'Hash', { num: 'Txs' }, 'Time', 'Orderer signatures', 'Codes']}
        >
          {latest.value.map((b) => (
            <tr key={b.number}>
              <td>
                <BlockLink n={b.number} />
              </td>
              <td>
                <Hex value={b.hash} />
              </td>
              <td class="num">{b.txs.length}</td>
              <td>{formatTime(b.time)}</td>
              <td>
                {b.number === 0 ? (
                  'trust anchor'
                ) : (
                  <>
                    <span class="ok">✓ verified</span> ({b.signers.length})
                  </>
                )}
              </td>
              <td>{b.number === 0 ? 'genesis' : <StatusBadge status={b.attestation.status} />}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
}
