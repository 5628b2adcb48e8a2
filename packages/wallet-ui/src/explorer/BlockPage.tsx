import { formatPolicy } from '@weft/core';
import { routeHref } from '../app/route.js';
import { useConnection } from '../network/use-connection.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { formatTime } from '../ui/format.js';
import { Hex } from '../ui/Hex.js';
import { TxLink } from '../ui/links.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { Table } from '../ui/Table.js';
import { useAsync } from '../ui/use-async.js';
import { byOrg, type ExplorerBlock, loadBlock } from './block-data.js';
import { outputsTotal } from './tx-summary.js';

export function BlockPage({ number }: { number: number }) {
  const { client, state } = useConnection();
  const height = state?.height ?? 0;
  // Reloads as the chain grows, until the block's codes are attested.
  const block = useAsync(
    async (signal) => (client ? loadBlock(client, number, signal) : undefined),
    [client, number, height > number ? Math.min(height, number + 3) : height],
  );
  const b = block.value;
  const policy = client?.chain.channel?.policies.attestation;
  const href = (n: number) => routeHref({ page: 'block', number: n });
  return (
    <section>
      <div class="title-row">
        <h1>Block #{number}</h1>
        <nav aria-label="Blocks" class="row">
          {number > 0 ? <a href={href(number - 1)}>← #{number - 1}</a> : null}
          {number + 1 < height ? <a href={href(number + 1)}>#{number + 1} →</a> : null}
        </nav>
      </div>
      <ErrorBox error={block.error} />
      {block.loading && !b ? <p aria-live="polite">Verifying block #{number}…</p> : null}
      {b ? (
        <>
          <dl class="facts" data-testid="block-header">
            <dt>Hash</dt>
            <dd>
              <code class="wrap">{b.hash}</code>
            </dd>
            <dt>Previous</dt>
            <dd>
              {number > 0 ? (
                <a href={href(number - 1)}>
                  <Hex value={b.previousHash} />
                </a>
              ) : (
                'none (genesis)'
              )}
            </dd>
            <dt>Data hash</dt>
            <dd>
              <Hex value={b.dataHash} /> <span class="ok">✓ matches the transactions</span>
            </dd>
            <dt>Time</dt>
            <dd>{formatTime(b.time)}</dd>
            <dt>Config in force</dt>
            <dd>block #{b.lastConfig}</dd>
            <dt>Orderer signatures</dt>
            <dd>
              <span class="ok">✓ verified against the channel's orderers</span>:{' '}
              {b.signers.map((s) => `${s.org} ${s.key.slice(0, 8)}…`).join(', ')}
            </dd>
            <dt>Served by</dt>
            <dd>
              <Hex value={b.node} keep={10} />
            </dd>
          </dl>
          {number > 0 ? (
            <Attestations b={b} policy={policy ? formatPolicy(policy) : undefined} />
          ) : null}
          <h2>Transactions ({b.txs.length})</h2>
          <Table
            testid="block-txs"
            columns={['#', 'Transaction', 'Kind', { num: 'Outputs' }, 'Code']}
          >
            {b.txs.map((t) => (
              <tr key={t.index}>
                <td>{t.index}</td>
                <td>{t.txid ? <TxLink id={t.txid} /> : '–'}</td>
                <td>{t.kind}</td>
                <td class="num">{outputsTotal(t.outputs) || '–'}</td>
                <td>
                  <span class={t.code === 'VALID' ? 'ok' : 'warn'}>{t.code ?? '–'}</span>
                  {number > 0 && !b.codesVerified ? <small> (node's claim)</small> : null}
                </td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
    </section>
  );
}

function Attestations({ b, policy }: { b: ExplorerBlock; policy?: string }) {
  const a = b.attestation;
  return (
    <>
      <h2>Attestations</h2>
      <p data-testid="attestation-status">
        <StatusBadge status={a.status} />{' '}
        {a.status === 'attested'
          ? `Peers satisfying the attestation policy${policy ? ` (${policy})` : ''} sign these codes.`
          : a.status === 'conflict'
            ? 'Peers attest conflicting codes: no verdict can be trusted.'
            : `Attestations seen so far do not satisfy the policy${policy ? ` (${policy})` : ''}.`}
        {a.status === 'attested' && !b.codesVerified
          ? ' The codes this node served are NOT the attested ones.'
          : ''}
      </p>
      <ul class="orgs">
        {byOrg(a.signers).map((g) => (
          <li key={g.org}>
            <strong>{g.org}</strong>: {g.keys.map((k) => `peer ${k.slice(0, 8)}…`).join(', ')}{' '}
            {a.status === 'attested' ? <span class="ok">agrees</span> : null}
          </li>
        ))}
        {a.disagreeing.map((d) => (
          <li key={`${d.signer.id}-d`} class="warn">
            <strong>{d.signer.org}</strong>: peer {d.signer.id.slice(0, 8)}… attests something else
          </li>
        ))}
      </ul>
    </>
  );
}
