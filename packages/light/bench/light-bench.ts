import { type Ed25519Backend, sha256ImplementationName, WeftError } from '@weft/core';
import { audit } from '../src/auditor/audit.js';
import type { CheckAll } from '../src/auditor/lookahead.js';
import { HeaderChain } from '../src/chain/header-chain.js';
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
   * What header sync and the auditor verify with, when not the raw backend
   * (a worker pool over it); the limit is always the raw backend's.
   */
  client?: { backend: Ed25519Backend; checkAll?: CheckAll; workers: number; vsccWorkers: number };
  /** Brackets the timed rounds with console.profile (a DevTools session then records them). */
  profile?: boolean;
  log?: (line: string) => void;
}

export interface RuntimeReport {
  runtime: string;
  backend: string;
  /** What the client verified with: the raw backend, or a pool of `workers` over it. */
  clientBackend: string;
  workers: number;
  /** Workers running the auditor's VSCC (0: on the client's thread). */
  vsccWorkers: number;
  /** The SHA-256 the client hashed with (core's noble unless the host installed another). */
  sha256: string;
  /**
   * The limit: raw verifications per second through the client's own call
   * on one thread, the faster of one at a time and concurrently (where the
   * runtime's crypto has threads of its own); median of the slices measured
   * before, between and after the workloads.
   */
  ed25519VerifyPerSec: number;
  ed25519VerifyPerSecSequential: number[];
  ed25519VerifyPerSecConcurrent: number[];
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

/** One slice of the limit: the faster of one-at-a-time and concurrent verification. */
async function limitSlice(
  set: SignatureSet,
  backend: Ed25519Backend,
  ms: number,
): Promise<{ sequential: number; concurrent: number; best: number }> {
  const sequential = await verifyRate(set, backend, 1, ms / 2);
  const concurrent = await verifyRate(set, backend, CONCURRENT_WINDOW, ms / 2);
  return { sequential, concurrent, best: Math.max(sequential, concurrent) };
}

/** One full header sync from genesis into an empty store; returns ms. */
async function syncOnce(chain: BenchChain, backend: Ed25519Backend): Promise<number> {
  const start = performance.now();
  const hc = await HeaderChain.open({
    transport: new BenchTransport(chain),
    store: new MemoryHeaderStore(),
    genesisHash: chain.net.genesisHash,
    backend,
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
  const client = o.client ?? { backend, workers: 0, vsccWorkers: 0 };

  log(`${runtime}: building ${o.headers} headers and ${o.txs} transactions`);
  const headerWork = await headerChain(o.headers, backend);
  const auditWork = await auditChainWorkload(o.txs, txPerBlock, backend);

  const set = await signatureSet(2048, backend);
  await verifyRate(set, backend, CONCURRENT_WINDOW, limitMs / 4);
  const headerSigs = await countSignatures(backend, (b) => syncOnce(headerWork, b));
  const auditSigs = await countSignatures(backend, (b) => auditOnce(auditWork, b));
  // Warm-up of the client as timed (workers' JIT and key caches).
  await syncOnce(headerWork, client.backend);
  await auditOnce(auditWork, client.backend, client.checkAll);

  // Limit and workloads alternate, so a machine whose load changes during
  // the run moves both sides of each round's ratio alike.
  const limits = [await limitSlice(set, backend, limitMs)];
  const headerRates: number[] = [];
  const auditRates: number[] = [];
  const headerRatios: number[] = [];
  const auditRatios: number[] = [];
  const sigsPerHeader = headerSigs / o.headers;
  const sigsPerTx = auditSigs / auditWork.txs;
  if (o.profile) console.profile('light-bench');
  for (let r = 0; r < rounds; r++) {
    headerRates.push((o.headers * 1000) / (await syncOnce(headerWork, client.backend)));
    limits.push(await limitSlice(set, backend, limitMs));
    auditRates.push(
      (auditWork.txs * 1000) / (await auditOnce(auditWork, client.backend, client.checkAll)),
    );
    limits.push(await limitSlice(set, backend, limitMs));
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
    clientBackend: client.backend.name,
    workers: client.workers,
    vsccWorkers: client.vsccWorkers,
    sha256: sha256ImplementationName(),
    ed25519VerifyPerSec: round(limit),
    ed25519VerifyPerSecSequential: limits.map((l) => round(l.sequential)),
    ed25519VerifyPerSecConcurrent: limits.map((l) => round(l.concurrent)),
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
