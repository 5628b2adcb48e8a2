import { toHex } from '../bytes.js';
import { type Channel, satisfies } from '../config/channel.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { verifyDomain } from '../crypto/signing.js';
import { CodecError } from '../errors.js';
import { decodeCoin } from '../fabcoin/coin.js';
import type { Coin } from '../fabcoin/request.js';
import {
  checkBalance,
  checkOutputs,
  checkOwners,
  checkSpendInputs,
  FabcoinError,
  fabcoinWritesMatch,
} from '../fabcoin/rules.js';
import type { Certificate } from '../identity/certificate.js';
import { type IdentifyOptions, type Identity, MembershipError } from '../identity/msp.js';
import { endorsementPayload } from '../tx/endorsement.js';
import { type ParsedTx, parseTx } from '../tx/envelope.js';
import type { RWSet } from '../tx/rwset.js';
import { TxCode } from './codes.js';
import { checkCreator, checkEndorsement, type SignerCheck } from './signers.js';
import type { VersionedValue } from './state.js';

export interface TxCheckContext {
  channel: Channel;
  /** The block's timestamp: certificates must be valid at it. */
  at: number;
  backend?: Ed25519Backend;
}

/**
 * What the state-dependent half of validation needs of a checked
 * transaction, and nothing more: peers receive it from VSCC workers, so
 * certificates and signatures stay behind.
 */
export interface CheckedTx {
  txid: Uint8Array;
  rwset: RWSet;
  /** A spend's inputs and outputs, for the balance and owner checks against state. */
  spend?: { inputs: string[]; outputs: Coin[] };
}

/**
 * The stateless half of VSCC. `txidRecorded` is true once the creator's
 * signature is verified: only then does the txid claim its place in the
 * ledger's txid index (else a forger could burn a victim's txid). `tx` is
 * present exactly then.
 */
export interface TxCheck {
  code: TxCode;
  tx?: CheckedTx;
  txidRecorded: boolean;
  /** Hex keys whose signatures over the proposal verified (creator + auth). */
  signerKeys: string[];
}

function checkedTx(tx: ParsedTx): CheckedTx {
  const { request } = tx.proposal;
  const out: CheckedTx = { txid: tx.txid, rwset: tx.envelope.rwset };
  if (request.type === 'spend') out.spend = { inputs: request.inputs, outputs: request.outputs };
  return out;
}

async function identifyOrNull(
  channel: Channel,
  cert: Certificate,
  options: IdentifyOptions,
): Promise<Identity | null> {
  try {
    return await channel.msp.identify(cert, options);
  } catch (err) {
    if (err instanceof MembershipError) return null;
    throw err;
  }
}

const early = (code: TxCode): TxCheck => ({ code, txidRecorded: false, signerKeys: [] });

function recorded(code: TxCode, tx: CheckedTx, signerKeys: ReadonlySet<string>): TxCheck {
  return { code, tx, txidRecorded: true, signerKeys: [...signerKeys] };
}

/**
 * Everything about one transaction that needs no ledger state: decoding,
 * creator, signatures, endorsement policy, rw-set shape and the Fabcoin
 * rules that depend only on the request. Pure, so peers run it in parallel.
 */
export async function checkTx(bytes: Uint8Array, ctx: TxCheckContext): Promise<TxCheck> {
  const { channel, at, backend } = ctx;
  let tx: ParsedTx;
  try {
    tx = parseTx(bytes);
  } catch (err) {
    if (err instanceof CodecError) return early(TxCode.BAD_PAYLOAD);
    throw err;
  }
  const { proposal, envelope } = tx;
  if (proposal.channel !== channel.config.channel) return early(TxCode.BAD_PAYLOAD);
  const sp = envelope.signedProposal;
  const payload = endorsementPayload(tx.proposalHash, tx.rwsetHash);
  // Every signature at once, in one list: creator, then auth, then endorsements.
  const checks: Promise<SignerCheck | boolean>[] = [
    checkCreator({ channel, creator: proposal.creator, signedProposal: sp, at, backend }),
  ];
  for (const a of sp.auth)
    checks.push(
      verifyDomain({
        publicKey: a.publicKey,
        domain: 'fabcoin-auth',
        bytes: sp.proposal,
        signature: a.signature,
        backend,
      }),
    );
  for (const endorsement of envelope.endorsements)
    checks.push(checkEndorsement({ channel, endorsement, payload, at, backend }));
  const verdicts = await Promise.all(checks);
  const creatorCheck = verdicts[0] as SignerCheck;
  if (!creatorCheck.ok && creatorCheck.reason === 'membership')
    return early(TxCode.UNKNOWN_CREATOR);
  if (!creatorCheck.ok) return early(TxCode.BAD_CREATOR_SIGNATURE);
  const creator = creatorCheck.identity;

  const signerKeys = new Set([creator.id]);
  const checked = checkedTx(tx);
  const endorsers: Identity[] = [];
  for (let i = 1 + sp.auth.length; i < verdicts.length; i++) {
    const c = verdicts[i] as SignerCheck;
    if (!c.ok) return recorded(TxCode.BAD_ENDORSEMENT, checked, signerKeys);
    endorsers.push(c.identity);
  }
  if (endorsers.length === 0) return recorded(TxCode.BAD_ENDORSEMENT, checked, signerKeys);
  if (!satisfies(channel.policies.endorsement, endorsers)) {
    return recorded(TxCode.ENDORSEMENT_POLICY_FAILURE, checked, signerKeys);
  }
  for (let i = 0; i < sp.auth.length; i++) {
    const key = toHex(sp.auth[i]!.publicKey);
    if (!verdicts[1 + i] || signerKeys.has(key))
      return recorded(TxCode.FABCOIN_INVALID, checked, signerKeys);
    signerKeys.add(key);
  }
  try {
    const pending = checkRequestShape(tx, channel, at, signerKeys);
    if (pending) await pending;
  } catch (err) {
    if (err instanceof FabcoinError) return recorded(TxCode.FABCOIN_INVALID, checked, signerKeys);
    throw err;
  }
  return recorded(TxCode.VALID, checked, signerKeys);
}

