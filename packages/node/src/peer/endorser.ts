import {
  type Certificate,
  type Channel,
  CodecError,
  checkCreator,
  computeTxid,
  decodeProposal,
  type EndorseRequest,
  type EndorseResponse,
  endorse,
  FabcoinError,
  rwsetHash,
  type Signer,
  type StateView,
  sha256,
  simulateFabcoin,
} from '@weft/core';
import { PeerError } from './errors.js';

export interface EndorserOptions {
  channel: Channel;
  /** Committed state the chaincode reads (the peer's ledger). */
  state: StateView;
  signer: Signer;
  cert: Certificate;
  /** Proposals may be at most this far from the endorser's clock (ms). Default 10 minutes. */
  maxClockSkewMs?: number;
  now?: () => number;
}

/**
 * An endorsing peer (paper section 3.2): checks the proposal is well formed
 * and signed by a member of the channel, simulates Fabcoin's chaincode
 * against committed state, and signs the result. It changes no state; the
 * rw-set's versions let MVCC reject the transaction later if the state it
 * read has moved on. The owners' signatures are VSCC's business, as in
 * Fabric; the creator's is checked here so a stranger cannot use the
 * endorser as a signing oracle.
 */
export class Endorser {
  readonly #o: EndorserOptions;

  constructor(options: EndorserOptions) {
    this.#o = options;
  }

  async endorse(request: EndorseRequest): Promise<EndorseResponse> {
    const { channel, state, signer, cert } = this.#o;
    const name = channel.config.channel;
    if (request.channel !== name) {
      throw new PeerError(
        'ENDORSE_WRONG_CHANNEL',
        `this endorser serves ${name}, not ${request.channel}`,
      );
    }
    const sp = request.signedProposal;
    let proposal: ReturnType<typeof decodeProposal>;
    try {
      proposal = decodeProposal(sp.proposal);
    } catch (err) {
      if (err instanceof CodecError) throw new PeerError('ENDORSE_BAD_PROPOSAL', err.message);
      throw err;
    }
    if (proposal.channel !== name) {
      throw new PeerError('ENDORSE_WRONG_CHANNEL', `the proposal is for ${proposal.channel}`);
    }
    const now = (this.#o.now ?? Date.now)();
    const skew = this.#o.maxClockSkewMs ?? 10 * 60_000;
    if (Math.abs(proposal.timestamp - now) > skew) {
      throw new PeerError('ENDORSE_STALE', `proposal timestamp is more than ${skew} ms from now`);
    }
    const creator = await checkCreator({
      channel,
      creator: proposal.creator,
      signedProposal: sp,
      at: now,
    });
    if (!creator.ok && creator.reason === 'membership')
      throw new PeerError('ENDORSE_UNKNOWN_CREATOR', creator.error.message);
    if (!creator.ok)
      throw new PeerError('ENDORSE_BAD_SIGNATURE', "the creator's signature does not verify");
    const creatorKey = creator.identity.publicKey;

    const txid = computeTxid(creatorKey, proposal.nonce);
    if (await state.hasTxid(txid)) {
      throw new PeerError(
        'ENDORSE_DUPLICATE_TXID',
        'a transaction with this id is already committed',
      );
    }
    let rwset: EndorseResponse['rwset'];
    try {
      rwset = await simulateFabcoin({ txid, request: proposal.request, state });
    } catch (err) {
      if (err instanceof FabcoinError) throw new PeerError('ENDORSE_CHAINCODE', err.message);
      throw err;
    }
    const endorsement = await endorse({
      signer,
      cert,
      proposalHash: sha256(sp.proposal),
      rwsetHash: rwsetHash(rwset),
    });
    return { rwset, endorsement };
  }
}
