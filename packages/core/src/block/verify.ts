import { equalBytes, toHex } from '../bytes.js';
import { type Channel, satisfies } from '../config/channel.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { verifyDomain } from '../crypto/signing.js';
import { WeftError } from '../errors.js';
import { MembershipError } from '../identity/msp.js';
import {
  type Block,
  type BlockHeader,
  type BlockSignature,
  blockHash,
  computeDataHash,
} from './block.js';

/** A block that must not be accepted: wrong place in the chain, wrong data or not signed. */
export class BlockError extends WeftError {}

/** What a verifier needs to know about the block before the one it checks. */
export interface ChainTip {
  number: number;
  hash: Uint8Array;
  timestamp: number;
}

/** The tip a block leaves behind once accepted. */
export function chainTipOf(block: Pick<Block, 'header'>): ChainTip {
  return {
    number: block.header.number,
    hash: blockHash(block.header),
    timestamp: block.header.timestamp,
  };
}

export interface VerifyBlockOptions {
  block: Block;
  previous: ChainTip;
  channel: Channel;
  backend?: Ed25519Backend;
}

export interface VerifyHeaderOptions {
  header: BlockHeader;
  signatures: readonly BlockSignature[];
  previous: ChainTip;
  channel: Channel;
  backend?: Ed25519Backend;
  /**
   * blockHash(header), when the caller has it already: a light client
   * hashes each header once to link the next one before this one's
   * signatures are checked. It must be that hash; nothing here checks it.
   */
  hash?: Uint8Array;
}

/**
 * The one block check peers and light clients share: the block extends
 * `previous`, its data hash covers its envelopes, and orderer signatures
 * valid at the block's time satisfy the channel's block-signature policy.
 * Returns the block hash.
 */
export function verifyBlock(options: VerifyBlockOptions): Promise<Uint8Array> {
  const { block, channel, previous, backend } = options;
  return (
    rejecting(() => {
      checkLink(block.header, channel, previous);
      checkData(block);
    }) ?? checkSignatures(block.header, block.signatures, channel, backend)
  );
}

/**
 * The synchronous checks' failure as a rejected promise, or undefined: the
 * verifiers stay promise-returning throughout (as async functions would)
 * without an async frame around the one that already is.
 */
