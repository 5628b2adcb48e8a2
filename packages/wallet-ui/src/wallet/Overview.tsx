import { useServices } from '../app/services.js';
import { useConnection } from '../network/use-connection.js';
import { useObservable } from '../state/observable.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { formatAmount } from '../ui/format.js';
import { BlockLink, TxLink } from '../ui/links.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { Table } from '../ui/Table.js';
import { FaucetButton } from './FaucetButton.js';

/** Balances per label, by what could be verified, and the coins behind them. */
export function Overview() {
  const { wallet } = useServices();
  const { client } = useConnection();
  const open = useObservable(wallet.state).open!;
  const labels = Object.entries(open.balances ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <div class="title-row">
        <h2>Balances</h2>
        <button
          type="button"
          class="secondary small"
          onClick={() => void wallet.refresh()}
          disabled={open.refreshing}
        >
          {open.refreshing ? 'Verifying…' : 'Refresh'}
        </button>
      </div>
      <p class="hint" aria-live="polite">
        {open.refreshedHeight !== undefined
          ? `Verified against ${open.refreshedHeight.toLocaleString('en-US')} verified blocks.`
          : 'Checking coins against the verified chain…'}
        {open.complete === false ? ' A node cut its listing short: there may be more coins.' : ''}
      </p>
      <ErrorBox error={open.error} title="Could not verify the balances." />
      {labels.length === 0 && open.balances ? (
        <p>No coins yet. Share your owner key from Receive.</p>
      ) : null}
      {labels.length > 0 ? (
        <Table
          class="balances"
          testid="balances"
          columns={[
            'Label',
            { num: 'Spendable' },
            { num: 'Awaiting attestation' },
            { num: 'In payments awaiting verdict' },
            { num: 'Unverifiable' },
          ]}
        >
          {labels.map(([label, b]) => (
            <tr key={label} data-label={label}>
              <th scope="row">{label}</th>
              <td class="num strong" data-testid={`spendable-${label}`}>
                {formatAmount(b.spendable)}
              </td>
              <td class="num">{formatAmount(b.pending)}</td>
              <td class="num">{formatAmount(b.locked)}</td>
              <td class="num">{formatAmount(b.unverifiable)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {client?.config.faucet ? <FaucetButton /> : null}
      <p>
        Enrollment:{' '}
        {open.enrollment ? (
          `${open.enrollment.org} client until ${new Date(open.enrollment.notAfter).toLocaleDateString()}`
        ) : (
          <>
            not enrolled (needed to send). <a href="#/wallet/enroll">Enroll</a>
          </>
        )}
      </p>
      {open.coins && open.coins.length > 0 ? (
        <>
          <h2>Coins</h2>
          <Table testid="coins" columns={['Coin', { num: 'Amount' }, 'Status', 'Block']}>
            {open.coins.map((c) => (
              <tr key={c.key}>
                <td>
                  <TxLink id={c.key} />
                </td>
                <td class="num">
                  {formatAmount(c.amount)} {c.label}
                </td>
                <td>
                  <StatusBadge status={c.status} />
                  {c.locked ? ' (in a payment)' : ''}
                </td>
                <td>
                  <BlockLink n={c.block} />
                </td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
    </>
  );
}
