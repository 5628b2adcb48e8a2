import { assert, describe, it } from '@weft/test/harness';
import { benchBasePort } from './bench-ports.js';
import { weftFailure, weftProcess } from './weft-process.js';

/** `weft bench e2e` on a network it starts with `orderer`, briefly, at a low fixed rate. */
async function shortRun(orderer: 'solo' | 'jetstream') {
  const nodes = orderer === 'solo' ? 3 : 5;
  const basePort = await benchBasePort({ orderer, nodes, min: 21_000, max: 23_000 });
  const { stdout } = await weftProcess(
    [
      'bench',
      'e2e',
      '--orderer',
      orderer,
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
    orderer,
    orderers: orderer === 'solo' ? 1 : 3,
    natsServers: orderer === 'solo' ? 0 : 3,
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
  for (const n of r.cpu.nodes) {
    assert.isNumber(n.pid, n.name);
    // A NATS server of a lightly loaded log may use less than a clock tick.
    if (n.roles.includes('nats')) assert.isAtLeast(n.cpuSeconds, 0, n.name);
    else assert.isAbove(n.cpuSeconds, 0, n.name);
    assert.isAtLeast(n.machineShare, 0, n.name);
  }
  assert.isNumber(r.cpu.loadGenerator.cores);
  assert.isAbove(r.cpu.msPerValidTx.ordering, 0);
  assert.isAtMost(r.cpu.msPerValidTx.ordering, r.cpu.msPerValidTx.nodes);
  return r;
}

describe('weft bench e2e (CLI, separate processes)', () => {
  it('drives spends through the gateways of a started solo network and reports Caliper-style JSON', async () => {
    const r = await shortRun('solo');
    assert.lengthOf(r.cpu.nodes, 3);
  });

  it('--orderer jetstream: 3 orderers on 3 NATS servers, each measured', async () => {
    const r = await shortRun('jetstream');
    const roles = r.cpu.nodes.map((n: { roles: string[] }) => n.roles.join('+'));
    assert.equal(roles.filter((x: string) => x === 'orderer').length, 3);
    assert.equal(roles.filter((x: string) => x === 'nats').length, 3);
    assert.lengthOf(r.cpu.nodes, 8);
  });

  it('rejects an unknown orderer with a clear usage error', async () => {
    const failed = await weftFailure('bench', 'e2e', '--orderer', 'kafka');
    assert.equal(failed.code, 1);
    assert.include(failed.stderr, 'expected solo or jetstream');
  });
});
