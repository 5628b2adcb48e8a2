import { type Ed25519Backend, sha256ImplementationName, WeftError } from '@weft/core';
import { audit } from '../src/auditor/audit.js';
import type { CheckAll } from '../src/auditor/lookahead.js';
import { HeaderChain } from '../src/chain/header-chain.js';
import type { HeaderVerifier } from '../src/chain/header-pool.js';
import { BenchTransport, MemoryHeaderStore } from './bench-transport.js';
import {
  countingBackend,
  median,
  round,
  type SignatureSet,
  signatureSet,
  verifyRate,
} from './measure.js';
import { auditChainWorkload, type BenchChain, headerChain } from './workload.js';

/**
 * `pnpm bench:light` for one runtime, isomorphic so Node and Chromium run
 * the same code: header sync and auditor replay, each beside the raw
 * Ed25519 rate measured in the same run through the same call (the limit).
 */

export const TARGETS = { headerEfficiency: 0.8, auditEfficiency: 0.7 } as const;

export interface LightBenchOptions {
  headers: number;
  txs: number;
  /** Transactions per block of the audited chain. */
  txPerBlock?: number;
  /** Timed repetitions of each workload; the median is reported. */
  rounds?: number;
  /** Milliseconds of each limit measurement. */
  limitMs?: number;
  /**
   * Workers the client verifies on (header pool, VSCC pool), each pool
   * with its workers' raw rate, which the limit then includes: a client on
   * workers is held to what those same workers verify raw.
   */
  client?: {
    verifyHeader?: HeaderVerifier;
    checkAll?: CheckAll;
    /** Raw verifications/s of each pool's workers all at once, one number per pool. */
    workerRates?: (ms: number) => Promise<number[]>;
    workers: number;
    vsccWorkers: number;
  };
  /** Brackets the timed rounds with console.profile (a DevTools session then records them). */
  profile?: boolean;
  log?: (line: string) => void;
}

export interface RuntimeReport {
  runtime: string;
  backend: string;
  /** What the client verified with: the backend on this thread, or `-workers` when on workers too. */
  clientBackend: string;
  /** Workers verifying headers (0: on the client's thread). */
  workers: number;
  /** Workers running the auditor's VSCC (0: on the client's thread). */
  vsccWorkers: number;
  /** The SHA-256 the client hashed with (core's noble unless the host installed another). */
  sha256: string;
  /**
   * The limit: raw verifications per second through the client's own call,
   * the fastest of: one thread one at a time, one thread concurrently
   * (where the runtime's crypto has threads of its own), and each of the
   * client's worker pools with all its workers verifying at once; median
   * of the slices measured before, between and after the workloads.
   */
  ed25519VerifyPerSec: number;
  ed25519VerifyPerSecSequential: number[];
  ed25519VerifyPerSecConcurrent: number[];
  /** Per slice, the fastest of the client's worker pools raw (empty without workers). */
  ed25519VerifyPerSecWorkers: number[];
  headers: number;
  headersPerSec: number;
  headersPerSecRounds: number[];
  /** Each round's rate over the limit measured around it (the spread of the ratio). */
  headerEfficiencyRounds: number[];
  headerSigsPerHeader: number;
  headerLimit: number;
  headerEfficiency: number;
  headerTargetMet: boolean;
  txs: number;
  blocks: number;
  txPerBlock: number;
  auditTxPerSec: number;
  auditTxPerSecRounds: number[];
  auditEfficiencyRounds: number[];
  sigsPerTx: number;
  auditLimitTxPerSec: number;
  auditEfficiency: number;
  auditTargetMet: boolean;
}

/** Verifications in flight when measuring the concurrent rate. */
const CONCURRENT_WINDOW = 64;

interface LimitSlice {
  sequential: number;
  concurrent: number;
  /** The fastest worker pool, 0 without workers. */
  workers: number;
  best: number;
}

/** One slice of the limit: the fastest of one-at-a-time, concurrent, and the client's workers. */
async function limitSlice(
  set: SignatureSet,
  backend: Ed25519Backend,
  ms: number,
  workerRates?: (ms: number) => Promise<number[]>,
): Promise<LimitSlice> {
  const sequential = await verifyRate(set, backend, 1, ms / 2);
  const concurrent = await verifyRate(set, backend, CONCURRENT_WINDOW, ms / 2);
  const workers = Math.max(0, ...((await workerRates?.(ms)) ?? []));
  return { sequential, concurrent, workers, best: Math.max(sequential, concurrent, workers) };
}

/** One full header sync from genesis into an empty store; returns ms. */
async function syncOnce(
  chain: BenchChain,
  backend: Ed25519Backend,
  verifyHeader?: HeaderVerifier,
): Promise<number> {
  const start = performance.now();
  const hc = await HeaderChain.open({
    transport: new BenchTransport(chain),
    store: new MemoryHeaderStore(),
    genesisHash: chain.net.genesisHash,
    backend,
    verifyHeader,
  });
  const tip = await hc.sync();
  const ms = performance.now() - start;
  if (tip.number !== chain.headers.length - 1)
    throw new WeftError(
      'BENCH_SHORT_SYNC',
      `synced to ${tip.number} of ${chain.headers.length - 1}`,
    );
  return ms;
}

