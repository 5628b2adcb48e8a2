import type { Block } from '../block/block.js';
import { toHex } from '../bytes.js';
import type { Attestation } from '../commit/attestation.js';
import { codesHash } from '../commit/commit-hash.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { WeftError } from '../errors.js';
import type { Identity } from '../identity/msp.js';
import { TxCode, txCodeName } from '../validate/codes.js';
import { attestationsAbout, judgeAttestations, verifyAttestations } from './attestations.js';
import { ChainReplay, type ChainReplayOptions } from './replay.js';
import { type AuditReport, MAX_LISTED, TotalsBuilder } from './report.js';
import { compareCodes, countCoins, unspentByLabel } from './tally.js';

/** One block as a full node serves it, with what it claims about it. */
export interface AuditInput {
  block: Block;
  /** The node's codes for the block, compared with the replay's when given. */
  codes?: readonly TxCode[];
  /** Every attestation the node holds for the block (signed, so checkable). */
  attestations: readonly Attestation[];
  /** Which full node served it, for the report. */
  node?: string;
}

export interface AuditProgress {
  /** The block just replayed. */
  block: number;
  /** Blocks replayed so far, genesis included. */
  blocks: number;
  txs: number;
  /** The height the source announced, when it did. */
  height?: number;
}

export interface AuditOptions {
  /** The trust anchor: the first input must be the genesis block with this hash. */
  genesisHash: Uint8Array;
  /** Blocks 0, 1, 2... in order. */
  blocks: AsyncIterable<AuditInput> | Iterable<AuditInput>;
  /** The height to expect (a node's claim); fewer blocks then fail with AUDIT_INCOMPLETE. */
  height?: number;
  onProgress?: (p: AuditProgress) => void;
  signal?: AbortSignal;
  backend?: Ed25519Backend;
  checkAll?: ChainReplayOptions['checkAll'];
}

/**
 * The audit could not finish: AUDIT_NO_GENESIS (an empty source),
 * AUDIT_GENESIS (the first block is not the trusted genesis),
 * AUDIT_BLOCK_REJECTED (block `block` fails verification; `reason` is the
 * check's code, e.g. BLOCK_SIGNATURES) or AUDIT_INCOMPLETE (the source ended
 * before the announced height). `report` covers the blocks replayed before.
 */
export class AuditError extends WeftError {
  constructor(
    code: string,
    message: string,
    readonly block: number,
    readonly reason: string,
    readonly report?: AuditReport,
    options?: { cause?: unknown; node?: string },
  ) {
    super(code, message, options);
    this.node = options?.node;
  }
  readonly node: string | undefined;
}

/**
 * Replays a whole channel from its genesis with core's own verification and
 * validation, recomputing every block's codes, state writes and commitHash,
 * and judges what the full node served (codes) and what every peer signed
 * (attestations) against them. Memory grows with the state (ChainReplay).
 */
export async function auditChain(o: AuditOptions): Promise<AuditReport> {
  let replay: ChainReplay | undefined;
  const totals = new TotalsBuilder();
  const report = {
    disagreements: [] as AuditReport['disagreements'],
    codeMismatches: [] as AuditReport['codeMismatches'],
    unattested: { count: 0, blocks: [] as number[] },
  };
  const build = (r: ChainReplay, failure?: AuditReport['failure']): AuditReport => ({
    version: 1,
    channel: r.channel.config.channel,
    genesisHash: toHex(o.genesisHash),
    height: totals.blocks,
    tipHash: toHex(r.tip.hash),
    commitHash: toHex(r.commitHash),
    clean: !failure && report.disagreements.length === 0 && report.codeMismatches.length === 0,
    totals: totals.finish(unspentByLabel(r.state)),
    ...report,
    ...(failure ? { failure } : {}),
  });

  for await (const input of o.blocks) {
    o.signal?.throwIfAborted();
    const { block } = input;
    const n = replay ? replay.tip.number + 1 : 0;
    let codes: readonly TxCode[];
    let current: ChainReplay;
    let early: Promise<(Identity | undefined)[]> | undefined;
    try {
      if (!replay) {
        current = replay = await ChainReplay.open(block, { ...o, expectedHash: o.genesisHash });
        codes = block.data.map(() => TxCode.VALID);
      } else {
        current = replay;
        const about = attestationsAbout(input.attestations, replay.channel.config.channel, n);
        early = verifyAttestations(about, {
          channel: replay.channel,
          at: block.header.timestamp,
          backend: o.backend,
        });
        // Awaited by the judgement below; a block that fails first must not leave it unhandled.
        early.catch(() => {});
        const r = await replay.commit(block);
        codes = r.validation.codes;
        countCoins(totals, r);
        totals.txs += codes.length;
        for (const c of codes) totals.code(txCodeName(c));
      }
    } catch (err) {
      if (!(err instanceof WeftError)) throw err;
      const failure = { block: n, code: err.code, message: err.message, node: input.node };
      const what = replay ? 'AUDIT_BLOCK_REJECTED' : 'AUDIT_GENESIS';
      throw new AuditError(
        what,
        `block ${n}: ${err.message}`,
        n,
        err.code,
        replay && build(replay, failure),
        {
          cause: err,
          node: input.node,
        },
      );
    }
    totals.blocks++;
    const mismatch = input.codes && compareCodes(n, input.codes, codes, input.node);
    if (mismatch) report.codeMismatches.push(mismatch);
    const verdict = await judgeAttestations({
      channel: current.channel,
      expected: {
        channel: current.channel.config.channel,
        number: n,
        blockHash: current.tip.hash,
        codesHash: codesHash(codes),
        commitHash: current.commitHash,
      },
      attestations: input.attestations,
      at: block.header.timestamp,
      backend: o.backend,
      verified: early,
    });
    report.disagreements.push(...verdict.disagreements);
    // Genesis is trusted by its hash; peers need not attest it.
    if (n > 0 && !verdict.satisfied) {
      report.unattested.count++;
      if (report.unattested.blocks.length < MAX_LISTED) report.unattested.blocks.push(n);
    }
    o.onProgress?.({ block: n, blocks: totals.blocks, txs: totals.txs, height: o.height });
  }
  if (!replay)
    throw new AuditError('AUDIT_NO_GENESIS', 'the source served no block', 0, 'AUDIT_NO_GENESIS');
  if (o.height !== undefined && totals.blocks < o.height) {
    const message = `the source ended at ${totals.blocks} of ${o.height} blocks`;
    const failure = { block: totals.blocks, code: 'AUDIT_INCOMPLETE', message };
    throw new AuditError(
      'AUDIT_INCOMPLETE',
      message,
      totals.blocks,
      'AUDIT_INCOMPLETE',
      build(replay, failure),
    );
  }
  return build(replay);
}
