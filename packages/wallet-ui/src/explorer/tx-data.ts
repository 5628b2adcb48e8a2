import { fromHex, type LightTx, toHex, txCodeName } from '@weft/core';
import { errorCode, type TxVerdict } from '@weft/light';
import type { LightClient } from '../network/light-client.js';
import { isHex64 } from '../ui/format.js';
import { byOrg } from './block-data.js';
import { summarize, type TxSummary } from './tx-summary.js';

export interface ExplorerTx {
  txid: string;
  verdict: TxVerdict;
  /** Decoded request, when the verifier could parse the served envelope. */
  summary?: TxSummary;
  code?: string;
  attesters: { org: string; keys: string[] }[];
  /** The served RFC 6962 proof (checked by the verifier unless the status is unverifiable). */
  proof?: { treeSize: number; length: number; index: number };
}

/** Asks a node for the transaction and verifies it (inclusion proof, txid, attested code). */
export async function loadTx(
  client: LightClient,
  txid: string,
  signal?: AbortSignal,
): Promise<ExplorerTx> {
  const id = fromHex(txid);
  let served: { node: string; value: LightTx };
  try {
    served = await client.transport.tx(id, { signal });
  } catch (err) {
    if (errorCode(err) === 'LIGHT_NOT_FOUND')
      return { txid, verdict: { status: 'pending', txid: id }, attesters: [] };
    throw err;
  }
  const verdict = await client.verifier.checkTx(served.value, served.node, id, { signal });
  const tx = served.value;
  const judged = verdict.status === 'valid' || verdict.status === 'invalid';
  return {
    txid,
    verdict,
    ...(judged || verdict.status === 'included'
      ? { summary: summarize(verdict.tx, verdict.index) }
      : {}),
    ...(judged ? { code: txCodeName(verdict.code) } : {}),
    attesters: judged ? byOrg(verdict.attesters) : [],
    proof: { treeSize: tx.treeSize, length: tx.proof.length, index: tx.index },
  };
}

/** Where a search goes: a block number, a transaction, a block hash, or nowhere. */
export type SearchTarget =
  | { page: 'block'; number: number }
  | { page: 'tx'; txid: string }
  | { page: 'none'; why: string };

/** Resolves a search: digits are a block number; 64 hex digits a txid, else a verified block's hash. */
export async function resolveSearch(
  client: LightClient,
  query: string,
  signal?: AbortSignal,
): Promise<SearchTarget> {
  const q = query.trim().toLowerCase().replace(/^#/, '');
  if (/^\d{1,15}$/.test(q)) return { page: 'block', number: Number(q) };
  if (!isHex64(q))
    return {
      page: 'none',
      why: 'Search by block number, block hash or transaction id (64 hex characters).',
    };
  try {
    await client.transport.tx(fromHex(q), { signal });
    return { page: 'tx', txid: q };
  } catch (err) {
    if (errorCode(err) !== 'LIGHT_NOT_FOUND') throw err;
  }
  // Block hashes: the verified headers, newest first (a hash is only believed from our own chain).
  for (let n = client.chain.height - 1; n >= 0; n--) {
    if (signal?.aborted) break;
    const h = await client.chain.header(n);
    if (h && toHex(h.hash) === q) return { page: 'block', number: n };
  }
  return {
    page: 'none',
    why: 'No verified block has that hash, and no node knows a transaction with that id.',
  };
}
