import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import { installNativeCrypto } from '../../src/crypto/install.js';
import { VsccPool } from '../../src/vscc-pool/index.js';
import { ctxOf, eventually, type MixedBlock, mixedBlock } from './fixtures.js';

installNativeCrypto();

let fx: MixedBlock;
before(async () => {
  fx = await mixedBlock({ seed: 'vscc-pool-faults', valid: 40 });
});

/** A pool of two workers cutting blocks into chunks of 6, with fault injection on. */
async function withPool(
  fn: (pool: VsccPool) => Promise<void>,
  options: {
    size?: number;
    timeoutMs?: number;
    maxCrashesPerChunk?: number;
    chunkSize?: number;
  } = {},
): Promise<void> {
  const pool = await VsccPool.start({ size: 2, chunkSize: 6, testHooks: true, ...options });
  try {
    await fn(pool);
  } finally {
    await pool.close();
  }
}

describe('VsccPool: a worker that dies', () => {
  for (const fault of ['exit', 'throw'] as const) {
    it(`mid-chunk (${fault === 'exit' ? 'process.exit' : 'uncaught error'}): the chunk is re-run, the answer complete, the pool full again`, () =>
      withPool(async (pool) => {
        pool.injectFault({ worker: 0, fault, afterTxs: 3 });
        const checks = await pool.checkAll(fx.block.data, ctxOf(fx));
        assert.deepEqual(checks, fx.inline);
        assert.isAtLeast(pool.stats.rerunChunks, 1);
        assert.equal(pool.stats.replaced, 1);
        await eventually(() => pool.stats.live === 2);
        // The replacement loads the channel again and answers like the others.
        assert.deepEqual(await pool.checkAll(fx.block.data, ctxOf(fx)), fx.inline);
      }));
  }

  it('terminated from outside while holding chunks: nothing lost, nothing counted twice', () =>
    withPool(async (pool) => {
      const first = pool.checkAll(fx.block.data, ctxOf(fx));
      const second = pool.checkAll(fx.block.data.slice(0, 20), ctxOf(fx));
      // checkAll hands chunks out synchronously, so worker 1 holds some right now.
      pool.injectFault({ worker: 1, fault: 'terminate' });
      assert.deepEqual(await first, fx.inline);
      assert.deepEqual(await second, fx.inline.slice(0, 20));
      assert.isAtLeast(pool.stats.rerunChunks, 1);
      await eventually(() => pool.stats.live === 2);
      assert.equal(pool.stats.queuedTx, 0);
    }));

  it('a chunk that kills every worker it lands on rejects its call with a typed error', () =>
    withPool(
      async (pool) => {
        pool.injectFault({ worker: 0, fault: 'exit' });
        pool.injectFault({ worker: 1, fault: 'exit' });
        await rejectsWithCode(
          () => pool.checkAll(fx.block.data, ctxOf(fx)),
          'VSCC_POOL_WORKER_CRASHED',
        );
        await eventually(() => pool.stats.live === 2);
        assert.deepEqual(await pool.checkAll(fx.block.data, ctxOf(fx)), fx.inline);
      },
      { maxCrashesPerChunk: 2, chunkSize: 1000 },
    ));
});

describe('VsccPool: answers that never come', () => {
  let pool: VsccPool;
  before(async () => {
    // Long enough that a freshly spawned replacement (module load, first
    // config parse) answers in time on a loaded 2-core machine.
    pool = await VsccPool.start({ size: 1, timeoutMs: 2000, testHooks: true });
  });
  after(() => pool.close());

  it('a checkAll whose worker is stuck rejects with VSCC_POOL_TIMEOUT; the worker is replaced', async () => {
    pool.injectFault({ worker: 0, fault: 'hang', afterTxs: 2 });
    const started = Date.now();
    await rejectsWithCode(() => pool.checkAll(fx.block.data, ctxOf(fx)), 'VSCC_POOL_TIMEOUT');
    assert.isAtLeast(Date.now() - started, 1950);
    assert.equal(pool.stats.queuedTx, 0);
    await eventually(() => pool.stats.live === 1 && pool.stats.replaced === 1);
    assert.deepEqual(await pool.checkAll(fx.block.data, ctxOf(fx)), fx.inline);
  });

  it('fault injection is refused without testHooks', async () => {
    const plain = await VsccPool.start({ size: 1 });
    try {
      assert.throws(() => plain.injectFault({ worker: 0, fault: 'exit' }), /testHooks/);
    } finally {
      await plain.close();
    }
  });
});
