// What every runtime's report of `pnpm bench:light` must hold, whatever the
// machine's speed: positive rates, the limits and ratios derived from them
// as documented, and target flags that agree with the ratios. Wall-clock
// speed itself is never asserted.
import { assert } from '@weft/test/harness';
import { type RuntimeReport, TARGETS } from '../../bench/light-bench.js';

const close = (actual: number, expected: number, what: string) =>
  assert.approximately(actual, expected, Math.max(1e-3, expected * 0.01), what);

export function assertRuntimeReport(
  r: RuntimeReport,
  o: { headers: number; txs: number; txPerBlock: number; rounds: number },
): void {
  for (const key of [
    'ed25519VerifyPerSec',
    'headersPerSec',
    'headerSigsPerHeader',
    'headerLimit',
    'headerEfficiency',
    'auditTxPerSec',
    'sigsPerTx',
    'auditLimitTxPerSec',
    'auditEfficiency',
  ] as const) {
    assert.isTrue(Number.isFinite(r[key]) && r[key] > 0, `${key} = ${r[key]}`);
  }
  assert.equal(r.headers, o.headers);
  assert.equal(r.txs, o.txs);
  assert.equal(r.txPerBlock, o.txPerBlock);
  // Genesis, the mint block(s), then the spends in blocks of txPerBlock.
  assert.isAtLeast(r.blocks, 1 + Math.ceil(o.txs / o.txPerBlock));
  assert.lengthOf(r.headersPerSecRounds, o.rounds);
  assert.lengthOf(r.auditTxPerSecRounds, o.rounds);
  assert.lengthOf(r.ed25519VerifyPerSecSequential, 2 * o.rounds + 1);
  // The limit is the fastest way found to verify raw: never below any slice's measurements.
  const slices = r.ed25519VerifyPerSecSequential.map((s, i) =>
    Math.max(s, r.ed25519VerifyPerSecConcurrent[i]!, r.ed25519VerifyPerSecWorkers[i] ?? 0),
  );
  const sorted = [...slices].sort((a, b) => a - b);
  assert.equal(
    r.ed25519VerifyPerSec,
    sorted[sorted.length >> 1],
    'the limit is the median best slice',
  );
  // One orderer signature per header (plus the genesis's certificates, once).
  assert.isAtLeast(r.headerSigsPerHeader, 1);
  assert.isAtMost(r.headerSigsPerHeader, 1 + 10 / o.headers);
  // Creator and two endorsements per transaction, plus per-block signatures.
  assert.isAtLeast(r.sigsPerTx, 3);
  assert.isAtMost(r.sigsPerTx, 3 + 10 / o.txPerBlock + 20 / o.txs);
  close(r.headerLimit, r.ed25519VerifyPerSec / r.headerSigsPerHeader, 'headerLimit');
  close(r.auditLimitTxPerSec, r.ed25519VerifyPerSec / r.sigsPerTx, 'auditLimitTxPerSec');
  close(r.headerEfficiency, r.headersPerSec / r.headerLimit, 'headerEfficiency');
  close(r.auditEfficiency, r.auditTxPerSec / r.auditLimitTxPerSec, 'auditEfficiency');
  assert.equal(r.headerTargetMet, r.headerEfficiency >= TARGETS.headerEfficiency);
  assert.equal(r.auditTargetMet, r.auditEfficiency >= TARGETS.auditEfficiency);
  assert.include(['webcrypto', 'noble'], r.backend);
}
