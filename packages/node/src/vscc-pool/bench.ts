import os from 'node:os';
import { parseArgs } from 'node:util';
import { validateBlock } from '@weft/core';
import { benchValidate, spendBlockFixture } from '@weft/core/bench';
import { cpuSplitPerUnit, threadCpuMs } from '../bench/thread-cpu.js';
import { installNativeCrypto } from '../crypto/install.js';
import { nativeEd25519 } from '../crypto/native-ed25519.js';
import { VsccPool } from './pool.js';

// node --import tsx packages/node/src/vscc-pool/bench.ts [--txs 2000] [--ms 5000] [--depth 2]
// validateBlock over one block of one-in/one-out spends (3 signatures each):
// inline on one thread vs VSCC on the pool, and the pool's raw native
// Ed25519 capacity, all in one run. efficiency = txPerSec / (verifyPerSec / 3).
// JSON on stdout, progress on stderr.
const { values } = parseArgs({
  options: {
    txs: { type: 'string', default: '2000' },
    ms: { type: 'string', default: '5000' },
    depth: { type: 'string', default: '2' },
    size: { type: 'string' },
  },
});
const txs = Number(values.txs);
const ms = Number(values.ms);
const depth = Number(values.depth);
const log = (line: string) => process.stderr.write(`${line}\n`);

installNativeCrypto();
const fixture = await spendBlockFixture(txs, nativeEd25519);
const { block, chain } = fixture;
const sigs = fixture.signaturesPerTx;
log(`built a block of ${txs} spends`);
const pool = await VsccPool.start(values.size ? { size: Number(values.size) } : {});
const round = (n: number, d = 0) => Number(n.toFixed(d));
try {
  const verifyOne = await pool.measureVerifyRate({ ms: 2000, workers: 1 });
  const verifyAll = await pool.measureVerifyRate({ ms: 2000 });
  log(`verify: ${round(verifyOne)}/s one worker, ${round(verifyAll)}/s all`);

  const inline = await benchValidate(fixture, nativeEd25519, { minMs: ms });
  log(`inline validate: ${round(inline)} tx/s`);

  const run = () =>
    validateBlock({
      block,
      channel: chain.net.channel,
      state: chain.state,
      checkAll: pool.checkAll,
    });
  for (let i = 0; i < 3; i++) await run(); // warm-up: JIT, channels loaded in workers
  const cpu0 = threadCpuMs();
  const usage0 = process.cpuUsage();
  const start = performance.now();
  let done = 0;
  // `depth` blocks in flight, as a pipeline keeps the next block in VSCC while one finishes.
  await Promise.all(
    Array.from({ length: depth }, async () => {
      while (performance.now() - start < ms) {
        const v = await run();
        if (v.codes.some((c) => c !== 0)) throw new Error('benchmark block did not validate');
        done += txs;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const usage = process.cpuUsage(usage0);
  const cpu1 = threadCpuMs();
  const split = cpuSplitPerUnit(cpu0, cpu1, { units: done, workers: pool.stats.size });
  const pooled = done / seconds;
  const report = {
    machine: { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), node: process.version },
    block: { txs, sigsPerTx: sigs },
    poolSize: pool.stats.size,
    blocksInFlight: depth,
    verifyPerSec: { oneWorker: round(verifyOne), allWorkers: round(verifyAll) },
    verifyScaling: round(verifyAll / verifyOne, 2),
    inline: { txPerSec: round(inline), efficiency: round(inline / (verifyOne / sigs), 3) },
    pool: {
      txPerSec: round(pooled),
      limitTxPerSec: round(verifyAll / sigs),
      efficiency: round(pooled / (verifyAll / sigs), 3),
      speedupOverInline: round(pooled / inline, 2),
      coresBusy: round((usage.user + usage.system) / 1e6 / seconds, 2),
      cpuMicrosPerTx: split && { ...split, signatures: round((sigs * 1e6) / verifyOne, 1) },
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await pool.close();
}
