import {
  AuditError,
  type AuditInput,
  type AuditProgress,
  type AuditReport,
  auditChain,
  type Ed25519Backend,
  prefetchInOrder,
} from '@weft/core';
import { VerificationError } from '../errors.js';
import type { LightTransport } from '../transport/transport.js';
import { type CheckAll, VsccLookahead } from './lookahead.js';

export interface LightAuditOptions {
  /** Full nodes to download from; none of them is trusted. */
  transport: LightTransport;
  /** The trust anchor, given out of band. */
  genesisHash: Uint8Array;
  signal?: AbortSignal;
  onProgress?: (p: AuditProgress) => void;
  backend?: Ed25519Backend;
  /** Blocks downloaded ahead of the one replaying, hiding the network's latency. Default 4. */
  prefetch?: number;
  /** Runs the stateless VSCC half of a block (e.g. on a worker pool); default inline. */
  checkAll?: CheckAll;
}

/**
 * The full-chain auditor of a browser or CLI: downloads every block of the
 * channel (with the node's codes and every stored attestation) up to the
 * height a node announces, and replays it with @weft/core's auditChain.
 *
 * A node that serves a block failing verification is blamed on the
 * transport and the audit starts again, so a transport with another node
 * asks that one instead; after as many attempts as there are nodes the
 * AuditError stands. A node that serves wrong codes is blamed too, and the
 * report names it. Memory: the replayed state is held in memory (core's
 * ChainReplay), plus at most `prefetch` blocks in flight.
 */
export async function audit(o: LightAuditOptions): Promise<AuditReport> {
  const attempts = Math.max(1, o.transport.nodes().length);
  for (let attempt = 1; ; attempt++) {
    try {
      const report = await auditOnce(o);
      for (const m of report.codeMismatches) {
        if (m.node === undefined) continue;
        const why = `served codes for block ${m.block} that the replay does not reach`;
        o.transport.blame(m.node, new VerificationError('LIGHT_WRONG_CODES', m.node, why));
      }
      return report;
    } catch (err) {
      if (!(err instanceof AuditError) || err.node === undefined) throw err;
      if (err.code !== 'AUDIT_BLOCK_REJECTED' && err.code !== 'AUDIT_GENESIS') throw err;
      const blamed = new VerificationError('LIGHT_BAD_BLOCK', err.node, err.message, {
        reason: err.reason,
        cause: err,
      });
      o.transport.blame(err.node, blamed);
      if (attempt >= attempts) throw err;
    }
  }
}

async function auditOnce(o: LightAuditOptions): Promise<AuditReport> {
  const call = { signal: o.signal };
  const { value: info } = await o.transport.info(call);
  const lookahead = new VsccLookahead(o.checkAll);
  return auditChain({
    genesisHash: o.genesisHash,
    height: info.height,
    blocks: download(o.transport, info.height, o.prefetch ?? 4, o.signal, lookahead),
    onProgress: o.onProgress,
    signal: o.signal,
    backend: o.backend,
    checkAll: lookahead.checkAll,
  });
}

/** Blocks 0..height-1 in order, each fetched with its attestations, `depth` in flight. */
async function* download(
  transport: LightTransport,
  height: number,
  depth: number,
  signal: AbortSignal | undefined,
  lookahead: VsccLookahead,
): AsyncGenerator<AuditInput> {
  const fetchOne = async (n: number): Promise<AuditInput> => {
    const [served, attestations] = await Promise.all([
      transport.block(n, { signal }),
      transport.attestations(n, { signal }),
    ]);
    const { block, codes } = served.value;
    lookahead.arrived(block);
    return { block, codes, attestations: attestations.value, node: served.node };
  };
  yield* prefetchInOrder(height, depth, fetchOne);
}
