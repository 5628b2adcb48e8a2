import { useState } from 'preact/hooks';
import { navigate, routeHref } from '../app/route.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { formatAmount, formatTime } from '../ui/format.js';
import { Hex } from '../ui/Hex.js';
import { BlockLink } from '../ui/links.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { Table } from '../ui/Table.js';
import { useAsync } from '../ui/use-async.js';
import type { ExplorerBlock } from './block-data.js';
import { type BlockPageRange, blockPage } from './block-pages.js';

export interface BlockListProps {
  /** Verified blocks in the chain. */
  height: number;
  /** The newest block of the page; absent, the page follows the head. */
  top?: number;
  /** Loads one verified block (keep it stable across renders: it is a dependency). */
  load: (n: number, signal: AbortSignal) => Promise<ExplorerBlock>;
}

/** A page of verified blocks, newest first, with links to newer and older pages and a jump. */
export function BlockList({ height, top, load }: BlockListProps) {
  const range = blockPage(height, top);
  const blocks = useAsync(
    (signal) => {
      const numbers = Array.from({ length: range.top - range.bottom + 1 }, (_, i) => range.top - i);
      return Promise.all(numbers.map((n) => load(n, signal)));
    },
    [load, range.top, range.bottom],
  );
  return (
    <>
      <Pager height={height} range={range} />
      <ErrorBox error={blocks.error} />
      {blocks.loading && !blocks.value ? <p aria-live="polite">Loading verified blocks…</p> : null}
      {blocks.value && blocks.value.length > 0 ? (
        <Table
          testid="latest-blocks"
          columns={['Block', 'Hash', { num: 'Txs' }, 'Time', 'Orderer signatures', 'Codes']}
        >
          {blocks.value.map((b) => (
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
    </>
  );
}

/** Newest / Newer / Older / Oldest as links (the page is in the URL), and a jump to a block. */
function Pager({ height, range }: { height: number; range: BlockPageRange }) {
  const [jump, setJump] = useState('');
  const link = (label: string, to: number | undefined, enabled: boolean) =>
    enabled ? (
      <a href={routeHref({ page: 'explorer', ...(to === undefined ? {} : { top: to }) })}>
        {label}
      </a>
    ) : (
      <span aria-disabled="true">{label}</span>
    );
  return (
    <nav aria-label="Block pages" class="pager" data-testid="block-pager">
      <span data-testid="block-range">
        Blocks #{range.top} to #{range.bottom} of {formatAmount(BigInt(height))}
      </span>
      {link('Newest', undefined, range.hasNewer)}
      {link('Newer', range.newer, range.hasNewer)}
      {link('Older', range.older, range.older !== undefined)}
      {link('Oldest', range.oldest, range.older !== undefined)}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(jump.trim());
          if (jump.trim() !== '' && Number.isSafeInteger(n) && n >= 0) {
            navigate({ page: 'explorer', top: n });
          }
        }}
      >
        <label>
          List from block
          <input
            type="number"
            min={0}
            max={Math.max(0, height - 1)}
            inputMode="numeric"
            value={jump}
            onInput={(e) => setJump(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="secondary">
          Go
        </button>
      </form>
    </nav>
  );
}
