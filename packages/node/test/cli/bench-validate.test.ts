import { assert, describe, it } from '@weft/test/harness';
import { weftFailure, weftProcess } from './weft-process.js';

describe('weft bench validate (CLI, separate process)', () => {
  for (const kind of ['spend', 'mint']) {
    it(`commits a small ${kind} workload to disk and reports against the signature limit`, async () => {
      const { stdout } = await weftProcess(
        ['bench', 'validate', '--kind', kind, '--txs', '120', '--block-size', '40', '--json'],
        { timeout: 120_000 },
      );
      const r = JSON.parse(stdout);
      assert.equal(r.kind, kind);
      assert.equal(r.blocks, 3);
      assert.deepEqual(r.codes, { VALID: 120 });
      assert.isTrue(r.allValid);
      assert.isAbove(r.verifyPerSec, 0);
      assert.equal(r.limitTxPerSec, Math.round(r.verifyPerSec / r.sigsPerTx));
      assert.closeTo(r.efficiency, r.txPerSec / (r.verifyPerSec / r.sigsPerTx), 0.01);
      assert.isAtMost(r.blockCommitLatencyMs.p50, r.blockCommitLatencyMs.p99);
    });
  }

  it('rejects a bad argument with a usage error', async () => {
    const failed = await weftFailure('bench', 'validate', '--txs', 'zero');
    assert.equal(failed.code, 1);
    assert.include(failed.stderr, 'expected a positive integer');
  });
});
