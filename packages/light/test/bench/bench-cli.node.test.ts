// Smoke test of the `pnpm bench:light` command itself: Node and a real
// Chromium (bundled page, Web Workers, worker_threads), tiny workloads, one
// JSON object on stdout. Speed is never asserted.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { assert, describe, it } from '@weft/test/harness';
import type { RuntimeReport } from '../../bench/light-bench.js';
import { assertRuntimeReport } from './report-shape.js';

const main = fileURLToPath(new URL('../../bench/main.ts', import.meta.url));
const sizes = { headers: 24, txs: 30, txPerBlock: 10, rounds: 1 };

describe('bench:light command (smoke)', () => {
  it('prints one JSON report for Node and Chromium, with worker pools', async () => {
    const args = [
      ...[
        '--import',
        'tsx',
        main,
        '--runtime',
        'both',
        '--json',
        '--workers',
        '1',
        '--vscc-workers',
        '1',
      ],
      ...['--headers', '24', '--txs', '30', '--tx-per-block', '10', '--rounds', '1'],
      ...['--limit-ms', '40'],
    ];
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      timeout: 240_000,
      maxBuffer: 1 << 20,
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(out.bench, 'light');
    assert.deepEqual(out.targets, { headerEfficiency: 0.8, auditEfficiency: 0.7 });
    for (const runtime of ['node', 'chromium'] as const) {
      const r = out[runtime] as RuntimeReport;
      assertRuntimeReport(r, sizes);
      assert.equal(r.workers, 1, runtime);
      assert.equal(r.vsccWorkers, 1, runtime);
      assert.equal(r.clientBackend, 'webcrypto-workers', runtime);
      // The limit holds the client's workers to their own raw rate.
      assert.lengthOf(r.ed25519VerifyPerSecWorkers, 3, runtime);
      for (const rate of r.ed25519VerifyPerSecWorkers) assert.isAbove(rate, 0, runtime);
    }
    const both = [out.node, out.chromium] as RuntimeReport[];
    assert.equal(
      out.targetsMet,
      both.every((r) => r.headerTargetMet && r.auditTargetMet),
    );
  });
});
