import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { runLedgerBench } from '../../src/bench/ledger-bench.js';
import { Reservoir } from '../../src/bench/ledger-generator.js';
import { installNativeCrypto } from '../../src/crypto/install.js';
import { ChannelLedger, openNodeDatabase } from '../../src/ledger/index.js';

installNativeCrypto();

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-ledger-bench-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('weft bench ledger', () => {
  it('fills a ledger from the generator process through the pipeline, then times lookups', async () => {
    const path = join(dir, 'ledger');
    const lines: string[] = [];
    const report = await runLedgerBench({
      txs: 1_050,
      blockSize: 100,
      owners: 20,
      queries: 40,
      pageSize: 10,
      dir: path,
      settleMs: 0,
      pool: { size: 2 },
      log: (line) => lines.push(line),
    });
    assert.equal(report.txs, 1_050);
    assert.equal(report.blocks, 11);
    // 52 or 53 coins each: every page is full.
    assert.equal(report.avgCoinsPerPage, 10);
    for (const ms of [report.txidLookupMs, report.ownerCoinsMs]) {
      assert.isAtLeast(ms.p99, ms.p50);
      assert.isAtLeast(ms.max, ms.p99);
    }
    assert.isAtLeast(report.peakRssMB, report.fillPeakRssMB);
    assert.isAbove(report.fillPeakRssMB, 0);
    assert.isAbove(report.generatorPeakRssMB, 0);
    assert.isTrue(lines.some((l) => l.startsWith('committed block 11 of 11')));

    // The ledger it leaves (dir given) is whole: every block committed, all valid.
    const db = await openNodeDatabase({ path });
    try {
      const ledger = await ChannelLedger.open({ db, channel: 'weft' });
      const info = ledger.info();
      assert.equal(info.height, 12);
      assert.equal(info.txCount, 1_051);
      assert.equal(info.failedTxCount, 0);
      await ledger.close();
    } finally {
      await db.close();
    }
  });

  it('removes its temporary ledger when no directory is given', async () => {
    // os.tmpdir() follows TMPDIR: the temporary ledger goes where this test can watch it.
    const tmp = join(dir, 'tmp');
    await mkdir(tmp);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const report = await runLedgerBench({
        txs: 20,
        blockSize: 10,
        owners: 3,
        queries: 5,
        pageSize: 5,
        settleMs: 0,
        pool: { size: 1 },
      });
      assert.equal(report.txs, 20);
    } finally {
      if (saved === undefined) Reflect.deleteProperty(process.env, 'TMPDIR');
      else process.env.TMPDIR = saved;
    }
    // (tsx, running the generator from source, may leave its cache there.)
    const left = (await readdir(tmp)).filter((f) => f.startsWith('weft-ledger-bench-'));
    assert.deepEqual(left, []);
  });
});

describe('Reservoir (the generator’s samples)', () => {
  it('keeps everything while the stream is shorter than the sample, in order', () => {
    const r = new Reservoir<number>(5);
    for (const x of [1, 2, 3]) r.add(x);
    assert.deepEqual(r.items, [1, 2, 3]);
  });

  it('keeps exactly `size` distinct items of a longer stream, drawn from all of it', () => {
    const r = new Reservoir<number>(100);
    for (let i = 0; i < 10_000; i++) r.add(i);
    assert.lengthOf(r.items, 100);
    assert.lengthOf(new Set(r.items), 100);
    // A uniform sample of 100 from 0..9999 essentially never stays in the first 1000.
    assert.isTrue(r.items.some((x) => x >= 1000));
  });
});
