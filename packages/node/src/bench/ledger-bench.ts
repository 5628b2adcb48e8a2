import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Block, decodeBlock, openGenesis } from '@weft/core';
import { nativeEd25519 } from '../crypto/native-ed25519.js';
import type { LevelDbOptions } from '../ledger/database.js';
import { ChannelLedger, type NodeDatabase, openNodeDatabase } from '../ledger/index.js';
import { CommitPipeline } from '../pipeline/commit-pipeline.js';
import { VsccPool, type VsccPoolOptions } from '../vscc-pool/index.js';
import {
  type FromGenerator,
  GENERATOR_FLAG,
  type GeneratorStart,
  type ToGenerator,
} from './ledger-generator.js';
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
  /** LevelDB options for the ledger's database (openNodeDatabase's defaults otherwise). */
  leveldb?: LevelDbOptions;
  /** VSCC pool options (its defaults otherwise). */
  pool?: VsccPoolOptions;
  /** Quiet time given to LevelDB's background compaction before lookups are timed; default 2000 ms. */
  settleMs?: number;
  log?: (line: string) => void;
}

/** Blocks the generator may build ahead of the committed height: bounds what is in flight. */
const AHEAD = 4;
/** Txids and owners kept (uniform samples, made by the generator) for the lookup phase. */
const SAMPLE_TXIDS = 20_000;
const SAMPLE_OWNERS = 2_000;

const MB = 2 ** 20;

/**
 * `weft bench ledger`: fills an on-disk ledger with `txs` committed
 * transactions through the real pipeline (VSCC on the pool), then times
 * txid and owner-coin lookups. Blocks come from a generator in a child
 * process (ledger-generator.ts), received encoded and decoded here as a
 * peer's deliver would, built at most AHEAD blocks past the committed
 * height. So this process is the peer alone and its peak RSS
 * (`peakRssMB`, maxRSS of this process) is the peer's; the generator's is
 * reported apart (`generatorPeakRssMB`).
 */
export async function runLedgerBench(o: LedgerBenchOptions) {
  const log = o.log ?? (() => {});
  const dir = o.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'weft-ledger-bench-')));
  // Whatever was started, for the finally clause.
  const started: { db?: NodeDatabase; pool?: VsccPool; generator?: Generator } = {};
  try {
    const db = await openNodeDatabase({ path: dir, leveldb: o.leveldb });
    started.db = db;
    const pool = await VsccPool.start(o.pool);
    started.pool = pool;
    const gen = startGenerator({
      type: 'start',
      txs: o.txs,
      blockSize: o.blockSize,
      owners: o.owners,
      sampleTxids: SAMPLE_TXIDS,
      sampleOwners: SAMPLE_OWNERS,
    });
    started.generator = gen;
    const genesis = await gen.genesis;
    const { channel } = await openGenesis(genesis, { backend: nativeEd25519 });
    const ledger = await ChannelLedger.open({ db, channel: channel.config.channel, genesis });
    const blocks = Math.ceil(o.txs / o.blockSize);
    let settle: { resolve: () => void; reject: (err: Error) => void } | undefined;
    const filled = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    let lastLog = 0;
    const pipeline = new CommitPipeline({
      ledger,
      channel,
      checkAll: pool.checkAll,
      window: AHEAD * 2,
      onRejected: (number, err) =>
        settle?.reject(new Error(`block ${number} rejected: ${err.message}`)),
      onCommitted: ({ number }) => {
        gen.credit(number + AHEAD);
        if (number - lastLog >= 100 || number === blocks) {
          lastLog = number;
          log(`committed block ${number} of ${blocks}: ${memoryLine(db)}`);
        }
        if (number === blocks) settle?.resolve();
      },
    });
    gen.onExit = (err) => settle?.reject(err);
    gen.onBlock = (block) => {
      try {
        pipeline.offer(block);
      } catch (err) {
        settle?.reject(err as Error);
      }
      pipeline.idle().catch((err: Error) => settle?.reject(err));
    };
    const start = performance.now();
    gen.credit(AHEAD);
    await filled;
    const fillSeconds = (performance.now() - start) / 1000;
    const { txids, owners, peakRssMB: generatorPeakRssMB } = await gen.done;
    const fillPeakRssMB = maxRssMB();
    const afterFill = memory(db);
    const info = ledger.info();
    log(`ledger full: ${info.txCount} transactions in ${info.height} blocks; ${memoryLine(db)}`);
    const settleMs = o.settleMs ?? 2_000;
    log(`letting compaction settle for ${settleMs} ms, then timing lookups`);
    await new Promise((resolve) => setTimeout(resolve, settleMs));

    const txLatency: number[] = [];
    for (let q = 0; q < o.queries; q++) {
      const txid = txids[Math.floor(Math.random() * txids.length)]!;
      const t0 = performance.now();
      const tx = await ledger.getTransaction(txid);
      txLatency.push(performance.now() - t0);
      if (!tx) throw new Error('a committed transaction was not found');
    }
    const coinLatency: number[] = [];
    let coinsSeen = 0;
    for (let q = 0; q < o.queries; q++) {
      const owner = owners[Math.floor(Math.random() * owners.length)]!;
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
    log(`lookups done: ${memoryLine(db)}`);
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
      /** The peer process (ledger, pipeline, VSCC pool), over the whole run. */
      peakRssMB: maxRssMB(),
      fillPeakRssMB,
      afterFill,
      /** The block generator's own process, apart from the peer. */
      generatorPeakRssMB,
    };
  } finally {
    started.generator?.kill();
    await started.pool?.close();
    await started.db?.close();
    if (!o.dir) await rm(dir, { recursive: true, force: true });
  }
}

