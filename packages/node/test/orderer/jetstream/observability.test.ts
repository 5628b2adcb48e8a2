// What an operator sees of a jetstream orderer: its place in the log on
// /healthz and its counters and gauges on /metrics, served over real HTTP
// by the ops server, moving as the orderers (real nats-server cluster) cut
// blocks, skip a duplicate, lose the log and get it back.
import { after, assert, describe, it } from '@weft/test/harness';
import {
  type HealthReport,
  NodeMetrics,
  seriesWith,
  startOpsServer,
} from '../../../src/ops/index.js';
import { ManualClock } from '../../../src/orderer/clock.js';
import type { OrdererError } from '../../../src/orderer/errors.js';
import { ordererLogHealth } from '../../../src/orderer/jetstream/log-health.js';
import {
  jetstreamChannel,
  mintsBy,
  net,
  ordererMembers,
  rawLog,
  startNats,
  startOrderers,
  untilHeight,
  watchdog,
} from './support.js';

watchdog(150_000);
const nats = await startNats();
const { cluster } = nats;

/** The value of series `name` whose labels include `labels`; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  return seriesWith(text, name, labels)[0]?.value;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    assert.isBelow(Date.now(), deadline, what);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('jetstream orderer: log position on /healthz and /metrics', () => {
  after(() => nats.stop());

  it('health and metrics follow blocks cut by count and by marker, a skipped duplicate, and a lost log', async () => {
    const ch = await jetstreamChannel({ servers: cluster.servers, batch: { maxTxCount: 3 } });
    const name = ch.channel.config.channel;
    const clocks = ordererMembers.map(() => new ManualClock(net.time));
    const metrics = ordererMembers.map(
      (m) => new NodeMetrics({ node: m.name, processMetrics: false }),
    );
    const nodes = await startOrderers(ch.genesis, (i) => ({
      clock: clocks[i],
      metrics: metrics[i],
      log: { openTimeoutMs: 20_000, publishTimeoutMs: 1_000 },
    }));
    // Orderer 0's ops endpoint, with the health a node builds for it.
    const ops = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      metrics: metrics[0]!,
      health: (): HealthReport => {
        const log = ordererLogHealth(name, nodes[0]!.orderer);
        assert.isDefined(log, 'a jetstream orderer has log health');
        return {
          ready: !log!.failed,
          channels: [{ name, height: nodes[0]!.running.height, ...log!.detail }],
          reasons: log!.reasons,
        };
      },
    });
    const healthz = async () => {
      const res = await fetch(`${ops.url}/healthz`);
      const body = await res.json();
      return { status: res.status, body, log: body.channels[0].ordererLog };
    };
    const scrape = async (i = 0) =>
      i === 0 ? (await fetch(`${ops.url}/metrics`)).text() : metrics[i]!.text();
    const at = (text: string, metric: string, labels: Record<string, string> = {}) =>
      sample(text, `weft_orderer_${metric}`, { channel: name, ...labels });
    try {
      const fresh = await healthz();
      assert.equal(fresh.status, 200);
      assert.deepInclude(fresh.log, {
        stream: ch.channel.config.ordering.jetstream!.stream,
        consumedSeq: 0,
        appliedSeq: 0,
        cutHeight: 1,
        height: 1,
        pending: 0,
      });
      assert.isTrue(fresh.log.nats.connected);
      assert.include(
        cluster.specs.map((s) => `127.0.0.1:${s.clientPort}`),
        fresh.log.nats.server,
      );
      let text = await scrape();
      assert.equal(at(text, 'log_connected'), 1);
      assert.equal(at(text, 'log_consumed_sequence'), 0);

      // Three envelopes: a block cut by count, on every orderer.
      const txs = await mintsBy(6);
      const acks = await Promise.all(
        txs.slice(0, 3).map((t) => nodes[0]!.running.broadcast(t.bytes)),
      );
      assert.deepEqual(
        acks.map((a) => a.block),
        [1, 1, 1],
      );
      await untilHeight(nodes, 2);
      const one = await healthz();
      assert.deepInclude(one.log, { consumedSeq: 3, appliedSeq: 3, cutHeight: 2, height: 2 });
      for (const i of [0, 1, 2]) {
        text = await scrape(i);
        assert.equal(at(text, 'blocks_cut_total', { reason: 'count' }), 1, `orderer ${i}`);
        assert.equal(at(text, 'log_consumed_sequence'), 3, `orderer ${i}`);
        assert.equal(at(text, 'log_applied_sequence'), 3, `orderer ${i}`);
      }

      // A client's retry appended to the log again: consumed, skipped, in no block.
      const raw = await rawLog(cluster.servers, ch.channel.config.ordering.jetstream!.stream);
      try {
        assert.equal(await raw.publish('tx', txs[0]!.bytes), 4);
      } finally {
        await raw.nc.close();
      }
      await until('every orderer reads the copy', () =>
        nodes.every((n) => n.running.progress.consumedSeq === 4),
      );
      const dup = await healthz();
      assert.deepInclude(dup.log, { consumedSeq: 4, appliedSeq: 3, pending: 0 });
      assert.deepEqual(dup.log.skipped, { duplicate: 1, invalid: 0 });
      for (const i of [0, 1, 2]) {
        assert.equal(at(await scrape(i), 'log_skipped_total', { reason: 'duplicate' }), 1);
      }

      // One envelope waits; orderer 1's batch timer sends the marker that cuts it everywhere.
      const waiting = nodes[0]!.running.broadcast(txs[3]!.bytes);
      await until('every orderer holds it pending', () =>
        nodes.every((n) => n.running.pending === 1),
      );
      text = await scrape();
      assert.equal(at(text, 'pending_envelopes'), 1);
      assert.equal(at(text, 'log_consumed_sequence'), 5);
      clocks[1]!.advance(ch.channel.config.ordering.batchTimeoutMs);
      assert.equal((await waiting).block, 2);
      await untilHeight(nodes, 3);
      assert.deepInclude((await healthz()).log, {
        consumedSeq: 6,
        appliedSeq: 6,
        cutHeight: 3,
        pending: 0,
      });
      for (const i of [0, 1, 2]) {
        text = await scrape(i);
        assert.equal(at(text, 'blocks_cut_total', { reason: 'timeout' }), 1, `orderer ${i}`);
        assert.equal(at(text, 'ttc_markers_total', { outcome: 'cut' }), 1, `orderer ${i}`);
        assert.equal(at(text, 'ttc_markers_total', { outcome: 'sent' }), i === 1 ? 1 : undefined);
        assert.isUndefined(at(text, 'ttc_markers_total', { outcome: 'ignored' }));
      }

      // The whole cluster goes: the connection is down and an append times out.
      await Promise.all(cluster.specs.map((_, i) => cluster.kill(i)));
      await until('the orderer notices', async () => !(await healthz()).log.nats.connected);
      const down = await healthz();
      assert.equal(down.status, 200, 'degraded, not failed: the client reconnects by itself');
      assert.include(down.body.reasons.join(), 'not connected to NATS');
      assert.equal(at(await scrape(), 'log_connected'), 0);
      const refused = await nodes[0]!.running
        .broadcast(txs[4]!.bytes)
        .catch((e: OrdererError) => e);
      assert.equal((refused as OrdererError).code, 'ORDERER_LOG_UNAVAILABLE');
      assert.equal(at(await scrape(), 'log_appends_failed_total', { kind: 'tx' }), 1);

      // It comes back: connected again, and ordering goes on.
      await Promise.all(cluster.specs.map((_, i) => cluster.restart(i)));
      await until('reconnected', async () => (await healthz()).log.nats.connected, 30_000);
      assert.equal(at(await scrape(), 'log_connected'), 1);
      assert.isUndefined((await healthz()).body.reasons);
    } finally {
      await ops.close();
      await Promise.all(nodes.map((n) => n.close()));
    }
  });
});
