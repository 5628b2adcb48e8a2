import { setTimeout as sleep } from 'node:timers/promises';
import { txCodeName } from '@weft/core';
import type { GatewayClient } from '../client/gateway-client.js';
import { type ProposalAuthor, signFabcoinProposal } from '../client/proposals.js';
import { latencySummary, round } from './stats.js';

/** An unspent coin the load may spend, with the client member that owns it. */
export interface BenchCoin {
  key: string;
  amount: bigint;
  label: string;
  owner: ProposalAuthor;
}

export interface LoadOptions {
  channel: string;
  /** Gateway connections; transactions go to them in turn. */
  clients: readonly GatewayClient[];
  /** Coins to spend, one per transaction, each at most once. */
  coins: readonly BenchCoin[];
  /** Transactions per second offered (open loop), or 'max': closed loop with `inFlight` workers. */
  rate: number | 'max';
  durationMs: number;
  inFlight: number;
  /** Told the first message of each failure code. */
  log?: (line: string) => void;
}

/** What a spend came to: VALID, another validation code, or why it failed before. */
async function spendOne(
  client: GatewayClient,
  coin: BenchCoin,
  channel: string,
): Promise<{ code: string; message?: string }> {
  try {
    const { signedProposal } = await signFabcoinProposal({
      channel,
      creator: coin.owner,
      request: {
        type: 'spend',
        inputs: [coin.key],
        outputs: [{ amount: coin.amount, owner: coin.owner.cert.publicKey, label: coin.label }],
      },
    });
    const status = await client.submit(signedProposal, true);
    if (status.status === 'committed') return { code: txCodeName(status.code) };
    // 'submitted': ordered, but the gateway's peer did not commit it in time.
    return { code: status.status === 'submitted' ? 'COMMIT_TIMEOUT' : status.status.toUpperCase() };
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).name ?? 'ERROR';
    return { code, message: (err as Error).message };
  }
}

/**
 * Drives one-in/one-out spends, each on a distinct coin, through the
 * gateways: open loop at a fixed rate (sends are scheduled by the clock,
 * whatever the network does) or closed loop (`inFlight` workers each send
 * the next spend when the previous one has its commit status). Latency is
 * from just before signing to the commit status, of VALID transactions.
 */
export async function runLoad(o: LoadOptions) {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let sent = 0;
  let next = 0;
  let lastSend = 0;
  let lastDone = 0;
  const start = performance.now();
  const end = start + o.durationMs;

  const send = async (client: GatewayClient) => {
    const coin = o.coins[next++]!;
    sent += 1;
    const t = performance.now();
    lastSend = t;
    const { code, message } = await spendOne(client, coin, o.channel);
    lastDone = performance.now();
    if (code === 'VALID') latencies.push(lastDone - t);
    else {
      if (!failures.has(code)) o.log?.(`first ${code}: ${message ?? 'committed invalid'}`);
      failures.set(code, (failures.get(code) ?? 0) + 1);
    }
  };

  if (o.rate === 'max') {
    await Promise.all(
      Array.from({ length: o.inFlight }, async (_, w) => {
        const client = o.clients[w % o.clients.length]!;
        while (performance.now() < end && next < o.coins.length) await send(client);
      }),
    );
  } else {
    const rate = o.rate;
    const total = Math.min(o.coins.length, Math.floor((rate * o.durationMs) / 1000));
    const pending: Promise<void>[] = [];
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) pending.push(send(o.clients[sent % o.clients.length]!));
      await sleep(Math.max(1, start + (sent * 1000) / rate - performance.now()));
    }
    await Promise.all(pending);
  }

  latencies.sort((a, b) => a - b);
  const succeeded = latencies.length;
  const sendSeconds = (lastSend - start) / 1000;
  const seconds = (lastDone - start) / 1000;
  return {
    sent,
    succeeded,
    failed: sent - succeeded,
    failures: Object.fromEntries(failures),
    coinsExhausted: next >= o.coins.length,
    /** Transactions sent per second, first to last send. */
    sendRate: round(sendSeconds > 0 ? sent / sendSeconds : 0, 1),
    /** VALID commits per second, first send to last answer. */
    throughput: round(seconds > 0 ? succeeded / seconds : 0, 1),
    seconds: round(seconds, 2),
    latencyMs: latencySummary(latencies),
  };
}
