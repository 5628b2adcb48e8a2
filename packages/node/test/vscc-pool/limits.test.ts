import type { Worker } from 'node:worker_threads';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { installNativeCrypto } from '../../src/crypto/install.js';
import { VsccPool } from '../../src/vscc-pool/index.js';
import type { FromWorker } from '../../src/vscc-pool/protocol.js';
import { DEFAULT_WORKER_LIMITS, spawnVsccWorker } from '../../src/vscc-pool/spawn.js';
import { ctxOf, mixedBlock } from './fixtures.js';

installNativeCrypto();

function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') resolve();
    });
    worker.once('error', reject);
  });
}

describe('VsccPool: worker resource limits', () => {
  it('bounds only the young generation by default (old-generation limits would kill workers)', () => {
    assert.isAbove(DEFAULT_WORKER_LIMITS.maxYoungGenerationSizeMb ?? 0, 0);
    assert.isUndefined(DEFAULT_WORKER_LIMITS.maxOldGenerationSizeMb);
  });

  it('spawnVsccWorker starts the worker with the limits it is given', async () => {
    const worker = spawnVsccWorker({
      testHooks: false,
      resourceLimits: { maxYoungGenerationSizeMb: 12, stackSizeMb: 3 },
    });
    try {
      await ready(worker);
      assert.equal(worker.resourceLimits?.maxYoungGenerationSizeMb, 12);
      assert.equal(worker.resourceLimits?.stackSizeMb, 3);
    } finally {
      await worker.terminate();
    }
  });

  it('a pool with the default limits gives the same verdicts as inline VSCC', async () => {
    const fx = await mixedBlock({ seed: 'vscc-pool-limits', valid: 10 });
    const pool = await VsccPool.start({ size: 2, chunkSize: 4 });
    try {
      assert.deepEqual(await pool.checkAll(fx.block.data, ctxOf(fx)), fx.inline);
    } finally {
      await pool.close();
    }
  });

  it('the pool’s workerResourceLimits reach its workers: limits no worker can start under fail the start', async () => {
    await rejectsWithCode(
      () => VsccPool.start({ size: 1, workerResourceLimits: { maxOldGenerationSizeMb: 2 } }),
      'VSCC_POOL_START_FAILED',
    );
  });
});
