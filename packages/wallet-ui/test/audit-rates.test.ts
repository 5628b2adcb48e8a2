import { assert, describe, it } from '@weft/test/harness';
import { auditRates } from '../src/auditor/audit-rates.js';

describe("the auditor's progress: rates and time left", () => {
  it('computes throughput and the estimate from counts and elapsed time', () => {
    const r = auditRates({ blocks: 500, txs: 20_000, height: 2000, elapsedMs: 10_000 });
    assert.equal(r.blocksPerSecond, 50);
    assert.equal(r.txsPerSecond, 2000);
    assert.equal(r.fraction, 0.25);
    assert.equal(r.etaSeconds, 30);
  });

  it('has no estimate before the first block, and none left at the end', () => {
    const start = auditRates({ blocks: 0, txs: 0, height: 100, elapsedMs: 0 });
    assert.isUndefined(start.etaSeconds);
    assert.equal(start.fraction, 0);
    const end = auditRates({ blocks: 100, txs: 10, height: 100, elapsedMs: 2000 });
    assert.equal(end.etaSeconds, 0);
    assert.equal(end.fraction, 1);
    assert.isUndefined(auditRates({ blocks: 5, txs: 5, elapsedMs: 1000 }).etaSeconds);
  });
});
