import {
  type Block,
  type BlockHeader,
  buildHeader,
  type ChainTip,
  type Signer,
  signHeader,
} from '@weft/core';
import type { CutBatch } from './block-cutter.js';
import { OrdererError } from './errors.js';

export interface NextHeaderOptions {
  channel: string;
  batch: Pick<CutBatch, 'number' | 'envelopes'>;
  tip: ChainTip;
  /** The block's time (a solo orderer's clock, a log's timestamp); kept at the previous one if earlier. */
  now: number;
  /** The orderer certificate's notAfter. */
  certNotAfter: number;
}

/**
 * The header of a cut batch, the block after `tip`: {channel, number,
 * previousHash, dataHash, timestamp, lastConfig} through core's
 * buildHeader. Throws ORDERER_CERT_EXPIRED for a block this orderer may no
 * longer sign.
 */
export function nextHeader(options: NextHeaderOptions): BlockHeader {
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
  return header;
}

/** The signed block of a cut batch (nextHeader, signed with the orderer key over the block hash). */
export async function assembleBlock(
  options: NextHeaderOptions & { batch: CutBatch; signer: Signer },
): Promise<Block> {
  const header = nextHeader(options);
  const signature = await signHeader(header, options.signer);
  return { header, data: options.batch.envelopes, signatures: [signature] };
}
