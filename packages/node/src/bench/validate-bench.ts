import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type Block,
  type Coin,
  chainTipOf,
  coinKey,
  parseTx,
  TxCode,
  txCodeName,
} from '@weft/core';
import {
  buildBlock,
  buildMint,
  buildSpend,
  createDevNetwork,
  DevChain,
  type DevNetwork,
} from '@weft/core/dev';
import { nativeEd25519 } from '../crypto/native-ed25519.js';
import { ChannelLedger, openNodeDatabase } from '../ledger/index.js';
import { CommitPipeline } from '../pipeline/commit-pipeline.js';
import { VsccPool } from '../vscc-pool/index.js';
import { percentile, round } from './stats.js';
import { cpuSplitPerUnit, threadCpuMs } from './thread-cpu.js';
import { startTimedProfile } from './timed-profile.js';

export interface ValidateBenchOptions {
  kind: 'spend' | 'mint';
  txs: number;
  blockSize: number;
  /** Ledger directory; a temporary one (removed afterwards) when absent. */
  dir?: string;
  workers?: number;
  /** Blocks verified and in VSCC ahead of the committing one. */
  depth?: number;
  log?: (line: string) => void;
  /** Write a CPU profile of the main thread over the timed region here (.cpuprofile). */
  profile?: string;
}

const COINS_PER_MINT = 250;

/** Builds the timed blocks (and, for spends, the untimed mint blocks they spend from). */
async function buildWorkload(net: DevNetwork, o: ValidateBenchOptions) {
  const chain = new DevChain(net);
  const owner = net.client.signer.publicKey;
  const coin = (amount: bigint): Coin => ({ amount, owner, label: 'FBC' });
  const setup: Block[] = [];
  const keys: string[] = [];
  if (o.kind === 'spend') {
    // Coins for every spend, minted 250 to a transaction, 20 transactions to a block.
    let mints: Uint8Array[] = [];
    for (let made = 0; made < o.txs; made += COINS_PER_MINT) {
      const mint = await buildMint(
        net,
        Array.from({ length: Math.min(COINS_PER_MINT, o.txs - made) }, () => coin(10n)),
      );
      for (let j = 0; j < Math.min(COINS_PER_MINT, o.txs - made); j++)
        keys.push(coinKey(mint.txid, j));
      mints.push(mint.bytes);
      if (mints.length === 20 || made + COINS_PER_MINT >= o.txs) {
        setup.push((await chain.append(mints)).block);
        mints = [];
      }
    }
  }
  const timed: (Block | undefined)[] = [];
  let tip = chain.tip;
  for (let start = 0; start < o.txs; start += o.blockSize) {
    const n = Math.min(o.blockSize, o.txs - start);
    const data = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const tx =
          o.kind === 'spend'
            ? await buildSpend(net, [keys[start + i]!], [coin(10n)], { state: chain.state })
            : await buildMint(net, [coin(BigInt(start + i + 1))]);
        return tx.bytes;
      }),
    );
    const block = await buildBlock(net, tip, data);
    timed.push(block);
    tip = chainTipOf(block);
    if (timed.length % 20 === 0) o.log?.(`built ${start + n} of ${o.txs} ${o.kind}s`);
  }
  return { setup, timed };
}

/**
 * `weft bench validate`: a peer committing blocks of one-in/one-out spends
 * (2 endorsements each) or single-output mints to a real on-disk ledger,
 * with VSCC on the worker pool; in the same run, the pool's raw native
 * signature capacity. Workload generation is outside the timed region.
 */
export async function runValidateBench(o: ValidateBenchOptions) {
  const log = o.log ?? (() => {});
  const net = await createDevNetwork({
    seed: 'bench-validate',
    backend: nativeEd25519,
    maxTxCount: 10_000,
  });
  const { setup, timed } = await buildWorkload(net, o);
  // Counted from the workload, not assumed: creator, other signers over the proposal, endorsers.
  const first = parseTx(timed[0]!.data[0]!).envelope;
  const sigsPerTx = 1 + first.signedProposal.auth.length + first.endorsements.length;
  log(`workload ready: ${setup.length} setup blocks, ${timed.length} timed blocks`);

  const dir = o.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'weft-bench-')));
  const db = await openNodeDatabase({ path: dir });
  const pool = await VsccPool.start(o.workers ? { size: o.workers } : {});
  try {
    const ledger = await ChannelLedger.open({
      db,
      channel: net.config.channel,
      genesis: net.genesis,
    });
    const latencies: number[] = [];
    const codes = new Map<string, number>();
    let timing = false;
    const pipeline = new CommitPipeline({
      ledger,
      channel: net.channel,
      checkAll: pool.checkAll,
      depth: o.depth ?? 2,
      window: setup.length + timed.length + 1,
      onCommitted: (e) => {
        if (!timing) return;
        latencies.push(performance.now() - e.startedAt);
        for (const c of e.codes) codes.set(txCodeName(c), (codes.get(txCodeName(c)) ?? 0) + 1);
      },
    });
    for (const b of setup) pipeline.offer(b);
    await pipeline.waitForHeight(setup.length + 1);
    log('setup committed; measuring');

    timing = true;
    const profiler = o.profile ? await startTimedProfile() : undefined;
    const cpu0 = threadCpuMs();
    const start = performance.now();
    // Blocks arrive as a peer gets them, a few ahead of the one committing,
    // and are released once offered: a whole workload held in memory would
    // make the collector's work, not the peer's, the thing measured.
    const base = setup.length + 1;
    const ahead = (o.depth ?? 2) + 2;
    for (let i = 0; i < timed.length; i++) {
      if (i >= ahead) await pipeline.waitForHeight(base + i - ahead + 1);
      pipeline.offer(timed[i]!);
      timed[i] = undefined;
    }
    await pipeline.waitForHeight(base + timed.length);
    const seconds = (performance.now() - start) / 1000;
    const cpu = cpuSplitPerUnit(cpu0, threadCpuMs(), { units: o.txs, workers: pool.stats.size });
    if (profiler && o.profile) await profiler.stop(o.profile);
    timing = false;

    const verifyPerSec = await pool.measureVerifyRate({ ms: 2000 });
    const txPerSec = o.txs / seconds;
    const limitTxPerSec = verifyPerSec / sigsPerTx;
    latencies.sort((a, b) => a - b);
    return {
      kind: o.kind,
      txs: o.txs,
      blockSize: o.blockSize,
      blocks: timed.length,
      workers: pool.stats.size,
      seconds: round(seconds, 2),
      txPerSec: round(txPerSec),
      verifyPerSec: round(verifyPerSec),
      sigsPerTx,
      limitTxPerSec: round(limitTxPerSec),
      efficiency: round(txPerSec / limitTxPerSec, 3),
      // Where the CPU went, beside the signatures' share at the measured rate.
      cpuMicrosPerTx: cpu && {
        ...cpu,
        signatures: round((sigsPerTx * 1e6 * pool.stats.size) / verifyPerSec, 1),
      },
      blockCommitLatencyMs: {
        p50: round(percentile(latencies, 50), 1),
        p99: round(percentile(latencies, 99), 1),
      },
      peakRssMB: round(process.resourceUsage().maxRSS / 1024),
      codes: Object.fromEntries(codes),
      allValid: (codes.get(txCodeName(TxCode.VALID)) ?? 0) === o.txs,
    };
  } finally {
    await pool.close();
    await db.close();
    if (!o.dir) await rm(dir, { recursive: true, force: true });
  }
}
