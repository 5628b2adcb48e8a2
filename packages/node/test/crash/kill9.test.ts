// Crash safety: a child process commits a block stream to an on-disk ledger
// and is SIGKILLed at random moments, most of them inside a commit. After
// every kill the ledger must be exactly the reference replay of some prefix
// of the chain (height, commitHash, every table), holding every block whose
// batch LevelDB acknowledged and none whose batch it never saw, and the next
// child resumes from it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  blockHash,
  type Coin,
  encodeCertificate,
  TxCode,
  toHex,
  txCodeName,
  utf8,
} from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { installNativeCrypto } from '../../src/crypto/install.js';
import { ChannelLedger, type NodeDatabase, openNodeDatabase } from '../../src/ledger/index.js';
import { buildCrashChain, type CrashChain, coinsByOwner, prng } from './chain.js';
import { writeBlockStream } from './stream.js';

installNativeCrypto();

const SEED = 'crash-test';
/** Blocks after genesis. */
const BLOCKS = 90;
const KILLS = 24;
/** Kills that must land inside commitBlock; more kills are made (up to MAX_KILLS) until they have. */
const MIN_IN_COMMIT = 8;
const MAX_KILLS = 48;
const CHILD = fileURLToPath(new URL('./commit-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
/** A child that neither finishes nor is killed by then is stuck. */
const CHILD_TIMEOUT_MS = 30_000;

type Mode = 'commit' | 'stream' | 'open' | 'finish';

interface Plan {
  mode: Mode;
  /** Last block the child commits; below the chain's last, it then waits to be killed. */
  stopAt: number;
  /** commit: kill after the child reports entering commitBlock(target), or handing its batch to LevelDB... */
  target?: number;
  trigger?: 'committing' | 'writing';
  /** ...commit and open: wait this long after the trigger line first. */
  pauseMicros?: number;
  /** stream: kill this long after the child reports its ledger open. */
  delayMs?: number;
}

interface Run {
  lines: string[];
  /** The line (or event) after which it was killed; undefined if it exited by itself. */
  killedAfter?: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `micros` without using the CPU, which the child needs. */
function pause(micros: number): void {
  Atomics.wait(sleeper, 0, 0, micros / 1000);
}

function runChild(dir: string, files: { stream: string; attester: string }, plan: Plan) {
  return new Promise<Run>((resolve, reject) => {
    const args = ['--import', TSX, CHILD, dir, files.stream, files.attester, String(plan.stopAt)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let killedAfter: string | undefined;
    let armed = false;
    const kill = (why: string) => {
      if (killedAfter !== undefined) return;
      killedAfter = why;
      child.kill('SIGKILL');
    };
    const watchdog = setTimeout(() => {
      kill('watchdog');
      reject(new Error(`child stuck; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
    }, CHILD_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (killedAfter !== undefined) continue;
        const [word, arg] = line.split(' ');
        if (word === 'committing') armed = Number(arg) === plan.target;
        if (
          (plan.mode === 'commit' && armed && word === plan.trigger) ||
          (plan.mode === 'open' && word === 'opening')
        ) {
          pause(plan.pauseMicros ?? 0);
          kill(line);
        } else if (plan.mode === 'stream' && word === 'ready') {
          setTimeout(() => kill(`${plan.delayMs} ms after ${line}`), plan.delayMs);
        } else if (word === 'idle' && plan.mode !== 'finish') {
          kill(line);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      if (partial) lines.push(partial);
      resolve({ lines, killedAfter, code, signal, stderr });
    });
  });
}

/** Keys of one ledger table, read straight from the root database (LAYOUT.md), prefix removed. */
async function rawKeys(db: NodeDatabase, channel: string, table: string): Promise<Uint8Array[]> {
  const prefix = utf8(table ? `!ledger!!${channel}!!${table}!` : '!ledger!');
  const end = prefix.slice();
  end[end.length - 1]! += 1;
  const keys = await db.keys({ gte: prefix, lt: end }).all();
  return keys.map((k) => Uint8Array.from(k.subarray(prefix.length)));
}

const hexes = (keys: Uint8Array[]) => keys.map(toHex).sort();
const u64hex = (n: number) => n.toString(16).padStart(16, '0');
const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

async function allCoins(ledger: ChannelLedger, owner: Uint8Array) {
  const coins: { key: string; coin: Coin }[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await ledger.getCoins({ owner, limit: 16, after });
    coins.push(...page.coins);
    if (!page.next) return coins;
    after = page.next;
  }
}

/**
 * Opens the ledger in `dir` and checks it is exactly the reference at its
 * height: chain info, every table's keys, every state value, every owner's
 * coins, every txid. Returns the height (0: nothing was ever written).
 */
async function checkLedger(dir: string, c: CrashChain, context: string): Promise<number> {
  const channel = c.net.config.channel;
  const db = await openNodeDatabase({ path: dir });
  try {
    if ((await rawKeys(db, channel, '')).length === 0) return 0;
    const ledger = await ChannelLedger.open({ db, channel, genesis: c.blocks[0] });
    try {
      assert.deepEqual(ledger.repair.removedBlocks, [], context);
      const info = ledger.info();
      const h = info.height;
      const ref = c.snapshots[h];
      assert.isDefined(ref, `${context}: height ${h} is beyond the chain`);
      if (!ref) return h;
      const at = `${context}, height ${h}`;
      assert.equal(info.savepoint, h - 1, at);
      assert.equal(toHex(info.lastHash), toHex(ref.lastHash), at);
      assert.equal(toHex(info.commitHash), toHex(ref.commitHash), `${at}: commitHash`);
      assert.equal(info.txCount, ref.txCount, at);
      assert.equal(info.failedTxCount, ref.failedTxCount, at);

      // Blocks and their indexes: exactly blocks 0..h-1.
      const numbers = range(0, h).map(u64hex);
      assert.deepEqual(hexes(await rawKeys(db, channel, 'blocks')), numbers, `${at}: blocks`);
      assert.deepEqual(hexes(await rawKeys(db, channel, 'numbers')), numbers, `${at}: numbers`);
      const hashes = c.blocks.slice(0, h).map((b) => toHex(blockHash(b.header)));
      assert.deepEqual(hexes(await rawKeys(db, channel, 'hashes')), hashes.sort(), `${at}: hashes`);
      const tip = await ledger.getBlock(h - 1);
      assert.equal(toHex(tip?.commitHash ?? new Uint8Array()), toHex(ref.commitHash), at);
      assert.isUndefined(await ledger.getBlock(h), at);
      // This peer's attestation of every block after genesis, in the same batch.
      assert.deepEqual(
        hexes(await rawKeys(db, channel, 'attestations')).map((k) => k.slice(0, 16)),
        range(1, h).map(u64hex),
        `${at}: attestations`,
      );

      // State: the same keys, and the same value and version under each.
      const decoder = new TextDecoder();
      const stateKeys = (await rawKeys(db, channel, 'state')).map((k) => decoder.decode(k));
      assert.deepEqual(stateKeys.sort(), [...ref.state.keys()].sort(), `${at}: state keys`);
      for (const [key, value] of ref.state) {
        assert.deepEqual(await ledger.getState(key), value, `${at}: state ${key}`);
      }

      // Coin index: the whole table, and each owner's coins through getCoins.
      const expected = coinsByOwner(ref.state);
      const indexed = (await rawKeys(db, channel, 'coins'))
        .map((k) => `${toHex(k.subarray(0, 32))}/${decoder.decode(k.subarray(32))}`)
        .sort();
      const wanted = [...expected]
        .flatMap(([owner, coins]) => coins.map((x) => `${owner}/${x.key}`))
        .sort();
      assert.deepEqual(indexed, wanted, `${at}: coins table`);
      for (const owner of c.owners) {
        const want = expected.get(toHex(owner.publicKey)) ?? [];
        assert.deepEqual(await allCoins(ledger, owner.publicKey), want, `${at}: coins of owner`);
      }

      // Transactions: those of blocks < h resolve with their codes, later ones do not.
      const txids = c.recorded.slice(0, h).flatMap((list) => list.map((r) => toHex(r.txid)));
      assert.deepEqual(hexes(await rawKeys(db, channel, 'txs')), txids.sort(), `${at}: txs`);
      for (const r of c.recorded.flat()) {
        const tx = await ledger.getTransaction(r.txid);
        if (r.block < h) {
          assert.deepEqual(
            tx && { block: tx.block, index: tx.index, code: tx.code },
            { block: r.block, index: r.index, code: r.code },
            `${at}: tx ${toHex(r.txid)}`,
          );
        } else {
          assert.isUndefined(tx, `${at}: tx ${toHex(r.txid)} of block ${r.block}`);
        }
      }
      return h;
    } finally {
      await ledger.close();
    }
  } finally {
    await db.close();
  }
}

function median(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('crash safety: kill -9 during commits', () => {
  let dir: string;
  let chain: CrashChain;
  const files = { stream: '', attester: '' };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-kill9-'));
    chain = await buildCrashChain(SEED, BLOCKS);
    files.stream = join(dir, 'blocks.bin');
    files.attester = join(dir, 'attester.json');
    await writeFile(files.stream, writeBlockStream(chain.blocks));
    const peer = chain.net.peers[0]!;
    const attester = {
      secretKey: toHex(peer.secretKey),
      cert: toHex(encodeCertificate(peer.cert)),
    };
    await writeFile(files.attester, JSON.stringify(attester));
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('streams valid, invalid and double-spending transactions', () => {
    const count = (code: TxCode) => chain.codes.flat().filter((x) => x === code).length;
    assert.equal(chain.blocks.length, BLOCKS + 1);
    assert.isAtLeast(count(TxCode.VALID), BLOCKS * 4);
    for (const code of [
      TxCode.MVCC_READ_CONFLICT,
      TxCode.FABCOIN_INVALID,
      TxCode.BAD_PAYLOAD,
      TxCode.DUPLICATE_TXID,
    ]) {
      assert.isAtLeast(count(code), 3, txCodeName(code));
    }
  });

  it(`survives ${KILLS} SIGKILLs at random moments with the ledger a prefix of the chain`, async () => {
    const started = performance.now();
    const seed = Number(process.env.WEFT_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 32));
    const rand = prng(seed);
    const db = join(dir, 'ledger');
    const last = BLOCKS;
    const commitMicros: number[] = [];
    const writeMicros: number[] = [];
    const stats = {
      kills: 0,
      modes: {} as Record<string, number>,
      /** Where kills landed, by the child's last line: see `landing` below. */
      landed: {} as Record<string, number>,
      /** Kills inside commitBlock (the child's last line was committing, writing or written). */
      inCommit: 0,
      /** Kills during LevelDB's write that found the block committed after restart. */
      batchApplied: 0,
    };
    let height = 0;

    for (let i = 0; ; i++) {
      const killsLeft = Math.max(KILLS - stats.kills, MIN_IN_COMMIT - stats.inCommit);
      if (killsLeft > 0 && stats.kills < MAX_KILLS && height >= last) {
        // The chain ran out before enough kills landed (commits got fast): start a
        // fresh ledger rather than spend the remaining kills on opening one.
        await rm(db, { recursive: true, force: true });
        height = 0;
      }
      let plan: Plan;
      if (killsLeft <= 0 || stats.kills >= MAX_KILLS) {
        plan = { mode: 'finish', stopAt: last };
      } else {
        // Spread the kills over the chain; never let a kill run commit the last block.
        const stopAt = last - 1;
        const roll = rand();
        const span = Math.max(1, Math.round((2 * (stopAt + 1 - height)) / (killsLeft + 1)));
        const target = Math.max(1, height) + Math.floor(rand() * span);
        if (i === 0 || height > stopAt || target > stopAt || roll < 0.12) {
          plan = { mode: 'open', stopAt, pauseMicros: rand() * 8000 };
        } else if (roll < 0.3) {
          plan = { mode: 'stream', stopAt, delayMs: Math.floor(rand() * 5 * span) };
        } else {
          // Most kills follow the child entering commitBlock(target), or handing its batch
          // to LevelDB, by a random fraction of how long that step typically takes.
          const trigger = rand() < 0.5 ? 'committing' : 'writing';
          const typical = median(
            (trigger === 'committing' ? commitMicros : writeMicros).slice(-50),
          );
          const pauseMicros = rand() * (trigger === 'committing' ? 1 : 1.5) * (typical ?? 1000);
          plan = { mode: 'commit', stopAt, target, trigger, pauseMicros };
        }
      }
      const context = `run ${i} (seed ${seed}, ${JSON.stringify(plan)})`;
      const run = await runChild(db, files, plan);
      const log = `${context}\nstdout:\n${run.lines.join('\n')}\nstderr:\n${run.stderr}`;
      if (plan.mode === 'finish') {
        assert.isUndefined(run.killedAfter, log);
        assert.equal(run.code, 0, log);
        assert.equal(run.lines.at(-1), `done ${last + 1}`, log);
      } else {
        assert.isDefined(run.killedAfter, `${log}\nthe child exited before it was killed`);
        assert.equal(run.signal, 'SIGKILL', log);
        stats.kills++;
        stats.modes[plan.mode] = (stats.modes[plan.mode] ?? 0) + 1;
      }

      // What the child said before it died bounds the height the ledger may have: every
      // batch LevelDB acknowledged is in it, and no block whose batch never reached LevelDB.
      const ready = run.lines.find((l) => l.startsWith('ready '));
      if (ready) assert.equal(ready, `ready ${Math.max(height, 1)}`, `${log}\nresumed elsewhere`);
      let entered: number | undefined;
      let handed: number | undefined;
      let acknowledged: number | undefined;
      for (const line of run.lines) {
        const [word, n, , micros] = line.split(' ');
        if (word === 'committing') entered = Number(n);
        if (word === 'writing') handed = entered;
        if (word === 'written') {
          acknowledged = entered;
          writeMicros.push(Number(n));
        }
        if (word === 'committed') commitMicros.push(Number(micros));
      }
      const prior = height;
      height = await checkLedger(db, chain, context);
      const opened = ready ? Math.max(prior, 1) : prior;
      const low = acknowledged !== undefined ? acknowledged + 1 : opened;
      const high = handed !== undefined ? handed + 1 : prior === 0 ? 1 : prior;
      assert.isAtLeast(height, low, `${log}\nlost a block LevelDB acknowledged`);
      assert.isAtMost(height, high, `${log}\nholds a block whose batch was never written`);

      if (run.killedAfter !== undefined) {
        const lastWord = run.lines.at(-1)?.split(' ')[0] ?? '';
        const landing =
          {
            opening: 'opening the ledger',
            ready: 'opened, before a commit',
            committing: 'in commitBlock, before its batch',
            writing: 'in the LevelDB batch write',
            written: 'in commitBlock, after its batch',
            committed: 'between commits',
            idle: 'idle at the last block allowed',
          }[lastWord] ?? lastWord;
        stats.landed[landing] = (stats.landed[landing] ?? 0) + 1;
        if (['committing', 'writing', 'written'].includes(lastWord)) stats.inCommit++;
        if (lastWord === 'writing' && height === (handed ?? -1) + 1) stats.batchApplied++;
      }
      if (plan.mode === 'finish') break;
    }

    assert.equal(height, last + 1);
    assert.isAtLeast(stats.kills, 20);
    assert.isAtLeast(stats.inCommit, MIN_IN_COMMIT, JSON.stringify(stats.landed));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `kill9: ${stats.kills} kills (${stats.inCommit} inside commitBlock), plans ${JSON.stringify(stats.modes)}; landed ${JSON.stringify(stats.landed)}; ` +
        `${stats.batchApplied} kills during the write found the block committed; median commitBlock ` +
        `${median(commitMicros)} µs, batch write ${median(writeMicros)} µs; ${seconds.toFixed(1)} s; seed ${seed}`,
    );
  });
});
