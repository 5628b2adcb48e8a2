/** What the dev faucet of `weft up` answers: the mint's transaction and block. */
export interface Minted {
  txid: string;
  block: number;
}

/**
 * Asks a dev faucet to mint `amount` to `owner` (hex). Only the mint's
 * existence is taken from the answer: the coin itself shows once the light
 * client verifies it like any other.
 */
export async function askFaucet(url: URL, owner: string, amount: bigint): Promise<Minted> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ owner, amount: amount.toString() }),
  });
  const body = (await res.json().catch(() => ({}))) as Partial<Minted> & {
    code?: string;
    message?: string;
  };
  if (!res.ok || typeof body.txid !== 'string' || typeof body.block !== 'number') {
    const message = body.message ?? `The faucet did not mint (HTTP ${res.status}).`;
    throw Object.assign(new Error(message), { code: body.code ?? 'UI_FAUCET_FAILED' });
  }
  return { txid: body.txid, block: body.block };
}
