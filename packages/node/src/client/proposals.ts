import {
  type Certificate,
  type Coin,
  computeTxid,
  type FabcoinRequest,
  NONCE_LENGTH,
  type SignedProposal,
  type Signer,
  signProposal,
} from '@weft/core';

export interface ProposalAuthor {
  cert: Certificate;
  signer: Signer;
}

/**
 * A client's signed Fabcoin proposal, as a wallet makes one: a fresh
 * random nonce (so a fresh txid), the current time, the creator's
 * signature and those of any other keys the request needs (owners of
 * inputs the creator does not own; central banks for a mint).
 */
export async function signFabcoinProposal(options: {
  channel: string;
  creator: ProposalAuthor;
  request: FabcoinRequest;
  authorisers?: readonly Signer[];
}): Promise<{ signedProposal: SignedProposal; txid: Uint8Array }> {
  const { creator } = options;
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_LENGTH));
  const signedProposal = await signProposal(
    {
      channel: options.channel,
      chaincode: 'fabcoin',
      creator: creator.cert,
      nonce,
      timestamp: Date.now(),
      request: options.request,
    },
    creator.signer,
    (options.authorisers ?? []).filter((s) => s.publicKey !== creator.signer.publicKey),
  );
  return { signedProposal, txid: computeTxid(creator.cert.publicKey, nonce) };
}

/** A mint of `outputs` by central bank members (the first creates, the others co-sign). */
export function mintProposal(channel: string, banks: readonly ProposalAuthor[], outputs: Coin[]) {
  const [first, ...rest] = banks;
  if (!first) throw new RangeError('a mint needs at least one central bank');
  return signFabcoinProposal({
    channel,
    creator: first,
    request: { type: 'mint', inputs: banks.map((b) => b.cert), outputs },
    authorisers: rest.map((b) => b.signer),
  });
}

/**
 * Picks coins of `label` covering `amount` (largest first, so few inputs)
 * and returns the spend with `to` and change back to the owner.
 */
export function planSpend(options: {
  coins: readonly { key: string; amount: bigint; label: string }[];
  owner: Uint8Array;
  to: Uint8Array;
  amount: bigint;
  label: string;
}): { inputs: string[]; outputs: Coin[] } | undefined {
  const { owner, to, amount, label } = options;
  const candidates = options.coins
    .filter((c) => c.label === label)
    .sort((a, b) => (a.amount < b.amount ? 1 : a.amount > b.amount ? -1 : 0));
  const inputs: string[] = [];
  let total = 0n;
  for (const c of candidates) {
    if (total >= amount) break;
    inputs.push(c.key);
    total += c.amount;
  }
  if (total < amount) return undefined;
  const outputs: Coin[] = [{ amount, owner: to, label }];
  if (total > amount) outputs.push({ amount: total - amount, owner, label });
  return { inputs, outputs };
}