function rejecting(checks: () => void): Promise<never> | undefined {
  try {
    checks();
    return undefined;
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * `verifyBlock` without the envelopes, for a light client that follows
 * headers: the block hash is over the header and the orderers sign that
 * hash, so link and signatures need nothing else. Whether a transaction is
 * in the block is then an inclusion proof against `header.dataHash`.
 * Returns the block hash.
 */
export function verifyHeader(options: VerifyHeaderOptions): Promise<Uint8Array> {
  const { header, channel, previous, backend } = options;
  return (
    rejecting(() => checkLink(header, channel, previous)) ??
    checkSignatures(header, options.signatures, channel, backend, options.hash)
  );
}

/**
 * The part of `verifyBlock` that needs no previous block: the block is of
 * this channel, its data hash covers its envelopes, and orderer signatures
 * satisfy the block-signature policy. Gossip uses it to judge a block that
 * arrives ahead of the chain (the link is checked when it is committed).
 * Returns the block hash.
 */
export function verifyBlockSeal(
  options: Omit<VerifyBlockOptions, 'previous'>,
): Promise<Uint8Array> {
  const { block, channel, backend } = options;
  return (
    rejecting(() => {
      checkChannel(block.header, channel);
      checkData(block);
    }) ?? checkSignatures(block.header, block.signatures, channel, backend)
  );
}

function checkChannel(h: BlockHeader, channel: Channel): void {
  if (h.channel !== channel.config.channel) {
    throw new BlockError(
      'BLOCK_CHANNEL',
      `block of channel ${h.channel}, expected ${channel.config.channel}`,
    );
  }
}

function checkLink(h: BlockHeader, channel: Channel, previous: ChainTip): void {
  checkChannel(h, channel);
  if (h.number !== previous.number + 1) {
    throw new BlockError('BLOCK_NUMBER', `block ${h.number} does not follow ${previous.number}`);
  }
  if (!equalBytes(h.previousHash, previous.hash)) {
    throw new BlockError(
      'BLOCK_PREVIOUS_HASH',
      `block ${h.number} does not link to block ${previous.number}`,
    );
  }
  if (h.timestamp < previous.timestamp) {
    throw new BlockError('BLOCK_TIMESTAMP', `block ${h.number} is older than its predecessor`);
  }
  if (h.lastConfig >= h.number) {
    throw new BlockError(
      'BLOCK_LAST_CONFIG',
      `block ${h.number} names config block ${h.lastConfig}`,
    );
  }
}

function checkData(block: Block): void {
  const n = block.header.number;
  if (block.data.length === 0) throw new BlockError('BLOCK_EMPTY', `block ${n} has no data`);
  if (!equalBytes(computeDataHash(block.data), block.header.dataHash)) {
    throw new BlockError('BLOCK_DATA_HASH', `block ${n} data does not match its data hash`);
  }
}

async function checkSignatures(
  header: BlockHeader,
  signatures: readonly BlockSignature[],
  channel: Channel,
  backend: Ed25519Backend | undefined,
  hash = blockHash(header),
): Promise<Uint8Array> {
  const signers = await verifiedOrderers({ header, signatures, hash, channel, backend });
  // Remembered per channel: every block asks about the same few orderer sets.
  if (!satisfies(channel.policies.blockSignatures, signers)) {
    throw new BlockError(
      'BLOCK_SIGNATURES',
      `block ${header.number}: orderer signatures (${signers.length} valid) do not satisfy the policy`,
    );
  }
  return hash;
}

type OrdererSigner = { org: string; role: string; id: string };

/** Signatures from listed orderers whose certificates hold at the block's time; others don't count. */
async function verifiedOrderers(o: {
  header: BlockHeader;
  signatures: readonly BlockSignature[];
  hash: Uint8Array;
  channel: Channel;
  backend: Ed25519Backend | undefined;
}): Promise<OrdererSigner[]> {
  const { signatures, channel, hash, backend } = o;
  const timestamp = o.header.timestamp;
  // One signature per block is the common case: no set, no Promise.all.
  if (signatures.length === 1) {
    const signer = await ordererSignature(channel, hash, timestamp, signatures[0]!, backend);
    return signer ? [signer] : [];
  }
  const seen = new Set<string>();
  const checks: Promise<OrdererSigner | undefined>[] = [];
  for (const signature of signatures) {
    const id = toHex(signature.signer);
    if (seen.has(id)) continue;
    seen.add(id);
    checks.push(ordererSignature(channel, hash, timestamp, signature, backend, id));
  }
  const results = await Promise.all(checks);
  return results.filter((r): r is OrdererSigner => r !== undefined);
}

/**
 * Whom one orderer signature over block hash `hash` counts as for the
 * block-signature policy, or undefined when it does not count: not a
 * listed orderer, a certificate not valid at the block's `timestamp`, or a
 * signature that does not verify. verifyBlock counts signatures this way;
 * an orderer collecting the others' signatures checks each one the same.
 */
export function verifyOrdererSignature(o: {
  channel: Channel;
  hash: Uint8Array;
  timestamp: number;
  signature: BlockSignature;
  backend?: Ed25519Backend;
}): Promise<OrdererSigner | undefined> {
  return ordererSignature(o.channel, o.hash, o.timestamp, o.signature, o.backend);
}

/** verifyOrdererSignature with positional arguments: it runs for every block signature. */
async function ordererSignature(
  channel: Channel,
  hash: Uint8Array,
  timestamp: number,
  signature: BlockSignature,
  backend: Ed25519Backend | undefined,
  id = toHex(signature.signer),
): Promise<OrdererSigner | undefined> {
  const orderer = channel.orderers.get(id);
  if (!orderer) return undefined;
  const options = { at: timestamp, roles: ORDERER_ROLE };
  try {
    // A channel's orderer certificates are known after the first block: no wait for them.
    if (!channel.msp.identifyKnown(orderer.cert, options))
      await channel.msp.identify(orderer.cert, options);
  } catch (err) {
    if (err instanceof MembershipError) return undefined;
    throw err;
  }
  const ok = await verifyDomain({
    publicKey: signature.signer,
    domain: 'block',
    bytes: hash,
    signature: signature.signature,
    backend,
  });
  return ok ? { org: orderer.cert.org, role: 'orderer', id } : undefined;
}

const ORDERER_ROLE = ['orderer'] as const;
