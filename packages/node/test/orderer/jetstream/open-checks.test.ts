import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { encode, utf8 } from '@weft/core';
import { after, assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { openNodeDatabase } from '../../../src/ledger/database.js';
import { JetStreamOrderer } from '../../../src/orderer/jetstream/jetstream-orderer.js';
import { genesisWith, net } from '../fixture.js';
import {
  jetstreamChannel,
  mintsBy,
  OrdererNode,
  ordererMembers,
  startNats,
  submitAll,
  watchdog,
} from './support.js';

watchdog(120_000);
const nats = await startNats();
const servers = nats.cluster.servers;

describe('jetstream orderer: what it checks when it opens', () => {
  after(() => nats.stop());

  it('refuses a solo channel, a signer it does not list, and a stream that is not the configured one', async () => {
    const db = await openNodeDatabase();
    const solo = { db, genesis: net.genesis, signer: net.orderer.signer, sync: false };
    await rejectsWithCode(() => JetStreamOrderer.open(solo), 'ORDERER_BAD_GENESIS');
    const ch = await jetstreamChannel({ servers });
    const base = { db, genesis: ch.genesis, sync: false, log: { openTimeoutMs: 5_000 } };
    await rejectsWithCode(
      () => JetStreamOrderer.open({ ...base, signer: net.client.signer }),
      'ORDERER_NOT_LISTED',
    );
    // Someone made the stream with one replica: not the log this config describes.
    const stream = ch.channel.config.ordering.jetstream!.stream;
    const nc = await connect({ servers });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`weft.${stream}.*`], num_replicas: 1 });
    await nc.close();
    await rejectsWithCode(
      () => JetStreamOrderer.open({ ...base, signer: ordererMembers[0]!.signer }),
      'ORDERER_LOG_MISMATCH',
    );
    // No cluster at these addresses.
    const { genesis } = await genesisWith({ type: 'jetstream' });
    const fresh = await openNodeDatabase();
    await rejectsWithCode(
      () =>
        JetStreamOrderer.open({
          ...base,
          db: fresh,
          genesis,
          servers: ['nats://127.0.0.1:1'],
          signer: net.orderer.signer,
          log: { openTimeoutMs: 500 },
        }),
      'ORDERER_LOG_UNAVAILABLE',
    );
    await fresh.close();
    await db.close();
  });

  it('refuses a stream recreated behind its chain, and a cursor that does not match its tip', async () => {
    const ch = await jetstreamChannel({ servers, batch: { maxTxCount: 2 } });
    const stream = ch.channel.config.ordering.jetstream!.stream;
    const node = await OrdererNode.start(ordererMembers[0]!, ch.genesis);
    await submitAll([node], await mintsBy(4));
    assert.isAtLeast(node.running.height, 3);
    await node.stop();
    const nc = await connect({ servers });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream);
    await nc.close();
    const again = () =>
      JetStreamOrderer.open({
        db: node.db,
        genesis: ch.genesis,
        signer: node.member.signer,
        sync: false,
      });
    await rejectsWithCode(again, 'ORDERER_LOG_MISMATCH');
    // A cursor record that names another block is a corrupt store.
    const meta = node.db.sublevel<Uint8Array, Uint8Array>(
      ['orderer', ch.channel.config.channel, 'meta'],
      {
        keyEncoding: 'view',
        valueEncoding: 'view',
      },
    );
    await meta.put(utf8('cursor'), encode({ block: 1, next: 1 }));
    await rejectsWithCode(again, 'ORDERER_CORRUPT');
    await node.close();
  });
});
