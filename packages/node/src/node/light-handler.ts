import {
  decodeLightRequest,
  encodeLightAttestations,
  encodeLightBlock,
  encodeLightCoinPage,
  encodeLightHeader,
  encodeLightInfo,
  encodeLightTx,
  fitLightCoinPage,
  fromHex,
  type LightTx,
  MAX_LIGHT_ATTESTATIONS,
  toHex,
  WeftError,
} from '@weft/core';
import type { ChannelLedger } from '../ledger/index.js';
import type { LedgerQueries } from '../ledger/queries.js';
import type { RpcContext, RpcHandler } from '../net/index.js';
import type { HandlerContext } from './handlers.js';

/**
 * Refusals of `/weft/light/1.0.0` a client can branch on: LIGHT_NOT_FOUND
 * (no such block or transaction here), and as for the other protocols
 * NET_FORBIDDEN, NODE_UNKNOWN_CHANNEL and NODE_NOT_PEER. Malformed
 * requests get the decoder's CODEC_* code.
 */
export class LightError extends WeftError {}

function refuse(code: string, message: string): never {
  throw new LightError(code, message);
}

/**
 * The ledger a light request may read: a member node sees only the
 * channels whose config certifies it; anyone else is a light client
 * (admitted on WebSockets, or a TCP candidate that could as well be) and
 * may read any channel this node keeps (DESIGN section 8).
 */
function ledgerFor(h: HandlerContext, channel: string, ctx: RpcContext): ChannelLedger {
  if (ctx.member && !h.directory.isChannelMember(channel, ctx.publicKey))
    refuse('NET_FORBIDDEN', `not a member of channel ${channel}`);
  const rt = h.channels.get(channel);
  if (!rt) refuse('NODE_UNKNOWN_CHANNEL', `this node has not joined channel ${channel}`);
  if (!rt.ledger) refuse('NODE_NOT_PEER', `this node keeps no ledger of channel ${channel}`);
  return rt.ledger;
}

/** Only the wire fields of a ledger's TransactionProof. */
function lightTx({ envelope, block, index, treeSize, proof, codes }: LightTx): LightTx {
  return { envelope, block, index, treeSize, proof, codes };
}

/** Heads read per ledger read: a few reads per request (at most 1000 headers), each well bounded. */
const HEAD_CHUNK = 256;

/**
 * Encoded headers `from`..`end - 1`, read a chunk at a time with the next
 * chunk read while this one is sent (so the sender rarely waits on disk and
 * can put many headers in one write). Stops at the first missing block or
 * when the caller leaves.
 */
export async function* headerFrames(
  ledger: LedgerQueries,
  options: { from: number; end: number; signal: AbortSignal; chunk?: number },
): AsyncGenerator<Uint8Array, void, undefined> {
  const { from, end, signal, chunk = HEAD_CHUNK } = options;
  const read = (n: number) => {
    const p = ledger.getBlockHeads(n, Math.min(chunk, end - n));
    // Left unawaited when the caller leaves mid-chunk: its failure then goes nowhere.
    p.catch(() => {});
    return p;
  };
  let n = from;
  let next = n < end ? read(n) : undefined;
  while (next && !signal.aborted) {
    const heads = await next;
    n += heads.length;
    // A short chunk ended at a missing block: nothing after it is read.
    next = heads.length === chunk && n < end ? read(n) : undefined;
    for (const head of heads) {
      if (signal.aborted) return;
      yield encodeLightHeader(head);
    }
  }
}

/**
 * The `/weft/light/1.0.0` handler (access 'public'; formats in core's
 * protocol/light.ts): headers stream one frame per header from `from`,
 * stopping at the head (none when `from` is at or past it); every other
 * request has one answer.
 */
export function lightHandler(h: HandlerContext): RpcHandler {
  return async (req, ctx) => {
    const request = decodeLightRequest(req);
    const ledger = ledgerFor(h, request.channel, ctx);
    switch (request.type) {
      case 'info': {
        const { height, genesisHash } = ledger.info();
        return encodeLightInfo({ channel: request.channel, height, genesisHash });
      }
      case 'headers': {
        const { from } = request;
        const end = Math.min(from + request.count, ledger.info().height);
        return headerFrames(ledger, { from, end, signal: ctx.signal });
      }
      case 'block': {
        const stored = await ledger.getBlock(request.number);
        if (!stored) refuse('LIGHT_NOT_FOUND', `no block ${request.number}`);
        return encodeLightBlock(stored, stored.bytes);
      }
      case 'tx': {
        const found = await ledger.getTransactionProof(request.txid);
        if (!found) refuse('LIGHT_NOT_FOUND', `no transaction ${toHex(request.txid)}`);
        return encodeLightTx(lightTx(found));
      }
      case 'attestations': {
        if (request.number >= ledger.info().height)
          refuse('LIGHT_NOT_FOUND', `no block ${request.number}`);
        const list = await ledger.getAttestations(request.number);
        return encodeLightAttestations(list.slice(0, MAX_LIGHT_ATTESTATIONS));
      }
      case 'coins': {
        const { owner, limit, after } = request;
        const page = await ledger.getCoins({ owner, limit, after });
        const txids = [...new Set(page.coins.map((c) => c.key.slice(0, c.key.indexOf('.'))))];
        const proofs = await ledger.getTransactionProofs(txids.map(fromHex));
        const byTxid = new Map(txids.map((t, i) => [t, proofs[i]]));
        const coins = page.coins.map(({ key, coin }) => {
          const tx = byTxid.get(key.slice(0, key.indexOf('.')));
          // The ledger deletes a coin only with its state; its creator is always recorded.
          if (!tx) throw new Error(`coin ${key}: its transaction is not in the ledger`);
          return { key, amount: coin.amount, label: coin.label, tx: lightTx(tx) };
        });
        return encodeLightCoinPage(fitLightCoinPage(coins, page.next));
      }
    }
  };
}
