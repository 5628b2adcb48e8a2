import { PassThrough } from 'node:stream';
import { assert, describe, it } from '@weft/test/harness';
import {
  componentLogger,
  createLogger,
  type HealthReport,
  NodeMetrics,
  startOpsServer,
} from '../../src/ops/index.js';

function capture() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  return { stream, lines };
}

describe('ops: logger', () => {
  it('writes JSON lines by default, with node name, component and error codes', async () => {
    const { stream, lines } = capture();
    const log = createLogger({ name: 'peer0', destination: stream, level: 'debug' });
    const gossip = componentLogger(log, 'gossip', { channel: 'weft' });
    gossip.debug({ height: 3 }, 'caught up');
    const err = Object.assign(new Error('bad block'), { code: 'BLOCK_DATA_HASH' });
    gossip.error({ err }, 'rejected');
    log.trace('hidden below debug');
    await new Promise((r) => setImmediate(r));
    assert.lengthOf(lines, 2);
    const first = JSON.parse(lines[0]!);
    assert.deepInclude(first, {
      node: 'peer0',
      component: 'gossip',
      channel: 'weft',
      height: 3,
      msg: 'caught up',
    });
    assert.equal(JSON.parse(lines[1]!).err.code, 'BLOCK_DATA_HASH');
  });

  it('pretty: true prints human-readable lines instead', async () => {
    const { stream, lines } = capture();
    createLogger({ destination: stream, pretty: true }).info({ channel: 'weft' }, 'joined');
    await new Promise((r) => setImmediate(r));
    assert.isNotEmpty(lines);
    assert.include(lines[0], 'joined');
    assert.throws(() => JSON.parse(lines[0]!));
  });
});

describe('ops: metrics', () => {
  it('keeps each node in its own registry, labelled with the node name', async () => {
    const a = new NodeMetrics({ node: 'a', processMetrics: false });
    const b = new NodeMetrics({ node: 'b', processMetrics: false });
    a.setLedgerHeight('weft', 7);
    a.txCommitted('weft', 'VALID', 5);
    a.txCommitted('weft', 'MVCC_READ_CONFLICT');
    a.txCommitted('weft', 'VALID', 0);
    a.gossipMessage({ channel: 'weft', direction: 'in', type: 'block', verdict: 'reject' });
    a.setConnectedPeers(3);
    a.setLeader('weft', true);
    a.blockCut('weft', 'timeout');
    a.rpcRequest('/weft/deliver/1.0.0', 'ok');
    const text = await a.text();
    for (const line of [
      'weft_ledger_height{channel="weft",node="a"} 7',
      'weft_committed_transactions_total{channel="weft",code="VALID",node="a"} 5',
      'weft_committed_transactions_total{channel="weft",code="MVCC_READ_CONFLICT",node="a"} 1',
      'weft_gossip_messages_total{channel="weft",direction="in",type="block",verdict="reject",node="a"} 1',
      'weft_connected_peers{node="a"} 3',
      'weft_gossip_leader{channel="weft",node="a"} 1',
      'weft_orderer_blocks_cut_total{channel="weft",reason="timeout",node="a"} 1',
      'weft_rpc_requests_total{protocol="/weft/deliver/1.0.0",outcome="ok",node="a"} 1',
    ]) {
      assert.include(text, line);
    }
    assert.notInclude(await b.text(), 'weft_ledger_height{');
    a.forgetChannel('weft');
    assert.notInclude(await a.text(), 'weft_ledger_height{');
  });

  it('reads a watched orderer log at each scrape, counts its events, and drops its gauges when unwatched', async () => {
    const m = new NodeMetrics({ node: 'o', processMetrics: false });
    const log = { consumedSeq: 5, appliedSeq: 3, pending: 2, connected: true };
    const unwatch = m.watchOrdererLog('weft', () => log);
    m.ttcMarker('weft', 'sent');
    m.logSkipped('weft', 'duplicate');
    m.logAppendFailed('weft', 'tx');
    m.blockCut('weft', 'forced');
    const expect = async (lines: string[]) => {
      const text = await m.text();
      for (const line of lines) assert.include(text, line);
    };
    await expect([
      'weft_orderer_log_consumed_sequence{channel="weft",node="o"} 5',
      'weft_orderer_log_applied_sequence{channel="weft",node="o"} 3',
      'weft_orderer_pending_envelopes{channel="weft",node="o"} 2',
      'weft_orderer_log_connected{channel="weft",node="o"} 1',
      'weft_orderer_ttc_markers_total{channel="weft",outcome="sent",node="o"} 1',
      'weft_orderer_log_skipped_total{channel="weft",reason="duplicate",node="o"} 1',
      'weft_orderer_log_appends_failed_total{channel="weft",kind="tx",node="o"} 1',
      'weft_orderer_blocks_cut_total{channel="weft",reason="forced",node="o"} 1',
    ]);
    Object.assign(log, { consumedSeq: 9, appliedSeq: 9, pending: 0, connected: false });
    await expect([
      'weft_orderer_log_consumed_sequence{channel="weft",node="o"} 9',
      'weft_orderer_log_connected{channel="weft",node="o"} 0',
    ]);
    unwatch();
    assert.notInclude(await m.text(), 'weft_orderer_log_consumed_sequence{');
  });

  it('includes process metrics unless turned off', async () => {
    assert.include(await new NodeMetrics().text(), 'weft_process_cpu_seconds_total');
  });
});

