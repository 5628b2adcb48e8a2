import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type ChainTip, type Coin, chainTipOf, signerFromSecret } from '@weft/core';
import { buildBlock, buildMint, createDevNetwork, devSecret } from '@weft/core/dev';
import { nativeEd25519 } from '../crypto/native-ed25519.js';
import { ChannelLedger, openNodeDatabase } from '../ledger/index.js';
import { CommitPipeline } from '../pipeline/commit-pipeline.js';
import { VsccPool } from '../vscc-pool/index.js';
import { percentile, round } from './stats.js';

export interface LedgerBenchOptions {
  /** Transactions to commit (single-output mints). */
  txs: number;
  blockSize: number;
  /** Distinct coin owners; each ends with about txs / owners coins. */
  owners: number;
  /** Timed lookups of each kind once the ledger is full. */
  queries: number;
  /** Coins per getCoins page. */
  pageSize: number;
  /** Ledger directory; a temporary one (removed afterwards) when absent. */
  dir?: string;
  log?: (line: string) => void;
}

/** Blocks built ahead of the committed height: bounds the generator's memory. */
const AHEAD = 4;
/** Txids kept (reservoir sample) for the lookup phase. */
const SAMPLE = 20_000;

/**
 * `weft bench ledger`: fills an on-disk ledger with `txs` committed
 * transactions through the real pipeline (VSCC on the pool), generating
 * blocks just ahead of the commit so the process holds little besides the
 * node itself, then times txid and owner-coin lookups. Reports peak RSS
 * of the whole process.
 */
export async function runLedgerBench(o: LedgerBenchOptions) {
  const log = o.log ?? (() => {});
  const net = await createDevNetwork({
    seed: 'bench-ledger',
    backend: nativeEd25519,
    maxTxCount: 10_000,
  });
  const owners = await Promise.all(
    Array.from({ length: o.owners }, (_, i) =>
      signerFromSecret(devSecret('bench-ledger', `owner${i}`), nativeEd25519),
    ),
  );
  const dir = o.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'weft-ledger-bench-')));
  const db = await openNodeDatabase({ path: dir });
  const pool = await VsccPool.start();
  try {
    const ledger = await ChannelLedger.open({
      db,
      channel: net.config.channel,
      genesis: net.genesis,
    });
    const pipeline = new CommitPipeline({
      ledger,
      channel: net.channel,
      checkAll: pool.checkAll,
      window: AHEAD * 2,
    });
    const sample: Uint8Array[] = [];
    let seen = 0;
    let tip: ChainTip = chainTipOf(net.genesis);
    const start = performance.now();
    for (let made = 0; made < o.txs; made += o.blockSize) {
      const n = Math.min(o.blockSize, o.txs - made);
      const txs = await Promise.all(
        Array.from({ length: n }, (_, i) => {
          const coin: Coin = {
            amount: BigInt(made + i + 1),
            owner: owners[(made + i) % owners.length]!.publicKey,
            label: 'FBC',
          };
          return buildMint(net, [coin]);
        }),
      );
      for (const tx of txs) {
        seen++;
        if (sample.length < SAMPLE) sample.push(tx.txid);
        else {
          const j = Math.floor(Math.random() * seen);
          if (j < SAMPLE) sample[j] = tx.txid;
        }
      }
      const block = await buildBlock(
        net,
        tip,
        txs.map((t) => t.bytes),
      );
      tip = chainTipOf(block);
      pipeline.offer(block);
      await pipeline.waitForHeight(tip.number + 1 - AHEAD);
      if (tip.number % 200 === 0) {
        const m = process.memoryUsage();
        const mb = (x: number) => Math.round(x / 2 ** 20);
        log(
          `committed ~${made + n} of ${o.txs} (block ${tip.number}): rss ${mb(m.rss)} MB, ` +
            `main heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB, external ${mb(m.external)} MB`,
        );
      }
    }
    await pipeline.waitForHeight(tip.number + 1);
    const fillSeconds = (performance.now() - start) / 1000;
    const info = ledger.info();
    log(`ledger full: ${info.txCount} transactions in ${info.height} blocks; timing lookups`);

    const txLatency: number[] = [];
    for (let q = 0; q < o.queries; q++) {
      const txid = sample[Math.floor(Math.random() * sample.length)]!;
      const t0 = performance.now();
      const tx = await ledger.getTransaction(txid);
      txLatency.push(performance.now() - t0);
      if (!tx) throw new Error('a committed transaction was not found');
    }
    const coinLatency: number[] = [];
    let coinsSeen = 0;
    for (let q = 0; q < o.queries; q++) {
      const owner = owners[Math.floor(Math.random() * owners.length)]!.publicKey;
      const t0 = performance.now();
      const page = await ledger.getCoins({ owner, limit: o.pageSize });
      coinLatency.push(performance.now() - t0);
      coinsSeen += page.coins.length;
    }
    const summary = (xs: number[]) => {
      const sorted = xs.sort((a, b) => a - b);
      return {
        p50: round(percentile(sorted, 50), 3),
        p99: round(percentile(sorted, 99), 3),
        max: round(sorted.at(-1) ?? 0, 3),
      };
    };
    return {
      txs: info.txCount - 1,
      blocks: info.height - 1,
      blockSize: o.blockSize,
      owners: o.owners,
      fillSeconds: round(fillSeconds, 1),
      fillTxPerSec: round(o.txs / fillSeconds),
      queries: o.queries,
      txidLookupMs: summary(txLatency),
      ownerCoinsMs: { pageSize: o.pageSize, ...summary(coinLatency) },
      avgCoinsPerPage: round(coinsSeen / o.queries, 1),
      peakRssMB: round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await pool.close();
    await db.close();
    if (!o.dir) await rm(dir, { recursive: true, force: true });
  }
}
