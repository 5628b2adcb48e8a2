import { AuditError, type AuditProgress, type AuditReport, webCryptoEd25519 } from '@weft/core';
import { audit } from '@weft/light';
import type { LightClient } from '../network/light-client.js';
import { Observable } from '../state/observable.js';
import { describeError, type ShownError } from '../ui/errors.js';

export type AuditPhase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface AuditState {
  phase: AuditPhase;
  /** When the last progress was published (ms, performance clock). */
  elapsedMs: number;
  /** The height the node announced. */
  height?: number;
  blocks: number;
  txs: number;
  /** Transactions per block, by block number (grows as blocks are replayed). */
  perBlock: readonly number[];
  report?: AuditReport;
  error?: ShownError;
}

const IDLE: AuditState = { phase: 'idle', elapsedMs: 0, blocks: 0, txs: 0, perBlock: [] };
/** Progress reaches the views at most this often; the replay reports every block. */
const PUBLISH_MS = 200;

/**
 * Runs @weft/light's full-chain auditor in the page over the connected
 * network's full nodes (none of them trusted: every block is verified from
 * the genesis hash and replayed), publishing throughput and the
 * transactions of every block for the progress bar and the chart. The
 * per-transaction checks (signatures, certificates) run on the client's
 * verify workers; the page keeps what needs the state.
 */
export class AuditService {
  readonly state = new Observable<AuditState>(IDLE);
  #abort: AbortController | undefined;

  async start(client: LightClient): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.#abort = abort;
    const started = performance.now();
    const perBlock: number[] = [];
    let last: AuditProgress | undefined;
    let publishedAt = 0;
    const publish = () => {
      publishedAt = performance.now();
      this.state.set({
        ...this.state.value,
        elapsedMs: publishedAt - started,
        height: last?.height,
        blocks: last?.blocks ?? 0,
        txs: last?.txs ?? 0,
        perBlock: perBlock.slice(),
      });
    };
    this.state.set({ ...IDLE, phase: 'running' });
    const onProgress = (p: AuditProgress) => {
      perBlock[p.block] = p.txs - (last?.txs ?? 0);
      last = p;
      if (performance.now() - publishedAt >= PUBLISH_MS) publish();
    };
    try {
      const report = await audit({
        transport: client.transport,
        genesisHash: client.genesisHash,
        backend: await webCryptoEd25519(),
        ...(client.workers.size > 0 ? { checkAll: client.workers.checkAll } : {}),
        signal: abort.signal,
        onProgress,
      });
      publish();
      this.state.update((s) => ({ ...s, phase: 'done', report }));
    } catch (err) {
      publish();
      if (abort.signal.aborted) {
        this.state.update((s) => ({ ...s, phase: 'cancelled' }));
        return;
      }
      const report = err instanceof AuditError ? err.report : undefined;
      this.state.update((s) => ({ ...s, phase: 'failed', error: describeError(err), report }));
    } finally {
      if (this.#abort === abort) this.#abort = undefined;
    }
  }

  cancel(): void {
    this.#abort?.abort();
    this.#abort = undefined;
  }
}
