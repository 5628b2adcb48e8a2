import { useServices } from '../app/services.js';
import { useObservable } from '../state/observable.js';
import { formatAmount, formatTime } from '../ui/format.js';
import { BlockLink, TxLink } from '../ui/links.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { Table } from '../ui/Table.js';
import { historyRows } from './history-rows.js';

/** Payments made and coins held, each with its verification status and block. */
export function HistoryList() {
  const { wallet } = useServices();
  const open = useObservable(wallet.state).open!;
  const rows = historyRows(open.journal, open.coins ?? []);
  return (
    <>
      <h2>History</h2>
      {rows.length === 0 ? <p>Nothing yet.</p> : null}
      {rows.length > 0 ? (
        <Table
          testid="history"
          columns={[' ', { num: 'Amount' }, 'Status', 'Block', 'Transaction']}
        >
          {rows.map((r) => (
            <tr key={`${r.kind}-${r.txid}-${r.amount}`} data-kind={r.kind} data-status={r.status}>
              <td>
                {r.kind === 'sent' ? 'Sent' : 'Received'}
                {r.time ? <small class="block">{formatTime(r.time)}</small> : null}
              </td>
              <td class="num">
                {r.kind === 'sent' ? '−' : '+'}
                {formatAmount(r.amount)} {r.label}
              </td>
              <td>
                <StatusBadge status={r.status} />
                {r.reason ? <small class="block">{r.reason}</small> : null}
              </td>
              <td>
                <BlockLink n={r.block} />
              </td>
              <td>
                <TxLink id={r.txid} />
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      <p class="hint">
        Received coins are listed while unspent; a coin you spent shows through the payment that
        spent it.
      </p>
    </>
  );
}
