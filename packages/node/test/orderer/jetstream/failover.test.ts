import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { after, assert, describe, it } from '@weft/test/harness';
import { verifyChain } from '../fixture.js';
import {
  agreedChains,
  assertAllOrdered,
  jetstreamChannel,
  mintsBy,
  startNats,
  startOrderers,
  submitAll,
  watchdog,
} from './support.js';

watchdog(150_000);
const nats = await startNats();
const { cluster } = nats;

/** Index of the NATS server leading the stream's Raft group (the one whose loss hurts most). */
async function streamLeader(stream: string): Promise<number> {
  const nc = await connect({ servers: cluster.servers });
  try {
    const jsm = await jetstreamManager(nc);
    const leader = (await jsm.streams.info(stream)).cluster?.leader;
    const i = cluster.specs.findIndex((s) => s.name === leader);
    assert.isAtLeast(i, 0, `stream ${stream} has a leader (${leader})`);
    return i;
  } finally {
    await nc.close();
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('jetstream ordering: failures', () => {
  after(() => nats.stop());

  it('keeps ordering when the NATS server leading the stream is killed under load, losing nothing acknowledged', async () => {
    const ch = await jetstreamChannel({
      servers: cluster.servers,
      batch: { maxTxCount: 10, batchTimeoutMs: 50 },
    });
    const stream = ch.channel.config.ordering.jetstream!.stream;
    const nodes = await startOrderers(ch.genesis);
    try {
      const txs = await mintsBy(240);
      const victim = await streamLeader(stream);
      const submitted = await submitAll(nodes, txs, {
        concurrency: 12,
        during: async () => {
          await settle(150);
          await cluster.kill(victim);
          await settle(1_500);
          await cluster.restart(victim);
        },
      });
      assert.isTrue(cluster.running(victim), 'the server is back');
      const chains = await agreedChains(
        nodes,
        submitted.map((s) => s.ack),
      );
      await verifyChain(chains[0]!, ch.genesis, ch.channel);
      assertAllOrdered(chains[0]!, submitted);
      assert.isAbove(submitted.filter((s) => s.ack).length, 0);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });

  it('an orderer stopped under load resumes from its cursor and cuts the same blocks; so does everything after a full restart', async () => {
    const ch = await jetstreamChannel({
      servers: cluster.servers,
      batch: { maxTxCount: 6, batchTimeoutMs: 40 },
    });
    const nodes = await startOrderers(ch.genesis);
    try {
      const txs = await mintsBy(150);
      const first = await submitAll(nodes, txs.slice(0, 90), {
        concurrency: 8,
        during: async () => {
          await settle(100);
          await nodes[2]!.stop();
          await settle(300);
          await nodes[2]!.restart();
        },
      });
      let chains = await agreedChains(
        nodes,
        first.map((s) => s.ack),
      );

      // Everything down: orderers, then the NATS cluster; then all back.
      await Promise.all(nodes.map((n) => n.stop()));
      await cluster.stop();
      await Promise.all(cluster.specs.map((_, i) => cluster.restart(i)));
      await Promise.all(nodes.map((n) => n.restart()));
      for (const n of nodes)
        assert.equal(n.running.height, chains[0]!.length, 'the chain survived');
      const second = await submitAll(nodes, txs.slice(90), { concurrency: 8 });
      chains = await agreedChains(
        nodes,
        second.map((s) => s.ack),
      );
      await verifyChain(chains[0]!, ch.genesis, ch.channel);
      assertAllOrdered(chains[0]!, [...first, ...second]);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });
});
