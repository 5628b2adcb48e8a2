import {
  type Block,
  BlockError,
  type Certificate,
  type Channel,
  CodecError,
  ConfigError,
  certificateToCbor,
  type Ed25519Backend,
  encode,
  equalBytes,
  MembershipError,
  type OrderingType,
  openGenesis,
  parseTx,
  type Signer,
  satisfies,
  toHex,
} from '@weft/core';
import type { NodeDatabase } from '../ledger/database.js';
import type { OrdererMetrics } from '../ops/metrics.js';
import { RecentTxids } from './admission.js';
import type { Clock } from './clock.js';
import { OrdererError } from './errors.js';
import type { OrdererStore } from './orderer-store.js';

export interface SoloOrdererOptions {
  /** The node's root database; the orderer uses ['orderer', channel] in it and never closes it. */
  db: NodeDatabase;
  /** The channel's genesis block: the first time it is stored, afterwards it must match. */
  genesis: Block;
  /** The orderer's key: its certificate must be listed in the channel config. */
  signer: Signer;
  /** If given, must be the listed certificate of `signer`'s key. */
  cert?: Certificate;
  clock?: Clock;
  backend?: Ed25519Backend;
  /**
   * Broadcasts not yet settled (being checked, pending in the cutter or
   * waiting for their block to be stored) before new ones get ORDERER_BUSY
   * (default 10,000).
   */
  maxPendingBroadcasts?: number;
  /** Recent txids kept for cheap duplicate refusal, rebuilt from the store on open (default 20,000). */
  recentTxids?: number;
  /** fsync each block before acknowledging (default true; see OrdererStore). */
  sync?: boolean;
  /** Where blocks cut (and, for jetstream, the log's progress) are reported; the node's NodeMetrics. */
  metrics?: OrdererMetrics;
}

/** Where a broadcast envelope was ordered: durably stored in block `block`, at data index `index`. */
export interface BroadcastResult {
  txid: Uint8Array;
  block: number;
  index: number;
}

/**
 * What an orderer checks before it orders anything for a channel: the
 * genesis block is a valid channel config ordered by `ordering` (default
 * 'solo'), `signer` is one of its orderers with a certificate valid `at`
 * (now), and for solo that orderer's signature alone satisfies the
 * block-signature policy, so every block it cuts will pass verifyBlock (a
 * jetstream orderer collects the other orderers' signatures when it does not).
 */
export async function openOrdererChannel(options: {
  genesis: Block;
  signer: Signer;
  cert?: Certificate;
  backend?: Ed25519Backend;
  at: number;
  ordering?: OrderingType;
}): Promise<{ channel: Channel; cert: Certificate }> {
  const ordering = options.ordering ?? 'solo';
  let channel: Channel;
  try {
    ({ channel } = await openGenesis(options.genesis, { backend: options.backend }));
  } catch (err) {
    if (!(err instanceof BlockError || err instanceof ConfigError)) throw err;
    throw new OrdererError('ORDERER_BAD_GENESIS', `genesis: ${err.message}`, { cause: err });
  }
  const name = channel.config.channel;
  const bad = (code: string, message: string, cause?: unknown) =>
    new OrdererError(code, `channel ${name}: ${message}`, { channel: name, cause });
  if (channel.config.ordering.type !== ordering) {
    throw bad('ORDERER_BAD_GENESIS', `ordered by ${channel.config.ordering.type}, not ${ordering}`);
  }
  const id = toHex(options.signer.publicKey);
  const listed = channel.orderers.get(id);
  if (!listed) throw bad('ORDERER_NOT_LISTED', `key ${id} is not one of its orderers`);
  const certBytes = (c: Certificate) => encode(certificateToCbor(c));
  if (options.cert && !equalBytes(certBytes(options.cert), certBytes(listed.cert))) {
    throw bad('ORDERER_NOT_LISTED', 'the given certificate is not the one its config lists');
  }
  try {
    await channel.msp.identify(listed.cert, { at: options.at, roles: ['orderer'] });
  } catch (err) {
    if (!(err instanceof MembershipError)) throw err;
    throw bad('ORDERER_NOT_LISTED', `orderer certificate: ${err.message}`, err);
  }
  if (
    ordering === 'solo' &&
    !satisfies(channel.policies.blockSignatures, [{ org: listed.cert.org, role: 'orderer', id }])
  ) {
    throw bad('ORDERER_BAD_GENESIS', 'its block-signature policy needs more than one orderer');
  }
  return { channel, cert: listed.cert };
}

/**
 * The txids of the newest stored blocks, up to `capacity`, so a restarted
 * orderer still refuses recent resubmissions. Reads blocks newest first and
 * stops as soon as it has enough, so opening stays bounded.
 */
export async function recentTxidsOf(store: OrdererStore, capacity: number): Promise<RecentTxids> {
  const recent = new RecentTxids(capacity);
  const newestFirst: string[][] = [];
  let count = 0;
  for await (const block of store.descending()) {
    if (block.header.number === 0 || count >= capacity) break;
    const ids: string[] = [];
    for (const envelope of block.data) {
      try {
        ids.push(toHex(parseTx(envelope).txid));
      } catch (err) {
        // Only admitted envelopes are stored; skip anything else rather than refuse to start.
        if (!(err instanceof CodecError)) throw err;
      }
    }
    newestFirst.push(ids);
    count += ids.length;
  }
  for (const ids of newestFirst.reverse()) for (const id of ids) recent.add(id);
  return recent;
}
