// `weft up`'s dev faucet: mints test coins to an owner key on request, as
// the dev network's central bank (whose key `weft up` holds in its
// material). The wallet UI offers it on networks that announce one, so a
// new wallet can be paid without the CLI. A dev convenience only: nothing
// like it exists on a real network.
import { fromHex, toHex, txCodeName, WeftError } from '@weft/core';
import { GatewayClient } from '../client/gateway-client.js';
import { mintProposal } from '../client/proposals.js';
import type { LoadedMember } from '../material/member.js';

export interface FaucetOptions {
  channel: string;
  gateways: readonly string[];
  bank: LoadedMember;
  label?: string;
  /** Amount minted when the request names none (default 1000). */
  amount?: bigint;
  /** The most one request may ask for (default 1,000,000). */
  max?: bigint;
}

export interface Faucet {
  mint(body: unknown): Promise<{ txid: string; block: number; amount: string; label: string }>;
  close(): Promise<void>;
}

export function devFaucet(o: FaucetOptions): Faucet {
  const label = o.label ?? 'FBC';
  const max = o.max ?? 1_000_000n;
  let client: Promise<GatewayClient> | undefined;
  // One mint at a time: a dev machine, and no queue of signatures to hold.
  let turn: Promise<unknown> = Promise.resolve();
  const mintOnce = async (owner: Uint8Array, amount: bigint) => {
    client ??= GatewayClient.connect({ gateways: o.gateways, channel: o.channel });
    const gateway = await client;
    const { signedProposal, txid } = await mintProposal(
      o.channel,
      [o.bank],
      [{ amount, owner, label }],
    );
    const status = await gateway.submit(signedProposal, true);
    if (status.status !== 'committed' || txCodeName(status.code) !== 'VALID')
      throw new WeftError(
        'FAUCET_NOT_COMMITTED',
        `the mint was not committed as VALID (${status.status})`,
      );
    return { txid: toHex(txid), block: status.block, amount: amount.toString(), label };
  };
  return {
    async mint(body) {
      const { owner, amount } = readRequest(body, o.amount ?? 1000n, max);
      const run = turn.then(() => mintOnce(owner, amount));
      turn = run.catch(() => undefined);
      return run;
    },
    async close() {
      await (await client?.catch(() => undefined))?.close();
    },
  };
}

function readRequest(body: unknown, fallback: bigint, max: bigint) {
  const r = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof r.owner !== 'string' || !/^[0-9a-fA-F]{64}$/.test(r.owner))
    throw new WeftError('FAUCET_BAD_OWNER', 'owner must be a 64-hex owner key');
  let amount = fallback;
  if (r.amount !== undefined) {
    if (typeof r.amount !== 'string' || !/^[1-9][0-9]{0,18}$/.test(r.amount))
      throw new WeftError('FAUCET_BAD_AMOUNT', 'amount must be a positive whole number (a string)');
    amount = BigInt(r.amount);
  }
  if (amount > max) throw new WeftError('FAUCET_BAD_AMOUNT', `at most ${max} per request`);
  return { owner: fromHex(r.owner.toLowerCase()), amount };
}
