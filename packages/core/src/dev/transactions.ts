import { type Block, buildHeader, signHeader } from '../block/block.js';
import type { ChainTip } from '../block/verify.js';
import { sha256 } from '../crypto/hash.js';
import type { Signer } from '../crypto/signing.js';
import { simulateFabcoin } from '../fabcoin/chaincode.js';
import type { Coin, FabcoinRequest } from '../fabcoin/request.js';
import { fabcoinRWSet } from '../fabcoin/rules.js';
import { endorse } from '../tx/endorsement.js';
import { encodeEnvelope, type TxEnvelope } from '../tx/envelope.js';
import { computeTxid, NONCE_LENGTH, type Proposal, signProposal } from '../tx/proposal.js';
import { type RWSet, rwsetHash } from '../tx/rwset.js';
import type { StateView } from '../validate/state.js';
import type { DevMember, DevNetwork } from './network.js';

/** A transaction built end to end the way a wallet, endorsers and a gateway would. */
export interface BuiltTx {
  bytes: Uint8Array;
  txid: Uint8Array;
  envelope: TxEnvelope;
  proposal: Proposal;
}

export interface BuildTxOptions {
  request: FabcoinRequest;
  creator?: DevMember;
  /** Extra signers over the proposal (owners other than the creator, central banks). */
  authorisers?: readonly Signer[];
  /** State the endorsers simulate against (spends need it). */
  state?: Pick<StateView, 'get'>;
  /** Use this rw-set instead of simulating (to build hostile transactions). */
  rwset?: RWSet;
  /**
   * Skip the chaincode's own checks and write what the request says, as a
   * dishonest endorser would: lets tests reach VSCC with invalid requests.
   */
  unchecked?: boolean;
  endorsers?: readonly DevMember[];
  nonce?: Uint8Array;
  channel?: string;
}

const EMPTY_STATE: Pick<StateView, 'get'> = { get: async () => undefined };

export async function buildTx(net: DevNetwork, options: BuildTxOptions): Promise<BuiltTx> {
  const creator = options.creator ?? net.client;
  const proposal: Proposal = {
    channel: options.channel ?? net.config.channel,
    chaincode: 'fabcoin',
    creator: creator.cert,
    nonce: options.nonce ?? crypto.getRandomValues(new Uint8Array(NONCE_LENGTH)),
    timestamp: net.time,
    request: options.request,
  };
  const signedProposal = await signProposal(proposal, creator.signer, options.authorisers ?? []);
  const txid = computeTxid(creator.cert.publicKey, proposal.nonce);
  const state = options.state ?? EMPTY_STATE;
  const rwset =
    options.rwset ??
    (options.unchecked
      ? await uncheckedRWSet(txid, options.request, state)
      : await simulateFabcoin({ txid, request: options.request, state }));
  const proposalHash = sha256(signedProposal.proposal);
  const rwHash = rwsetHash(rwset);
  const endorsements = await Promise.all(
    (options.endorsers ?? net.peers).map((p) =>
      endorse({ signer: p.signer, cert: p.cert, proposalHash, rwsetHash: rwHash }),
    ),
  );
  const envelope: TxEnvelope = { type: 'tx', signedProposal, rwset, endorsements };
  return { bytes: encodeEnvelope(envelope), txid, envelope, proposal };
}

async function uncheckedRWSet(
  txid: Uint8Array,
  request: FabcoinRequest,
  state: Pick<StateView, 'get'>,
): Promise<RWSet> {
  const inputs = request.type === 'spend' ? request.inputs : [];
  const versions = await Promise.all(
    inputs.map(async (k) => (await state.get(k))?.version ?? null),
  );
  return fabcoinRWSet(txid, request, versions);
}

/** A mint by `banks` (default: the network's first `mintThreshold` central banks). */
export function buildMint(
  net: DevNetwork,
  outputs: Coin[],
  options: Omit<BuildTxOptions, 'request'> & { banks?: readonly DevMember[] } = {},
): Promise<BuiltTx> {
  const banks = options.banks ?? net.banks.slice(0, net.config.fabcoin.mintThreshold);
  const [first, ...rest] = banks;
  return buildTx(net, {
    creator: first ?? net.client,
    authorisers: rest.map((b) => b.signer),
    ...options,
    request: { type: 'mint', inputs: banks.map((b) => b.cert), outputs },
  });
}

/** A spend of coin keys `inputs`, signed by `owners` (the creator signs too). */
export function buildSpend(
  net: DevNetwork,
  inputs: string[],
  outputs: Coin[],
  options: Omit<BuildTxOptions, 'request'> & { owners?: readonly Signer[] } = {},
): Promise<BuiltTx> {
  const creatorKey = (options.creator ?? net.client).signer.publicKey;
  const authorisers = (options.owners ?? []).filter((o) => o.publicKey !== creatorKey);
  return buildTx(net, { authorisers, ...options, request: { type: 'spend', inputs, outputs } });
}

/** Cuts and signs the block after `previous`, as the solo orderer would. */
export async function buildBlock(
  net: DevNetwork,
  previous: ChainTip,
  data: Uint8Array[],
  options: { timestamp?: number; signers?: readonly Signer[] } = {},
): Promise<Block> {
  const header = buildHeader({
    channel: net.config.channel,
    number: previous.number + 1,
    previousHash: previous.hash,
    data,
    lastConfig: 0,
    timestamp: options.timestamp ?? Math.max(previous.timestamp, net.time),
  });
  const signers = options.signers ?? [net.orderer.signer];
  const signatures = await Promise.all(signers.map((s) => signHeader(header, s)));
  return { header, data, signatures };
}
