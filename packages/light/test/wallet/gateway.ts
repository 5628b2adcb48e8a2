// A gateway for wallet tests over the fake full nodes: it endorses a
// submitted proposal with the dev network's peers (core's chaincode
// simulation), orders it into the DevLedger and has peers attest the block,
// as a real gateway, orderer and peers would. Hostile variants decide what
// it claims and whether anything happens at all.
import {
  computeTxid,
  decodeProposal,
  encodeEnvelope,
  endorse,
  FabcoinError,
  rwsetHash,
  type SignedProposal,
  sha256,
  simulateFabcoin,
  type TxStatus,
} from '@weft/core';
import type { DevMember } from '@weft/core/dev';
import { TransportError } from '../../src/errors.js';
import type { Answer } from '../../src/transport/transport.js';
import type { DevLedger } from '../support/dev-ledger.js';
import { type FakeNode, FakeTransport } from '../support/fake-transport.js';

export type SubmitHandler = (signedProposal: SignedProposal) => Promise<TxStatus>;

/** The fake transport with a gateway: `onSubmit` decides what happens to a proposal. */
export class GatewayTransport extends FakeTransport {
  readonly submitted: SignedProposal[] = [];

  constructor(
    channel: string,
    nodes: readonly FakeNode[],
    public onSubmit: SubmitHandler,
  ) {
    super(channel, nodes);
  }

  override async submit(signedProposal: SignedProposal): Promise<Answer<TxStatus>> {
    this.submitted.push(signedProposal);
    return { node: 'gateway', value: await this.onSubmit(signedProposal) };
  }
}

export function txidOf(signedProposal: SignedProposal): Uint8Array {
  const p = decodeProposal(signedProposal.proposal);
  return computeTxid(p.creator.publicKey, p.nonce);
}

export interface CommitOptions {
  /** Peers that endorse (default all; fewer fails the AND endorsement policy at VSCC). */
  endorsers?: readonly DevMember[];
  /** Peers that attest the block (default all). */
  attesters?: readonly DevMember[];
}

/**
 * Endorses, orders and commits a proposal as an honest network would;
 * returns the status an honest gateway reports. A request the chaincode
 * refuses is refused as a real gateway refuses it: before ordering.
 */
export async function commitProposal(
  ledger: DevLedger,
  signedProposal: SignedProposal,
  options: CommitOptions = {},
): Promise<TxStatus> {
  const proposal = decodeProposal(signedProposal.proposal);
  const txid = txidOf(signedProposal);
  let rwset: Awaited<ReturnType<typeof simulateFabcoin>>;
  try {
    rwset = await simulateFabcoin({ txid, request: proposal.request, state: ledger.chain.state });
  } catch (err) {
    if (!(err instanceof FabcoinError)) throw err;
    throw new TransportError('GATEWAY_ENDORSEMENT_FAILED', err.message, { remote: true });
  }
  const proposalHash = sha256(signedProposal.proposal);
  const endorsements = await Promise.all(
    (options.endorsers ?? ledger.net.peers).map((p) =>
      endorse({ signer: p.signer, cert: p.cert, proposalHash, rwsetHash: rwsetHash(rwset) }),
    ),
  );
  const envelope = encodeEnvelope({ type: 'tx', signedProposal, rwset, endorsements });
  const { number, codes } = await ledger.append([envelope], options.attesters);
  return { txid, status: 'committed', code: codes[0]!, block: number, index: 0 };
}

/** An honest gateway over `ledger`. */
export const honestGateway =
  (ledger: DevLedger, options: CommitOptions = {}): SubmitHandler =>
  (sp) =>
    commitProposal(ledger, sp, options);

/** Keeps proposals without ordering them until `release()` commits them (a slow network). */
export class HoldingGateway {
  readonly held: SignedProposal[] = [];

  constructor(readonly ledger: DevLedger) {}

  readonly handler: SubmitHandler = async (sp) => {
    this.held.push(sp);
    return { txid: txidOf(sp), status: 'submitted' };
  };

  async release(): Promise<void> {
    for (const sp of this.held.splice(0)) await commitProposal(this.ledger, sp);
  }
}
