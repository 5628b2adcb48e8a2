import {
  coinKey,
  encodeEnvelope,
  endorse,
  type FabcoinRequest,
  fabcoinRWSet,
  rwsetHash,
  sha256,
  toHex,
} from '@weft/core';
import { signFabcoinProposal } from '../client/proposals.js';
import type { LoadedMember } from '../material/member.js';

/**
 * `count` envelopes as a gateway would broadcast them for one-in/one-out
 * Fabcoin spends (the shape `weft bench e2e` sends): a client's signed
 * proposal, the rw-set, and one endorsement by a peer of each org in
 * `endorsers`. The input coins are made up: the orderer checks only the
 * envelope's form and its creator's signature, never the ledger, so no
 * minting is needed, and these would fail at the peers.
 */
export async function spendEnvelopes(o: {
  channel: string;
  count: number;
  clients: readonly LoadedMember[];
  endorsers: readonly LoadedMember[];
}): Promise<Uint8Array[]> {
  const one = async (i: number) => {
    const creator = o.clients[i % o.clients.length]!;
    const coin = coinKey(crypto.getRandomValues(new Uint8Array(32)), 0);
    const out = { amount: 1n, owner: creator.cert.publicKey, label: 'FBC' };
    const request: FabcoinRequest = { type: 'spend', inputs: [coin], outputs: [out] };
    const { signedProposal, txid } = await signFabcoinProposal({
      channel: o.channel,
      creator,
      request,
    });
    const rwset = fabcoinRWSet(txid, request, [{ block: 1, tx: 0 }]);
    const proposalHash = sha256(signedProposal.proposal);
    const rwHash = rwsetHash(rwset);
    const endorsements = await Promise.all(
      o.endorsers.map((p) =>
        endorse({ signer: p.signer, cert: p.cert, proposalHash, rwsetHash: rwHash }),
      ),
    );
    return encodeEnvelope({ type: 'tx', signedProposal, rwset, endorsements });
  };
  const envelopes: Uint8Array[] = [];
  for (let start = 0; start < o.count; start += 256) {
    const n = Math.min(256, o.count - start);
    envelopes.push(...(await Promise.all(Array.from({ length: n }, (_, i) => one(start + i)))));
  }
  return envelopes;
}

/** What identifies an envelope in delivered blocks: its bytes' SHA-256, in hex. */
export const envelopeKey = (envelope: Uint8Array): string => toHex(sha256(envelope));
