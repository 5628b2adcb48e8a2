import { assert, describe, it } from '@weft/test/harness';
import { weftFailure, weftProcess } from './weft-process.js';

describe('weft bench e2e (CLI, separate processes)', () => {
  it('drives spends through the gateways of a started network and reports Caliper-style JSON', async () => {
    const basePort = 21_000 + Math.floor(Math.random() * 200) * 40;
    const { stdout } = await weftProcess(
      [
        'bench',
        'e2e',
        '--duration',
        '3',
        '--rate',
        '10',
        '--clients',
        '2',
        '--base-port',
        String(basePort),
        '--json',
      ],
      { timeout: 180_000 },
    );
    const r = JSON.parse(stdout);
    assert.deepInclude(r.topology, {
      orderer: 'solo',
      orderers: 1,
      orgs: 2,
      peersPerOrg: 1,
      gateways: 2,
    });
    assert.equal(r.load.mode, 'fixed-rate');
    assert.equal(r.setup.coins, 30);
    assert.equal(r.sent, 30);
    assert.isAbove(r.succeeded, 0);
    assert.equal(r.failed, 0, JSON.stringify(r.failures));
    assert.equal(r.succeeded + r.failed, r.sent);
    for (const key of ['sendRate', 'throughput', 'seconds']) assert.isAbove(r[key], 0, key);
    const { min, avg, p50, p99, max } = r.latencyMs;
    assert.isAbove(min, 0);
    assert.isAtMost(min, p50);
    assert.isAtMost(p50, p99);
    assert.isAtMost(p99, max);
    assert.isAtLeast(avg, min);
    assert.isAtMost(avg, max);
    assert.lengthOf(r.cpu.nodes, 3);
    for (const n of r.cpu.nodes) {
      assert.isNumber(n.pid, n.name);
      assert.isAbove(n.cpuSeconds, 0, n.name);
      assert.isAtLeast(n.machineShare, 0, n.name);
    }
    assert.isNumber(r.cpu.loadGenerator.cores);
  });

  it('rejects an orderer other than solo with a clear usage error', async () => {
    const failed = await weftFailure('bench', 'e2e', '--orderer', 'jetstream');
    assert.equal(failed.code, 1);
    assert.include(failed.stderr, 'only solo exists now');
  });
});
