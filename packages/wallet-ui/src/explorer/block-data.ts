import {
  blockHash,
  codesHash,
  computeDataHash,
  equalBytes,
  type Identity,
  type TxCode,
  toHex,
  txCodeName,
} from '@weft/core';
import { type AttestedCodes, VerificationError } from '@weft/light';
import type { LightClient } from '../network/light-client.js';
import { describeTx, type TxSummary } from './tx-summary.js';

/** A block as the explorer shows it, after checking it against the verified header. */
export interface ExplorerBlock {
  number: number;
  hash: string;
  previousHash: string;
  dataHash: string;
  time: number;
  lastConfig: number;
  /** Orderers whose signatures the header chain verified (by certificate org and key). */
  signers: { org: string; key: string }[];
  txs: (TxSummary & { code?: string })[];
  /** What the peers' attestations say about the codes, and whether they satisfy the policy. */
  attestation: AttestedCodes;
  /** The served codes hash to what the policy-satisfying attestations signed. */
  codesVerified: boolean;
  /** The node that served the block (its PeerId). */
  node: string;
}

export class ExplorerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const cache = new WeakMap<LightClient, Map<number, ExplorerBlock>>();
const CACHED = 256;

/**
 * Block `n`, verified: its header is one the light client verified from the
 * genesis hash (syncing first if n is beyond the tip), the served block
 * hashes to it and its envelopes to the header's dataHash; its codes count
 * as verified only when attestations satisfying the policy sign their hash.
 * Only attested blocks are cached (their verdict can no longer change).
 */
export async function loadBlock(
  client: LightClient,
  n: number,
  signal?: AbortSignal,
): Promise<ExplorerBlock> {
  const blocks = cache.get(client) ?? new Map<number, ExplorerBlock>();
  cache.set(client, blocks);
  const hit = blocks.get(n);
  if (hit) return hit;
  const { chain, transport, verifier } = client;
  if (n >= chain.height) await chain.sync({ signal });
  const header = await chain.header(n);
  if (!header) {
    throw new ExplorerError(
      'UI_NO_BLOCK',
      `There is no block ${n} yet: the verified chain has ${chain.height} blocks.`,
    );
  }
  const { node, value } = await transport.block(n, { signal });
  const { block, codes } = value;
  if (
    !equalBytes(blockHash(block.header), header.hash) ||
    !equalBytes(computeDataHash(block.data), block.header.dataHash)
  ) {
    const err = new VerificationError(
      'LIGHT_BAD_BLOCK',
      node,
      `block ${n} does not match its verified header`,
    );
    transport.blame(node, err);
    throw err;
  }
  const attestation = await verifier.attestedCodes(n, header, { signal });
  const codesVerified =
    attestation.status === 'attested' && equalBytes(codesHash(codes), attestation.codesHash!);
  const orderers = chain.channel?.orderers;
  const shown: ExplorerBlock = {
    number: n,
    hash: toHex(header.hash),
    previousHash: toHex(block.header.previousHash),
    dataHash: toHex(block.header.dataHash),
    time: block.header.timestamp,
    lastConfig: block.header.lastConfig,
    signers: block.signatures.map((s) => {
      const key = toHex(s.signer);
      return { org: orderers?.get(key)?.cert.org ?? 'unknown', key };
    }),
    txs: block.data.map((envelope, i) => ({
      ...describeTx(envelope, i),
      code: codeName(codes[i]),
    })),
    attestation,
    codesVerified,
    node,
  };
  if (attestation.status === 'attested') {
    if (blocks.size >= CACHED) blocks.delete(blocks.keys().next().value!);
    blocks.set(n, shown);
  }
  return shown;
}

function codeName(code: TxCode | undefined): string | undefined {
  return code === undefined ? undefined : txCodeName(code);
}

/** Signers grouped by org, for "attested by" lists. */
export function byOrg(signers: readonly Identity[]): { org: string; keys: string[] }[] {
  const orgs = new Map<string, string[]>();
  for (const s of signers) orgs.set(s.org, [...(orgs.get(s.org) ?? []), s.id]);
  return [...orgs].sort(([a], [b]) => a.localeCompare(b)).map(([org, keys]) => ({ org, keys }));
}
