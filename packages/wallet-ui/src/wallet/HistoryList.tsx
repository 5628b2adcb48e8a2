import { toHex } from '@weft/core';
import {
  type HistoryEntry,
  historyEntries,
  MAX_RECEIPTS,
  MAX_SPEND_HISTORY,
  type ReceivedEntry,
  type SentEntry,
} from '@weft/light';
import { useServices } from '../app/services.js';
import { useObservable } from '../state/observable.js';
import { formatAmount, formatTime } from '../ui/format.js';
import { Hex } from '../ui/Hex.js';
import { BlockLink, TxLink } from '../ui/links.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { Table } from '../ui/Table.js';
import { reasonInWords } from '../ui/tx-codes.js';

/** Every payment made and every coin received, each with its verification status and block. */
export function HistoryList() {
  const { wallet } = useServices();
  const open = useObservable(wallet.state).open!;
  return (
    <>
      <h2>History</h2>
      <HistoryTable entries={historyEntries(open.journal)} />
      <p class="hint">
        Kept in this wallet's encrypted vault as the wallet verifies them, so a coin stays listed
        after it is spent (the latest {MAX_SPEND_HISTORY} payments and {MAX_RECEIPTS} received
        coins). A wallet restored from its words starts with the coins it still holds.
      </p>
    </>
  );
}

export function HistoryTable({ entries }: { entries: readonly HistoryEntry[] }) {
  if (entries.length === 0) return <p>Nothing sent or received yet.</p>;
  return (
    <Table testid="history" columns={[' ', { num: 'Amount' }, 'Status', 'Block', 'Transaction']}>
      {entries.map((e) => {
        const id = e.kind === 'sent' ? toHex(e.txid) : e.coin;
        return (
          <tr key={`${e.kind}-${id}`} data-kind={e.kind} data-status={e.status}>
            <td>{e.kind === 'sent' ? <SentWhat e={e} /> : <ReceivedWhat e={e} />}</td>
            <td class="num">
              {e.kind === 'sent' ? '−' : '+'}
              {formatAmount(e.amount)} {e.label}
            </td>
            <td>
              <StatusBadge status={e.status} />
              {e.reason ? (
                <small class="block reason" title={e.reason}>
                  {reasonInWords(e.reason)}
                </small>
              ) : null}
            </td>
            <td>
              <BlockLink n={e.block} />
            </td>
            <td>
              <TxLink id={id} />
            </td>
          </tr>
        );
      })}
    </Table>
  );
}

function SentWhat({ e }: { e: SentEntry }) {
  return (
    <>
      Sent to <Hex value={toHex(e.to)} />
      {e.change > 0n ? (
        <small class="block">
          change {formatAmount(e.change)} {e.label} back to this wallet
        </small>
      ) : null}
      <small class="block">{formatTime(e.time)}</small>
    </>
  );
}

function ReceivedWhat({ e }: { e: ReceivedEntry }) {
  return (
    <>
      {e.source === 'change' ? (
        <>
          Change of your payment made elsewhere
          <small class="block">another copy of this wallet, or before a restore</small>
        </>
      ) : (
        <>
          {e.source === 'mint' ? 'Minted by' : 'Received from'} {e.fromOrg}{' '}
          <Hex value={toHex(e.from)} />
        </>
      )}
      {e.spentIn ? (
        <small class="block">
          spent in <TxLink id={toHex(e.spentIn)} />
        </small>
      ) : null}
      <small class="block">first seen {formatTime(e.time)}</small>
    </>
  );
}
