import { useServices } from '../app/services.js';
import { useConnection } from '../network/use-connection.js';
import { useObservable } from '../state/observable.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { formatDuration, formatRate } from '../ui/format.js';
import { AuditReportView } from './AuditReportView.js';
import { auditRates } from './audit-rates.js';
import { TxChart } from './TxChart.js';

/** The full-chain auditor, run in this page: nothing a node says is taken on trust. */
export function AuditPage() {
  const { audit } = useServices();
  const { client } = useConnection();
  const s = useObservable(audit.state);
  const running = s.phase === 'running';
  const rates = auditRates({
    blocks: s.blocks,
    txs: s.txs,
    height: s.height,
    elapsedMs: s.elapsedMs,
  });
  return (
    <section>
      <h1>Auditor</h1>
      <p>
        Downloads every block of the channel from the full nodes and replays it here with the
        protocol's own validation, from the genesis hash: codes, state and commit hash are
        recomputed and compared with what every peer signed. Any peer that disagrees is named.
      </p>
      <div class="row">
        <button
          type="button"
          disabled={running || !client}
          onClick={() => client && void audit.start(client)}
        >
          {s.phase === 'idle' ? 'Audit the chain' : 'Audit again'}
        </button>
        {running ? (
          <button type="button" class="secondary" onClick={() => audit.cancel()}>
            Stop
          </button>
        ) : null}
      </div>
      {!client ? <p>Connect to a network first.</p> : null}
      {s.phase !== 'idle' ? (
        <div class="progress" aria-live="polite" data-testid="audit-progress" data-phase={s.phase}>
          <label for="audit-bar">
            {s.blocks.toLocaleString('en-US')} of {s.height?.toLocaleString('en-US') ?? '?'} blocks
            replayed
          </label>
          <progress id="audit-bar" max={1} value={rates.fraction} />
          <p class="rates">
            {formatRate(rates.blocksPerSecond)} blocks/s · {formatRate(rates.txsPerSecond)} tx/s ·{' '}
            {running ? `about ${formatDuration(rates.etaSeconds ?? Number.NaN)} left` : s.phase}
          </p>
        </div>
      ) : null}
      {s.perBlock.length > 0 ? <TxChart perBlock={s.perBlock} /> : null}
      <ErrorBox error={s.error} title="The audit stopped." />
      {s.report ? <AuditReportView report={s.report} /> : null}
    </section>
  );
}
