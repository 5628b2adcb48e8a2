import { assert, describe, it } from '@weft/test/harness';
import { benchBasePort } from './bench-ports.js';
import { weftFailure, weftProcess } from './weft-process.js';

const TXS = 240;

/** `weft bench order` on an ordering service it starts, briefly. */
async function shortRun(orderer: 'solo' | 'jetstream') {
  const nodes = orderer === 'solo' ? 1 : 3;
  const basePort = await benchBasePort({ orderer, nodes, min: 23_000, max: 24_000 });
  const { stdout } = await weftProcess(
    [
      'bench',
      'order',
      '--orderer',
      orderer,
      '--txs',
      String(TXS),
      '--in-flight',
      '60',
      '--base-port',
      String(basePort),
      '--json',
    ],
    { timeout: 180_000 },
  );
  const r = JSON.parse(stdout);
  assert.deepInclude(r.topology, { orderer, orderers: nodes, peers: 0 });
  assert.deepInclude(r.load, { mode: 'closed-loop', inFlight: 60, broadcasters: 2 });
  assert.equal(r.load.connections, 2 * nodes);
  // Every envelope acknowledged, and in the delivered blocks exactly once.
  assert.deepInclude(r, { sent: TXS, acked: TXS, failed: 0, ordered: TXS });
  assert.deepInclude(r, { duplicates: 0, missing: 0, foreign: 0, complete: true });
  assert.isTrue(r.everyEnvelopeOnce);
  assert.isTrue(r.agreed, 'every orderer delivered the same blocks');
  // The orderer's own metrics counted as many cuts as blocks were delivered.
  assert.isAbove(r.blocks, 0);
  const cuts = Object.values(r.cuts as Record<string, number>).reduce((s, n) => s + n, 0);
  assert.equal(cuts, r.blocks, JSON.stringify(r.cuts));
  assert.isAtMost(Math.abs(r.envelopesPerBlock * r.blocks - TXS), r.blocks);
  for (const key of ['throughput', 'ackThroughput', 'seconds']) assert.isAbove(r[key], 0, key);
  const { min, p50, p99, max } = r.latencyMs;
  assert.isAbove(min, 0);
  assert.isAtMost(min, p50);
  assert.isAtMost(p50, p99);
  assert.isAtMost(p99, max);
  // The limits are measured, and the efficiency is throughput against the lower one.
  assert.isAbove(r.limits.admission.verifyPerSecOneThread, 0);
  assert.isAtMost(r.limits.limit, r.limits.admission.envelopesPerSec);
  assert.closeTo(r.limits.efficiency, r.throughput / r.limits.limit, 0.001);
  const ordering = r.cpu.nodes.filter((n: { roles: string[] }) => n.roles.includes('orderer'));
  assert.lengthOf(ordering, nodes);
  for (const n of ordering) assert.isAbove(n.cpuSeconds, 0, n.name);
  assert.isAbove(r.cpu.msPerEnvelope.ordering, 0);
  return r;
}

describe('weft bench order (CLI, separate processes)', () => {
  it('solo: every envelope broadcast over libp2p is ordered once, against the admission limit', async () => {
    const r = await shortRun('solo');
    assert.equal(r.topology.natsServers, 0);
    assert.isNull(r.limits.logAppend);
    assert.equal(r.limits.limit, r.limits.admission.envelopesPerSec);
  });

  it('jetstream: three orderers agree block for block, against the admission and JetStream append limits', async () => {
    const r = await shortRun('jetstream');
    assert.equal(r.topology.natsServers, 3);
    assert.isAbove(r.limits.logAppend.appendsPerSec, 0);
    assert.equal(r.limits.logAppend.appends, TXS);
    assert.equal(
      r.limits.limit,
      Math.min(r.limits.admission.envelopesPerSec, r.limits.logAppend.appendsPerSec),
    );
    const nats = r.cpu.nodes.filter((n: { roles: string[] }) => n.roles.includes('nats'));
    assert.lengthOf(nats, 3);
    for (const n of nats) assert.isNumber(n.pid, n.name);
  });

  it('rejects a --in-flight that is not a positive integer with a usage error', async () => {
    const failed = await weftFailure('bench', 'order', '--txs', '1', '--in-flight', '0');
    assert.equal(failed.code, 1);
    assert.include(failed.stderr, 'expected a positive integer');
  });
});
