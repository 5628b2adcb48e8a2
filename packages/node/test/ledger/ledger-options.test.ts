import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  after,
  assert,
  before,
  describe,
  it,
  rejectsWithCode,
  throwsWithCode,
} from '@weft/test/harness';
import {
  DEFAULT_LEVELDB_OPTIONS,
  openNodeDatabase,
  resolveLevelDbOptions,
} from '../../src/ledger/database.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-leveldb-options-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openNodeDatabase: LevelDB options', () => {
  it('defaults bound the table cache to LevelDB’s minimum, with 1 MiB tables', () => {
    assert.deepEqual(resolveLevelDbOptions(), {
      cacheSize: 8 * 2 ** 20,
      writeBufferSize: 4 * 2 ** 20,
      maxOpenFiles: 74,
      maxFileSize: 2 ** 20,
    });
    assert.deepEqual(resolveLevelDbOptions({}), { ...DEFAULT_LEVELDB_OPTIONS });
  });

  it('takes each option given over its default', () => {
    const r = resolveLevelDbOptions({ maxOpenFiles: 500, cacheSize: 2 ** 20 });
    assert.equal(r.maxOpenFiles, 500);
    assert.equal(r.cacheSize, 2 ** 20);
    assert.equal(r.writeBufferSize, DEFAULT_LEVELDB_OPTIONS.writeBufferSize);
  });

  it('refuses an option that is not a positive 32-bit integer with LEDGER_OPTIONS, before opening', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 32]) {
      const err = throwsWithCode(
        () => resolveLevelDbOptions({ maxOpenFiles: bad }),
        'LEDGER_OPTIONS',
      );
      assert.match(String(err), /leveldb\.maxOpenFiles/);
    }
    const path = join(dir, 'refused');
    await rejectsWithCode(
      () => openNodeDatabase({ path, leveldb: { cacheSize: -1 } }),
      'LEDGER_OPTIONS',
    );
    assert.throws(() => readdirSync(path), /ENOENT/);
  });

  it('an on-disk store opened with options reads back what it wrote', async () => {
    const path = join(dir, 'small');
    const db = await openNodeDatabase({ path, leveldb: { writeBufferSize: 64 * 1024 } });
    try {
      const key = new Uint8Array([1, 2, 3]);
      await db.put(key, new Uint8Array([4]));
      assert.deepEqual([...((await db.get(key)) ?? [])], [4]);
    } finally {
      await db.close();
    }
  });

  // LevelDB maps every table in its table cache into memory and reads through
  // the mapping; those pages count in RSS. maxOpenFiles bounds how many are
  // mapped at once (maxOpenFiles - 10): the RSS fix this checks.
  it('by default keeps at most maxOpenFiles - 10 tables mapped while reading across many more (Linux)', async () => {
    try {
      readFileSync('/proc/self/maps', 'utf8');
    } catch {
      return; // not Linux: nothing to look at
    }
    const path = join(dir, 'many-tables');
    const tablesMapped = () =>
      new Set(
        readFileSync('/proc/self/maps', 'utf8')
          .split('\n')
          .filter((line) => line.includes(path) && line.endsWith('.ldb'))
          .map((line) => line.slice(line.indexOf(path))),
      ).size;
    // The default maxOpenFiles: what a node gets.
    const options = { writeBufferSize: 64 * 1024 };
    const key = (i: number) => new Uint8Array([i >> 16, (i >> 8) & 0xff, i & 0xff]);
    const rows = 12_000;
    const db = await openNodeDatabase({ path, leveldb: options });
    try {
      // Batches smaller than the 64 KB memtable: each flush is one table of
      // ~50 KB; ~12 MB of incompressible values make ~250 of them.
      for (let i = 0; i < rows; i += 16) {
        await db.batch(
          Array.from({ length: 16 }, (_, j) => ({
            type: 'put' as const,
            key: key(i + j),
            value: randomBytes(1000),
          })),
        );
      }
    } finally {
      await db.close();
    }
    const tables = readdirSync(path).filter((f) => f.endsWith('.ldb')).length;
    assert.isAbove(tables, 100, 'the store should hold more tables than the cache');
    const reopened = await openNodeDatabase({ path, leveldb: options });
    try {
      for (let i = 0; i < rows; i += 7) assert.isDefined(await reopened.get(key(i)));
      const mapped = tablesMapped();
      assert.isAbove(mapped, 0);
      assert.isAtMost(mapped, DEFAULT_LEVELDB_OPTIONS.maxOpenFiles - 10);
    } finally {
      await reopened.close();
    }
    assert.equal(tablesMapped(), 0, 'closing the store unmaps its tables');
  });
});
