import { useConnection } from '../network/use-connection.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { formatAmount } from '../ui/format.js';
import { Hex } from '../ui/Hex.js';
import { BlockLink, TxLink } from '../ui/links.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { useAsync } from '../ui/use-async.js';
import { loadTx } from './tx-data.js';

export function TxPage({ txid }: { txid: string }) {
  const { client, state } = useConnection();
  const height = state?.height ?? 0;
  // Checked again as blocks are verified, until the verdict is final.
  const tx = useAsync(
    async (signal) => (client ? loadTx(client, txid, signal) : undefined),
    [client, txid, height],
  );
  const t = tx.value;
  const v = t?.verdict;
  const block = v && 'block' in v ? v.block : undefined;
  return (
    <section>
      <h1>Transaction</h1>
      <p>
        <code class="wrap">{txid}</code>
      </p>
      <ErrorBox error={tx.error} />
      {tx.loading && !t ? <p aria-live="polite">Verifying…</p> : null}
      {t && v ? (
        <>
          <dl class="facts" data-testid="tx-facts">
            <dt>Status</dt>
            <dd data-testid="tx-status" data-status={v.status}>
              <StatusBadge status={v.status} />{' '}
              {t.code ? <span class={t.code === 'VALID' ? 'ok' : 'warn'}>{t.code}</span> : null}
              {v.status === 'unverifiable' ? <span class="warn"> {v.message}</span> : null}
            </dd>
            <dt>Block</dt>
            <dd>{block !== undefined ? <BlockLink n={block} /> : 'not in a verified block yet'}</dd>
            {t.proof && v.status !== 'pending' ? (
              <>
                <dt>Inclusion proof</dt>
                <dd>
                  {v.status === 'unverifiable' ? (
                    <span class="warn">does not check out</span>
                  ) : (
                    <span class="ok">✓ verified</span>
                  )}
                  : position {t.proof.index} of {t.proof.treeSize}, a path of {t.proof.length} hash
                  {t.proof.length === 1 ? '' : 'es'} to the block's data hash (RFC 6962)
                </dd>
              </>
            ) : null}
            {t.attesters.length > 0 ? (
              <>
                <dt>Attested by</dt>
                <dd>
                  {t.attesters
                    .map((g) => `${g.org} (${g.keys.length} peer${g.keys.length === 1 ? '' : 's'})`)
                    .join(', ')}
                </dd>
              </>
            ) : null}
            {t.summary ? (
              <>
                <dt>Kind</dt>
                <dd>{t.summary.kind}</dd>
                <dt>Creator</dt>
                <dd>{t.summary.creator}</dd>
              </>
            ) : null}
          </dl>
          {t.summary ? (
            <div class="two-col">
              <div>
                <h2>Inputs</h2>
                <ul class="plain" data-testid="tx-inputs">
                  {t.summary.inputs.map((i) =>
                    t.summary!.kind === 'spend' ? (
                      <li key={i}>
                        coin <TxLink id={i} />
                      </li>
                    ) : (
                      <li key={i}>minted by {i}</li>
                    ),
                  )}
                </ul>
              </div>
              <div>
                <h2>Outputs</h2>
                <ul class="plain" data-testid="tx-outputs">
                  {t.summary.outputs.map((o, j) => (
                    <li key={j}>
                      <strong>
                        {formatAmount(o.amount)} {o.label}
                      </strong>{' '}
                      to <Hex value={o.owner} />{' '}
                      <small>
                        (coin {txid.slice(0, 8)}….{j})
                      </small>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
