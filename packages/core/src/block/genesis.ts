import { equalBytes, toHex } from '../bytes.js';
import { type Channel, loadChannel } from '../config/channel.js';
import type { ChannelConfig } from '../config/channel-config.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { CodecError } from '../errors.js';
import { decodeEnvelope, encodeEnvelope } from '../tx/envelope.js';
import { type Block, blockHash, buildHeader, computeDataHash, ZERO_HASH } from './block.js';
import { BlockError } from './verify.js';

/** The genesis block of a channel: block 0 holding the config envelope, unsigned. */
export function createGenesisBlock(options: { config: ChannelConfig; timestamp: number }): Block {
  const data = [encodeEnvelope({ type: 'config', config: options.config })];
  const header = buildHeader({
    channel: options.config.channel,
    number: 0,
    previousHash: ZERO_HASH,
    data,
    lastConfig: 0,
    timestamp: options.timestamp,
  });
  return { header, data, signatures: [] };
}

/**
 * Accepts a genesis block against the trust anchor (its hash, given out of
 * band): structure, data hash and a config that passes loadChannel.
 */
export async function openGenesis(
  block: Block,
  options: { expectedHash?: Uint8Array; backend?: Ed25519Backend } = {},
): Promise<{ channel: Channel; hash: Uint8Array }> {
  const h = block.header;
  const hash = blockHash(h);
  if (options.expectedHash && !equalBytes(hash, options.expectedHash)) {
    throw new BlockError(
      'BLOCK_GENESIS_MISMATCH',
      `genesis hash ${toHex(hash)} is not the trusted ${toHex(options.expectedHash)}`,
    );
  }
  if (h.number !== 0 || h.lastConfig !== 0 || !equalBytes(h.previousHash, ZERO_HASH)) {
    throw new BlockError(
      'BLOCK_NOT_GENESIS',
      'a genesis block is number 0 with a zero previous hash',
    );
  }
  if (block.data.length !== 1 || !equalBytes(computeDataHash(block.data), h.dataHash)) {
    throw new BlockError('BLOCK_DATA_HASH', 'genesis data does not match its data hash');
  }
  let envelope: ReturnType<typeof decodeEnvelope>;
  try {
    envelope = decodeEnvelope(block.data[0]!);
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
    throw new BlockError('BLOCK_NOT_GENESIS', `genesis envelope: ${err.message}`);
  }
  if (envelope.type !== 'config') {
    throw new BlockError('BLOCK_NOT_GENESIS', 'the genesis envelope is not a channel config');
  }
  if (envelope.config.channel !== h.channel) {
    throw new BlockError('BLOCK_CHANNEL', 'genesis header and config name different channels');
  }
  const channel = await loadChannel(envelope.config, options.backend);
  return { channel, hash };
}
