import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { nobleEd25519, WeftError, webCryptoEd25519 } from '@weft/core';
import type { BrowserBenchOptions } from './browser-entry.js';
import { runChromiumLightBench } from './chromium.js';
import { type RuntimeReport, runLightBench, TARGETS } from './light-bench.js';
import { nodeWorkerPools } from './node-pool.js';
import { installNodeSha256 } from './node-sha.js';

// `pnpm bench:light [--headers N] [--txs N] [--runtime node|chromium|both] [--json]`:
// header sync and auditor replay rates in Node and in Chromium, each beside
// the raw Ed25519 rate of the same run and runtime. Prints one JSON object
// (with --json, nothing else on stdout; progress goes to stderr).

const { values } = parseArgs({
  options: {
    headers: { type: 'string', default: '5000' },
    txs: { type: 'string', default: '2000' },
    'tx-per-block': { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    'limit-ms': { type: 'string', default: '1500' },
    runtime: { type: 'string', default: 'both' },
    backend: { type: 'string', default: 'webcrypto' },
    workers: { type: 'string', default: 'auto' },
    'vscc-workers': { type: 'string', default: 'auto' },
    json: { type: 'boolean', default: false },
    'chromium-profile': { type: 'string' },
  },
  strict: true,
});

function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new WeftError('BENCH_USAGE', `--${name} must be a positive integer`);
  return n;
}

/** A worker count, or undefined for the runtime's choice ('auto'). */
function count(name: string, text: string | undefined): number | undefined {
  if (text === 'auto') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new WeftError('BENCH_USAGE', `--${name} must be 0 or more`);
  return n;
}

const runtime = values.runtime;
if (runtime !== 'node' && runtime !== 'chromium' && runtime !== 'both')
  throw new WeftError('BENCH_USAGE', '--runtime must be node, chromium or both');
if (values.backend !== 'webcrypto' && values.backend !== 'noble')
  throw new WeftError('BENCH_USAGE', '--backend must be webcrypto or noble');

const options: BrowserBenchOptions = {
  headers: positive('headers', values.headers),
  txs: positive('txs', values.txs),
  txPerBlock: positive('tx-per-block', values['tx-per-block']),
  rounds: positive('rounds', values.rounds),
  limitMs: positive('limit-ms', values['limit-ms']),
  workers: count('workers', values.workers),
  vsccWorkers: count('vscc-workers', values['vscc-workers']),
  backend: values.backend,
};
const log = (line: string) => process.stderr.write(`${line}\n`);

async function nodeReport(): Promise<RuntimeReport & { cores: number }> {
  installNodeSha256();
  const backend = options.backend === 'noble' ? nobleEd25519 : await webCryptoEd25519();
  if (!backend) throw new WeftError('BENCH_NO_BACKEND', 'this Node has no WebCrypto Ed25519');
  // Node's WebCrypto already verifies on libuv's threads, which the limit uses too; and
  // the workers verify with WebCrypto, so with noble chosen everything stays on this thread.
  const webcrypto = backend.name === 'webcrypto';
  const workers = webcrypto ? (options.workers ?? 0) : 0;
  const vsccWorkers = webcrypto ? (options.vsccWorkers ?? 0) : 0;
  const pools = workers + vsccWorkers > 0 ? await nodeWorkerPools(workers, vsccWorkers) : undefined;
  try {
    const report = await runLightBench(`node ${process.version}`, backend, {
      ...options,
      client: pools && { ...pools, workers, vsccWorkers },
      log,
    });
    return { ...report, cores: cpus().length };
  } finally {
    pools?.close();
  }
}

const out: Record<string, unknown> = {
  bench: 'light',
  options,
  targets: TARGETS,
};
if (runtime !== 'chromium') out.node = await nodeReport();
if (runtime !== 'node')
  out.chromium = await runChromiumLightBench({
    ...options,
    log,
    profilePath: values['chromium-profile'],
  });
const reports = [out.node, out.chromium].filter(Boolean) as RuntimeReport[];
out.targetsMet = reports.every((r) => r.headerTargetMet && r.auditTargetMet);

if (values.json) {
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} else {
  for (const r of reports) {
    log(
      `${r.runtime} (${r.backend}): verify ${r.ed25519VerifyPerSec}/s; headers ${r.headersPerSec}/s = ${r.headerEfficiency} of the limit; audit ${r.auditTxPerSec} tx/s at ${r.sigsPerTx} sigs/tx = ${r.auditEfficiency} of the limit`,
    );
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