/**
 * The rw-set is exactly what the chaincode makes, and the stateless Fabcoin
 * rules hold. Synchronous but for a mint, whose central banks' certificates
 * may still need their verdicts (then the returned promise settles it).
 */
function checkRequestShape(
  tx: ParsedTx,
  channel: Channel,
  at: number,
  signerKeys: ReadonlySet<string>,
): Promise<void> | undefined {
  const { request } = tx.proposal;
  const { rwset } = tx.envelope;
  checkOutputs(request.outputs);
  if (request.type === 'spend') {
    checkSpendInputs(request.inputs);
    if (
      rwset.reads.length !== request.inputs.length ||
      rwset.reads.some((r, i) => r.key !== request.inputs[i])
    ) {
      throw new FabcoinError('FABCOIN_RWSET', 'read set does not match the spend inputs');
    }
    checkWrites(tx);
    return undefined;
  }
  if (rwset.reads.length > 0) throw new FabcoinError('FABCOIN_RWSET', 'a mint reads nothing');
  return checkMintAuthority(request.inputs, channel, at, signerKeys).then(() => checkWrites(tx));
}

/**
 * Reads were matched to the inputs (their versions are MVCC's business),
 * so the rw-set is the chaincode's exactly when the writes are.
 */
function checkWrites(tx: ParsedTx): void {
  if (!fabcoinWritesMatch(tx.txid, tx.proposal.request, tx.envelope.rwset.writes)) {
    throw new FabcoinError('FABCOIN_RWSET', 'rw-set is not what the Fabcoin chaincode writes');
  }
}

async function checkMintAuthority(
  banks: readonly Certificate[],
  channel: Channel,
  at: number,
  signerKeys: ReadonlySet<string>,
): Promise<void> {
  const { centralBanks, mintThreshold } = channel.config.fabcoin;
  const distinct = new Set<string>();
  for (const cert of banks) {
    const who = await identifyOrNull(channel, cert, { at, roles: ['cb'] });
    if (!who || !centralBanks.includes(who.org)) {
      throw new FabcoinError('FABCOIN_MINT', 'a mint input is not a central bank of this channel');
    }
    if (!signerKeys.has(who.id))
      throw new FabcoinError('FABCOIN_MINT', 'a central bank did not sign');
    distinct.add(who.id);
  }
  if (distinct.size < mintThreshold) {
    throw new FabcoinError(
      'FABCOIN_MINT',
      `${distinct.size} central banks signed, ${mintThreshold} needed`,
    );
  }
}

/** Committed state as validation has already read it: a lookup, no I/O. */
export type CommittedLookup = (key: string) => VersionedValue | undefined;

/**
 * The state-dependent half of VSCC: a spend's input coins as committed
 * before this block exist, are owned by signers and balance the outputs.
 */
export function checkTxState(check: TxCheck, committed: CommittedLookup): TxCode {
  if (check.code !== TxCode.VALID || !check.tx) return check.code;
  const { spend, rwset } = check.tx;
  if (!spend) return TxCode.VALID;
  const coins = [];
  for (const [i, key] of spend.inputs.entries()) {
    const v = committed(key);
    // A coin the endorser saw but the ledger no longer has was spent: a stale read.
    if (!v)
      return rwset.reads[i]!.version === null ? TxCode.FABCOIN_INVALID : TxCode.MVCC_READ_CONFLICT;
    coins.push(decodeCoin(v.value));
  }
  try {
    checkBalance(coins, spend.outputs);
    checkOwners(coins, new Set(check.signerKeys));
  } catch (err) {
    if (err instanceof FabcoinError) return TxCode.FABCOIN_INVALID;
    throw err;
  }
  return TxCode.VALID;
}
