import {
  type Block,
  BlockError,
  blockHash,
  type ChainTip,
  type Channel,
  CodecError,
  type Ed25519Backend,
  equalBytes,
  type LightHeader,
  openGenesis,
  verifyHeader,
  WeftError,
} from '@weft/core';
import { StoreError, VerificationError } from '../errors.js';
import type { HeaderVerifier } from './header-pool.js';
import type { HeaderStore } from './store.js';

/**
 * The genesis block a node served, accepted only if it hashes to the trust
 * anchor, opens as a channel config, and is of the channel the client asks
 * about. Anything else is that node's lie (LIGHT_BAD_GENESIS).
 */
export async function openTrustedGenesis(o: {
  block: Block;
  node: string;
  genesisHash: Uint8Array;
  channel: string;
  backend?: Ed25519Backend;
}): Promise<Channel> {
  let channel: Channel;
  try {
    channel = (await openGenesis(o.block, { expectedHash: o.genesisHash, backend: o.backend }))
      .channel;
  } catch (err) {
    // BlockError for the block, ConfigError or CodecError for the config inside it.
    if (!(err instanceof WeftError)) throw err;
    throw new VerificationError('LIGHT_BAD_GENESIS', o.node, `genesis: ${err.message}`, {
      reason: err.code,
      cause: err,
    });
  }
  if (channel.config.channel !== o.channel) {
    const name = channel.config.channel;
    throw new VerificationError(
      'LIGHT_BAD_GENESIS',
      o.node,
      `the trusted genesis is of channel ${name}, not ${o.channel}`,
    );
  }
  return channel;
}

/**
 * Checks the header after `previous` with core's verifyHeader (link, then
 * orderer signatures under the channel's block-signature policy). Throws
 * VerificationError LIGHT_BAD_HEADER naming `node`, with the core check's
 * code as `reason`.
 */
export async function verifyNextHeader(o: {
  h: LightHeader;
  previous: ChainTip;
  channel: Channel;
  node: string;
  backend?: Ed25519Backend;
  /** blockHash(o.h.header), when the caller has computed it. */
  hash?: Uint8Array;
  /** What runs core's verifyHeader (default: core's, on this thread). */
  verifyHeader?: HeaderVerifier;
}): Promise<void> {
  const expected = o.previous.number + 1;
  const { header, signatures } = o.h;
  if (header.number !== expected)
    throw badHeader(
      o.node,
      expected,
      'LIGHT_OUT_OF_SEQUENCE',
      `got header ${header.number} instead`,
    );
  try {
    await (o.verifyHeader ?? verifyHeader)({
      header,
      signatures,
      previous: o.previous,
      channel: o.channel,
      backend: o.backend,
      hash: o.hash,
    });
  } catch (err) {
    if (!(err instanceof BlockError)) throw err;
    throw badHeader(o.node, expected, err.code, err.message, err);
  }
  // Config blocks after genesis (a new orderer set) are produced by no Weft
  // orderer yet, so later headers could not be judged under the config in
  // force. Checked after the signatures: an orderer-signed header naming one
  // is no node's lie, hence not a VerificationError.
  if (header.lastConfig !== 0)
    throw new WeftError(
      'LIGHT_CONFIG_UNSUPPORTED',
      `block ${header.number} names config block ${header.lastConfig}; config updates are not supported yet`,
    );
}

/** A module function rather than a closure: it would be made for every header. */
function badHeader(
  node: string,
  expected: number,
  reason: string,
  message: string,
  cause?: unknown,
): VerificationError {
  return new VerificationError('LIGHT_BAD_HEADER', node, `header ${expected}: ${message}`, {
    reason,
    cause,
  });
}

/**
 * What a store holds for this chain, checked to hang together without
 * re-verifying signatures: a genesis that opens under the trusted hash, and
 * a tip that is the hash of its header and links to the header before it.
 * Anything else is LIGHT_STORE_CORRUPT. Undefined when nothing is stored.
 */
export async function loadStoredChain(
  store: HeaderStore,
  open: (genesis: Block) => Promise<Channel>,
): Promise<{ channel: Channel; tip: ChainTip } | undefined> {
  const corrupt = (why: string, cause?: unknown) =>
    new StoreError('LIGHT_STORE_CORRUPT', `stored chain: ${why}`, { cause });
  try {
    const genesis = await store.genesis();
    if (!genesis) return undefined;
    let channel: Channel;
    try {
      channel = await open(genesis);
    } catch (err) {
      throw corrupt('the genesis does not open under the trusted hash and channel', err);
    }
    const tip = await store.tip();
    const head = tip && (await store.header(tip.number));
    if (!tip || !head || !equalBytes(blockHash(head.header), tip.hash))
      throw corrupt('the tip is not the hash of its header');
    if (tip.number > 0) {
      const before = await store.header(tip.number - 1);
      if (!before || !equalBytes(blockHash(before.header), head.header.previousHash))
        throw corrupt('the tip does not link to the header before it');
    }
    return { channel, tip };
  } catch (err) {
    // Bytes that do not decode are as corrupt as a tip that does not match.
    if (err instanceof CodecError) throw corrupt(err.message, err);
    throw err;
  }
}