describe('ops: HTTP server (real HTTP, port 0)', () => {
  it('serves /metrics, /healthz (200 then 503), 404 and 405, and closes with keep-alive clients', async () => {
    const metrics = new NodeMetrics({ node: 'n', processMetrics: false });
    metrics.setLedgerHeight('weft', 12);
    let report: HealthReport = {
      ready: true,
      channels: [{ name: 'weft', height: 12, leader: true }],
    };
    const server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      health: () => report,
    });
    try {
      assert.isAbove(server.port, 0);
      const m = await fetch(`${server.url}/metrics`);
      assert.equal(m.status, 200);
      assert.match(m.headers.get('content-type') ?? '', /^text\/plain/);
      assert.include(await m.text(), 'weft_ledger_height{channel="weft",node="n"} 12');

      const ok = await fetch(`${server.url}/healthz`);
      assert.equal(ok.status, 200);
      const body = await ok.json();
      assert.equal(body.status, 'ok');
      assert.deepEqual(body.channels, [{ name: 'weft', height: 12, leader: true }]);
      assert.isAtLeast(body.uptimeSeconds, 0);

      report = { ready: false, channels: [], reasons: ['ledger opening'] };
      const down = await fetch(`${server.url}/healthz?verbose=1`);
      assert.equal(down.status, 503);
      assert.deepInclude(await down.json(), { status: 'unavailable', reasons: ['ledger opening'] });

      const throwing = await startOpsServer({
        host: '127.0.0.1',
        port: 0,
        metrics,
        health: () => {
          throw new Error('db closed');
        },
      });
      const t = await fetch(`${throwing.url}/healthz`);
      assert.equal(t.status, 503);
      assert.include((await t.json()).reasons[0], 'db closed');
      await throwing.close();

      assert.equal((await fetch(`${server.url}/`)).status, 404);
      assert.equal((await fetch(`${server.url}/metrics/x`)).status, 404);
      const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get('allow'), 'GET');
    } finally {
      await server.close();
    }
    await server.close();
    await fetch(`${server.url}/metrics`).then(
      () => assert.fail('server still answering'),
      () => undefined,
    );
  });

  it('a taken port is an OPS_LISTEN error', async () => {
    const metrics = new NodeMetrics({ processMetrics: false });
    const first = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      health: () => ({ ready: true, channels: [] }),
    });
    try {
      const err = await startOpsServer({
        host: '127.0.0.1',
        port: first.port,
        metrics,
        health: () => ({ ready: true, channels: [] }),
      }).catch((e) => e);
      assert.equal(err.code, 'OPS_LISTEN');
    } finally {
      await first.close();
    }
  });
});
