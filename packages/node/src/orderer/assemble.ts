import { type Block, buildHeader, type ChainTip, type Signer, signHeader } from '@weft/core';
import type { CutBatch } from './block-cutter.js';
import { OrdererError } from './errors.js';

/**
 * Turns a cut batch into the signed block after `tip`: header {channel,
 * number, previousHash, dataHash, timestamp, lastConfig} through core's
 * buildHeader, signed with the orderer key over the block hash.
 */
export async function assembleBlock(options: {
  channel: string;
  batch: CutBatch;
  tip: ChainTip;
  /** The orderer's clock reading; the block keeps the previous timestamp if the clock went back. */
  now: number;
  signer: Signer;
  /** The orderer certificate's notAfter. */
  certNotAfter: number;
}): Promise<Block> {
  const { batch, tip } = options;
  if (batch.number !== tip.number + 1) {
    throw new OrdererError(
      'ORDERER_BAD_APPEND',
      `batch ${batch.number} does not follow ${tip.number}`,
      {
        channel: options.channel,
        block: batch.number,
      },
    );
  }
  const header = buildHeader({
    channel: options.channel,
    number: batch.number,
    previousHash: tip.hash,
    data: batch.envelopes,
    // Config updates are not ordered yet, so genesis stays the config in force.
    lastConfig: 0,
    // Never before the previous block: verifyBlock demands it.
    timestamp: Math.max(tip.timestamp, Math.floor(options.now)),
  });
  if (header.timestamp > options.certNotAfter) {
    // Peers judge the orderer's certificate at the block's time: a block
    // signed after it expired would be refused, so refuse to make it.
    throw new OrdererError('ORDERER_CERT_EXPIRED', 'the orderer certificate has expired', {
      channel: options.channel,
      block: batch.number,
    });
  }
  const signature = await signHeader(header, options.signer);
  return { header, data: batch.envelopes, signatures: [signature] };
}
