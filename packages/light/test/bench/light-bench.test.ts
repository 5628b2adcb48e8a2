// Smoke test of `pnpm bench:light`'s measuring code in this runtime (Node
// and Chromium run this file): a tiny workload, the report's shape and
// internal consistency. Speed is never asserted.
import { nobleEd25519, webCryptoEd25519 } from '@weft/core';
import { describe, it } from '@weft/test/harness';
import { runLightBench } from '../../bench/light-bench.js';
import { assertRuntimeReport } from './report-shape.js';

const sizes = { headers: 24, txs: 30, txPerBlock: 10, rounds: 2 };

describe('bench:light (smoke, this runtime)', () => {
  it('measures header sync and an audit beside the raw Ed25519 rate', async () => {
    const backend = (await webCryptoEd25519()) ?? nobleEd25519;
    const report = await runLightBench('test', backend, { ...sizes, limitMs: 40 });
    assertRuntimeReport(report, sizes);
  });
});