/** One audit of the whole chain; returns ms. */
async function auditOnce(
  chain: BenchChain,
  backend: Ed25519Backend,
  checkAll?: CheckAll,
): Promise<number> {
  const start = performance.now();
  const report = await audit({
    transport: new BenchTransport(chain),
    genesisHash: chain.net.genesisHash,
    backend,
    checkAll,
  });
  const ms = performance.now() - start;
  if (!report.clean || report.totals.txs !== chain.txs || report.totals.invalid !== 0)
    throw new WeftError(
      'BENCH_AUDIT',
      `the bench chain did not audit clean: ${JSON.stringify(report.totals)}`,
    );
  return ms;
}

/** Signatures one run verifies, counted on a warm-up run (which also warms caches and JIT). */
async function countSignatures(
  backend: Ed25519Backend,
  once: (b: Ed25519Backend) => Promise<number>,
): Promise<number> {
  const counting = countingBackend(backend);
  await once(counting.backend);
  return counting.count();
}

export async function runLightBench(
  runtime: string,
  backend: Ed25519Backend,
  o: LightBenchOptions,
): Promise<RuntimeReport> {
  const log = o.log ?? (() => {});
  const rounds = o.rounds ?? 3;
  const limitMs = o.limitMs ?? 1500;
  const txPerBlock = o.txPerBlock ?? 100;
  const client = o.client ?? { workers: 0, vsccWorkers: 0 };
  const slice = () => limitSlice(set, backend, limitMs, client.workerRates);

  log(`${runtime}: building ${o.headers} headers and ${o.txs} transactions`);
  const headerWork = await headerChain(o.headers, backend);
  const auditWork = await auditChainWorkload(o.txs, txPerBlock, backend);

  const set = await signatureSet(2048, backend);
  await verifyRate(set, backend, CONCURRENT_WINDOW, limitMs / 4);
  const headerSigs = await countSignatures(backend, (b) => syncOnce(headerWork, b));
  const auditSigs = await countSignatures(backend, (b) => auditOnce(auditWork, b));
  // Warm-up of the client as timed (workers' JIT and key caches).
  await syncOnce(headerWork, backend, client.verifyHeader);
  await auditOnce(auditWork, backend, client.checkAll);

  // Limit and workloads alternate, so a machine whose load changes during
  // the run moves both sides of each round's ratio alike.
  const limits = [await slice()];
  const headerRates: number[] = [];
  const auditRates: number[] = [];
  const headerRatios: number[] = [];
  const auditRatios: number[] = [];
  const sigsPerHeader = headerSigs / o.headers;
  const sigsPerTx = auditSigs / auditWork.txs;
  if (o.profile) console.profile('light-bench');
  for (let r = 0; r < rounds; r++) {
    headerRates.push(
      (o.headers * 1000) / (await syncOnce(headerWork, backend, client.verifyHeader)),
    );
    limits.push(await slice());
    auditRates.push(
      (auditWork.txs * 1000) / (await auditOnce(auditWork, backend, client.checkAll)),
    );
    limits.push(await slice());
    const around = (i: number) => (limits[i]!.best + limits[i + 1]!.best) / 2;
    headerRatios.push(headerRates[r]! / (around(2 * r) / sigsPerHeader));
    auditRatios.push(auditRates[r]! / (around(2 * r + 1) / sigsPerTx));
    log(
      `${runtime} round ${r + 1}: verify ${round(limits[2 * r]!.best)}/s, headers ${round(headerRates[r]!)}/s (${round(headerRatios[r]!, 3)}), audit ${round(auditRates[r]!)} tx/s (${round(auditRatios[r]!, 3)})`,
    );
  }

  if (o.profile) console.profileEnd('light-bench');
  const limit = median(limits.map((l) => l.best));
  const headersPerSec = median(headerRates);
  const headerLimit = limit / sigsPerHeader;
  const auditTxPerSec = median(auditRates);
  const auditLimit = limit / sigsPerTx;
  return {
    runtime,
    backend: backend.name,
    clientBackend:
      client.workers + client.vsccWorkers > 0 ? `${backend.name}-workers` : backend.name,
    workers: client.workers,
    vsccWorkers: client.vsccWorkers,
    sha256: sha256ImplementationName(),
    ed25519VerifyPerSec: round(limit),
    ed25519VerifyPerSecSequential: limits.map((l) => round(l.sequential)),
    ed25519VerifyPerSecConcurrent: limits.map((l) => round(l.concurrent)),
    ed25519VerifyPerSecWorkers:
      client.workers + client.vsccWorkers > 0 ? limits.map((l) => round(l.workers)) : [],
    headers: o.headers,
    headersPerSec: round(headersPerSec),
    headersPerSecRounds: headerRates.map((r) => round(r)),
    headerEfficiencyRounds: headerRatios.map((r) => round(r, 3)),
    headerSigsPerHeader: round(sigsPerHeader, 3),
    headerLimit: round(headerLimit),
    headerEfficiency: round(headersPerSec / headerLimit, 3),
    headerTargetMet: headersPerSec / headerLimit >= TARGETS.headerEfficiency,
    txs: auditWork.txs,
    blocks: auditWork.blocks.length,
    txPerBlock,
    auditTxPerSec: round(auditTxPerSec),
    auditTxPerSecRounds: auditRates.map((r) => round(r)),
    auditEfficiencyRounds: auditRatios.map((r) => round(r, 3)),
    sigsPerTx: round(sigsPerTx, 3),
    auditLimitTxPerSec: round(auditLimit),
    auditEfficiency: round(auditTxPerSec / auditLimit, 3),
    auditTargetMet: auditTxPerSec / auditLimit >= TARGETS.auditEfficiency,
  };
}
