import type { Certificate, Channel, JetStreamConfig } from '@weft/core';
import type { RecentTxids } from '../admission.js';
import { OrdererError } from '../errors.js';
import { OrdererStore } from '../orderer-store.js';
import { openOrdererChannel, recentTxidsOf, type SoloOrdererOptions } from '../solo-open.js';
import { corrupt } from '../store-records.js';
import { ChannelLog, type ChannelLogOptions } from './channel-log.js';
import { LOG_TXID_WINDOW } from './log-batcher.js';
import { decodeCursor, type LogCursor } from './log-records.js';

/**
 * A solo orderer's options (its recent-txid set aside: the log's window is
 * fixed) and the log's. `clock` times admission and the batch timer only;
 * block timestamps come from the log.
 */
export interface JetStreamOrdererOptions extends Omit<SoloOrdererOptions, 'recentTxids'> {
  /** NATS URLs as this machine reaches the cluster; default the config's jetstream.servers. */
  servers?: readonly string[];
  /** Log connection timings (tests shorten them). */
  log?: Pick<ChannelLogOptions, 'openTimeoutMs' | 'publishTimeoutMs'>;
}

/** What a jetstream orderer starts from: its stored chain and where in the log it continues. */
export interface OpenedJetStream {
  channel: Channel;
  cert: Certificate;
  store: OrdererStore;
  log: ChannelLog;
  cursor: LogCursor;
  window: RecentTxids;
}

/**
 * Opens what a jetstream orderer of a channel needs, checking it all: the
 * genesis is ordered by 'jetstream' and lists `signer` as an orderer; the
 * store's cursor belongs to its tip; the stream exists as configured and
 * still holds the message the cursor names (a stream that is behind it was
 * recreated: ORDERER_LOG_MISMATCH; one that lost it: ORDERER_LOG_GAP).
 */
export async function openJetStream(
  options: JetStreamOrdererOptions & { at: number },
): Promise<OpenedJetStream> {
  const { channel, cert } = await openOrdererChannel({ ...options, ordering: 'jetstream' });
  const name = channel.config.channel;
  const js = channel.config.ordering.jetstream as JetStreamConfig;
  const store = await OrdererStore.open({
    db: options.db,
    channel: name,
    genesis: options.genesis,
    sync: options.sync,
  });
  let log: ChannelLog | undefined;
  try {
    const tip = store.tip.number;
    const stored = store.cursor;
    if (!stored && tip !== 0) throw corrupt(name, tip, 'no log cursor stored with it');
    const cursor = stored ? decodeCursor(name, tip, stored) : { block: 0, next: 1 };
    const window = await recentTxidsOf(store, LOG_TXID_WINDOW);
    log = await ChannelLog.open({
      servers: options.servers ?? js.servers,
      stream: js.stream,
      replicas: js.replicas,
      name: `weft orderer ${name}`,
      onAppendFailed: (kind) => options.metrics?.logAppendFailed(name, kind),
      ...options.log,
    });
    const { first, last } = log.openedWith;
    if (cursor.next > last + 1) {
      throw new OrdererError(
        'ORDERER_LOG_MISMATCH',
        `channel ${name}: stream ${js.stream} ends at ${last}, but block ${tip} was cut at ${cursor.next - 1}; was the stream recreated?`,
        { channel: name },
      );
    }
    if (last >= first && first > cursor.next) {
      throw new OrdererError(
        'ORDERER_LOG_GAP',
        `channel ${name}: stream ${js.stream} starts at ${first}, past ${cursor.next}`,
        { channel: name },
      );
    }
    return { channel, cert, store, log, cursor, window };
  } catch (err) {
    await log?.close();
    store.close();
    throw err;
  }
}