function maxRssMB(): number {
  return round(process.resourceUsage().maxRSS / 1024);
}

/**
 * This process's memory now: the main thread's V8 heap, external memory,
 * LevelDB's own estimate of its memtables and block cache, and the RSS split
 * into anonymous and file-backed pages (Linux).
 */
function memory(db: NodeDatabase) {
  const m = process.memoryUsage();
  const out = {
    rssMB: round(m.rss / MB),
    heapUsedMB: round(m.heapUsed / MB),
    heapTotalMB: round(m.heapTotal / MB),
    externalMB: round(m.external / MB),
    leveldbMB: round(leveldbMemory(db) / MB),
  };
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
    // RssFile: mapped files, LevelDB's mmapped tables among them; RssAnon: heaps and malloc.
    return { ...out, anonMB: round(kb('RssAnon') / 1024), fileMB: round(kb('RssFile') / 1024) };
  } catch {
    return out;
  }
}

function memoryLine(db: NodeDatabase): string {
  const m = memory(db);
  const split = 'anonMB' in m ? ` (anon ${m.anonMB}, file ${m.fileMB})` : '';
  return (
    `rss ${m.rssMB} MB${split}, main heap ${m.heapUsedMB}/${m.heapTotalMB} MB, ` +
    `external ${m.externalMB} MB, leveldb ${m.leveldbMB} MB, peak ${maxRssMB()} MB`
  );
}

/** classic-level's leveldb.approximate-memory-usage (memtables and block cache); 0 elsewhere. */
function leveldbMemory(db: NodeDatabase): number {
  const store = db as NodeDatabase & { getProperty?: (name: string) => string };
  return Number(store.getProperty?.('leveldb.approximate-memory-usage') ?? 0) || 0;
}

interface Generator {
  genesis: Promise<Block>;
  done: Promise<Extract<FromGenerator, { type: 'done' }>>;
  onBlock: (block: Block) => void;
  onExit: (err: Error) => void;
  credit(upTo: number): void;
  kill(): void;
}

/** Forks ledger-generator.ts (from source under tsx, or the compiled .js) and wires its messages. */
function startGenerator(start: GeneratorStart): Generator {
  const fromSource = import.meta.url.endsWith('.ts');
  const file = new URL(`./ledger-generator${fromSource ? '.ts' : '.js'}`, import.meta.url);
  const child: ChildProcess = fork(file, [GENERATOR_FLAG], {
    // Not the parent's execArgv: under a test runner that would carry --test.
    execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let resolveGenesis: (b: Block) => void = () => {};
  let resolveDone: (d: Extract<FromGenerator, { type: 'done' }>) => void = () => {};
  let rejectAll: (err: Error) => void = () => {};
  const genesis = new Promise<Block>((resolve, reject) => {
    resolveGenesis = resolve;
    rejectAll = reject;
  });
  const done = new Promise<Extract<FromGenerator, { type: 'done' }>>((resolve, reject) => {
    resolveDone = resolve;
    const previous = rejectAll;
    rejectAll = (err) => {
      previous(err);
      reject(err);
    };
  });
  genesis.catch(() => {});
  done.catch(() => {});
  let finished = false;
  const g: Generator = {
    genesis,
    done,
    onBlock: () => {},
    onExit: () => {},
    credit: (upTo) => {
      // The generator disconnects once it has sent its last block, maybe
      // before its 'done' arrives here: a credit it no longer needs then
      // fails with EPIPE. Ignored; an early exit is caught by 'exit' below.
      if (child.connected) child.send({ type: 'credit', upTo } satisfies ToGenerator, () => {});
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
  const lost = (why: string) => {
    if (finished) return;
    finished = true;
    const err = new Error(`the ledger generator ${why}`);
    rejectAll(err);
    g.onExit(err);
    g.kill();
  };
  child.on('message', (msg: FromGenerator) => {
    try {
      if (msg.type === 'genesis') resolveGenesis(decodeBlock(asBytes(msg.bytes)));
      else if (msg.type === 'block') g.onBlock(decodeBlock(asBytes(msg.bytes)));
      else {
        finished = true;
        resolveDone(msg);
      }
    } catch (err) {
      lost(`sent a block that does not decode: ${(err as Error).message}`);
    }
  });
  child.on('error', (err) => lost(`failed: ${err.message}`));
  child.on('exit', (code, signal) => lost(`exited (${signal ?? code}) before it was done`));
  child.send(start satisfies ToGenerator);
  return g;
}

/** Advanced serialization may hand back a Buffer; decodeBlock wants plain bytes either way. */
function asBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
