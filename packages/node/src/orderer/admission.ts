import {
  type Channel,
  CodecError,
  checkCreator as checkProposalCreator,
  type Ed25519Backend,
  type ParsedTx,
  parseTx,
  toHex,
} from '@weft/core';
import { OrdererError } from './errors.js';

/**
 * The synchronous half of admission: the bytes are a canonical transaction
 * envelope (a config envelope is refused: channel config updates are not
 * ordered yet) whose proposal names this channel.
 */
export function parseForOrdering(bytes: Uint8Array, channel: string): ParsedTx {
  let tx: ParsedTx;
  try {
    tx = parseTx(bytes);
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
    throw new OrdererError('ORDERER_BAD_ENVELOPE', `not a transaction envelope: ${err.message}`, {
      cause: err,
      channel,
    });
  }
  if (tx.proposal.channel !== channel) {
    throw new OrdererError(
      'ORDERER_WRONG_CHANNEL',
      `proposal of channel ${JSON.stringify(tx.proposal.channel)} sent to the orderer of ${channel}`,
      { channel },
    );
  }
  return tx;
}

/**
 * The channel Writers check of Fabric's orderer msgprocessor: the creator
 * is a client, admin or cb member of the channel MSP, certificate valid at
 * `at`, and signed the proposal. Endorsements, the endorsement policy and
 * Fabcoin rules are the peers' VSCC, not the orderer's business.
 */
export async function checkCreator(
  tx: ParsedTx,
  options: { channel: Channel; at: number; backend?: Ed25519Backend },
): Promise<void> {
  const { channel, at, backend } = options;
  const name = channel.config.channel;
  const checked = await checkProposalCreator({
    channel,
    creator: tx.proposal.creator,
    signedProposal: tx.envelope.signedProposal,
    at,
    backend,
  });
  if (checked.ok) return;
  if (checked.reason === 'membership') {
    const err = checked.error;
    throw new OrdererError('ORDERER_UNKNOWN_CREATOR', `creator: ${err.message} (${err.code})`, {
      cause: err,
      channel: name,
    });
  }
  throw new OrdererError('ORDERER_BAD_SIGNATURE', 'the creator signature does not verify', {
    channel: name,
  });
}

/**
 * What every orderer checks before it orders an envelope, in order: bytes
 * that could fit a block (`fits` throws ORDERER_ENVELOPE_TOO_LARGE), a
 * transaction envelope of this channel, not a duplicate, signed by a
 * member creator. `refuse` throws for a txid (hex) already taken; it runs
 * before the signature check to refuse resubmissions cheaply and again
 * after it because a copy may have been admitted meanwhile (and `assertOpen`
 * too, for an orderer closed meanwhile). `admit` then runs in the same
 * turn, so no copy slips in between: it records the txid, only once the
 * signature verified, so a forger cannot burn someone else's txid.
 */
export async function admitEnvelope<T>(
  envelope: unknown,
  options: {
    channel: Channel;
    at: number;
    backend?: Ed25519Backend;
    fits(envelope: Uint8Array): void;
    refuse(txid: string): void;
    assertOpen(): void;
    admit(admitted: { tx: ParsedTx; txid: string; envelope: Uint8Array }): T;
  },
): Promise<T> {
  const name = options.channel.config.channel;
  if (!(envelope instanceof Uint8Array)) {
    throw new OrdererError('ORDERER_BAD_ENVELOPE', 'an envelope is bytes', { channel: name });
  }
  options.fits(envelope);
  const tx = parseForOrdering(envelope, name);
  const txid = toHex(tx.txid);
  options.refuse(txid);
  await checkCreator(tx, options);
  options.assertOpen();
  options.refuse(txid);
  return options.admit({ tx, txid, envelope });
}

/**
 * Txids recently admitted, oldest evicted first: lets the orderer refuse a
 * resubmitted transaction cheaply. Best effort by design (bounded, so an
 * old enough duplicate gets through); peers' DUPLICATE_TXID is the rule.
 */
export class RecentTxids {
  readonly #ids = new Set<string>();

  constructor(readonly capacity: number) {}

  has(txid: string): boolean {
    return this.#ids.has(txid);
  }

  add(txid: string): void {
    this.#ids.add(txid);
    // Sets iterate in insertion order, so the first value is the oldest.
    while (this.#ids.size > this.capacity) {
      this.#ids.delete(this.#ids.values().next().value as string);
    }
  }

  get size(): number {
    return this.#ids.size;
  }
}
