import { coinKeyParts, equalBytes, fromHex, type LightCoin, MAX_LIGHT_COIN_PAGE } from '@weft/core';
import { VerificationError } from '../errors.js';
import type { CallOptions } from '../transport/transport.js';
import type { CoinList, VerifiedCoin } from './verdict.js';
import type { ProofVerifier } from './verifier.js';

export interface CoinListOptions extends CallOptions {
  /** Stop after this many coins (default 10,000). */
  maxCoins?: number;
  /** Stop after this many pages (default 1,000): a node cannot keep the client paging forever. */
  maxPages?: number;
  /** Coins per request, 1..MAX_LIGHT_COIN_PAGE (default the maximum). */
  pageSize?: number;
}

/**
 * Every unspent coin a node lists for `owner`, each checked on its own
 * (see VerifiedCoin): its creating transaction through checkTx, and that
 * transaction's output j is this very amount, label and owner. A page that
 * breaks the paging rules (too many coins, keys not increasing, a `next`
 * that does not advance) blames the node and ends the listing incomplete.
 */
export async function listCoins(
  verifier: ProofVerifier,
  owner: Uint8Array,
  options: CoinListOptions = {},
): Promise<CoinList> {
  const transport = verifier.chain.transport;
  const pageSize = options.pageSize ?? MAX_LIGHT_COIN_PAGE;
  const maxCoins = options.maxCoins ?? 10_000;
  const coins: VerifiedCoin[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < (options.maxPages ?? 1000); pages++) {
    const { node, value: page } = await transport.coins(owner, pageSize, after, options);
    const broken = (why: string): CoinList => {
      transport.blame(node, new VerificationError('LIGHT_BAD_COIN_PAGE', node, why));
      return result(coins, false);
    };
    if (page.coins.length > pageSize) return broken(`${page.coins.length} coins in a page`);
    for (const c of page.coins) {
      if (after !== undefined && c.key <= after) return broken(`coin ${c.key} out of order`);
      after = c.key;
      if (coins.length >= maxCoins) return result(coins, false);
      coins.push(await checkCoin(verifier, c, owner, node, options));
    }
    if (page.next === undefined) return result(coins, true);
    if (after !== undefined && page.next < after) return broken('next goes backwards');
    if (page.coins.length === 0 && after !== undefined && page.next <= after)
      return broken('next does not advance');
    after = page.next;
  }
  return result(coins, false);
}

async function checkCoin(
  verifier: ProofVerifier,
  c: LightCoin,
  owner: Uint8Array,
  node: string,
  options: CallOptions,
): Promise<VerifiedCoin> {
  const base = { key: c.key, amount: c.amount, label: c.label, node };
  // The decoder accepted only `txidhex.j` keys.
  const { txidHex, index: j } = coinKeyParts(c.key);
  const txid = fromHex(txidHex);
  const verdict = await verifier.checkTx(c.tx, node, txid, options);
  if (verdict.status === 'unverifiable' || verdict.status === 'pending') {
    const reason = verdict.status === 'pending' ? 'LIGHT_NOT_FOUND' : verdict.reason;
    return { ...base, status: 'unverifiable', reason };
  }
  const out = verdict.tx.proposal.request.outputs[j];
  if (!out || !equalBytes(out.owner, owner) || out.amount !== c.amount || out.label !== c.label) {
    const why = `coin ${c.key} is not output ${j} of its transaction`;
    verifier.chain.transport.blame(node, new VerificationError('LIGHT_COIN_MISMATCH', node, why));
    return { ...base, status: 'unverifiable', reason: 'LIGHT_COIN_MISMATCH', block: verdict.block };
  }
  const { request, creator } = verdict.tx.proposal;
  const origin = { type: request.type, org: creator.org, creator: creator.publicKey };
  if (verdict.status === 'included') {
    return { ...base, status: 'included', block: verdict.block, origin };
  }
  if (verdict.status === 'invalid') {
    // An invalid transaction created nothing: listing its output as a coin is a lie.
    const why = `coin ${c.key} comes from an invalid transaction`;
    verifier.chain.transport.blame(node, new VerificationError('LIGHT_INVALID_COIN', node, why));
  }
  return { ...base, status: verdict.status, block: verdict.block, code: verdict.code, origin };
}

function result(coins: VerifiedCoin[], complete: boolean): CoinList {
  const balances: Record<string, bigint> = {};
  for (const c of coins) {
    if (c.status === 'valid') balances[c.label] = (balances[c.label] ?? 0n) + c.amount;
  }
  return { coins, balances, complete };
}
