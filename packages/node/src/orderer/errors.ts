import { WeftError } from '@weft/core';

/**
 * Codes a caller (a broadcast or deliver protocol handler, the CLI) can
 * branch on:
 *
 * broadcast rejections, nothing ordered:
 * ORDERER_ENVELOPE_TOO_LARGE (over MAX_ENVELOPE_BYTES or the channel's maxBytes),
 * ORDERER_BAD_ENVELOPE (not a canonical transaction envelope),
 * ORDERER_WRONG_CHANNEL, ORDERER_UNKNOWN_CREATOR (not a client, admin or cb
 * member of the channel MSP, or certificate not valid now),
 * ORDERER_BAD_SIGNATURE (creator signature over the proposal),
 * ORDERER_DUPLICATE_TXID (already ordered or pending here),
 * ORDERER_BUSY (too many broadcasts in flight: retry later),
 * ORDERER_CLOSED (closed before the envelope was in a stored block),
 * ORDERER_FAILED (a block could not be stored, or the orderer's own
 * certificate expired, so its blocks would be refused; the orderer stopped
 * and its cause is ORDERER_CERT_EXPIRED or the storage error).
 *
 * open and storage: ORDERER_BAD_GENESIS, ORDERER_NO_GENESIS,
 * ORDERER_GENESIS_MISMATCH, ORDERER_NOT_LISTED (the signing key is not an
 * orderer of the channel, or its certificate is not valid now),
 * ORDERER_IN_USE (channel already open on this database), ORDERER_CORRUPT
 * (a stored record does not decode or contradicts the chain),
 * ORDERER_BAD_APPEND (a block that does not extend the stored tip),
 * ORDERER_BAD_REQUEST (a deliver start that is not a block number).
 *
 * jetstream ordering: ORDERER_LOG_UNAVAILABLE (the NATS cluster did not
 * answer or take a message in time; a broadcast so refused may still be
 * ordered, and retrying it is safe), ORDERER_LOG_MISMATCH (the stream is not
 * the one the config and this orderer's chain describe), ORDERER_LOG_GAP
 * (messages this orderer still needs are gone), ORDERER_NATS_MISSING (no
 * nats-server binary to start). See LAYOUT.md.
 */
export class OrdererError extends WeftError {
  /** The channel concerned, when there is one. */
  readonly channel: string | undefined;
  /** The block concerned (a corrupt record, an append), when there is one. */
  readonly block: number | undefined;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; channel?: string; block?: number } = {},
  ) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.channel = options.channel;
    this.block = options.block;
  }
}
