// Checks over orderer nodes under test: waiting for heights, comparing
// chains, and a gateway-like load that fails over between orderers.
import { type Block, blockHash, toHex } from '@weft/core';
import type { BuiltTx } from '@weft/core/dev';
import { assert } from '@weft/test/harness';
import type { OrdererNode } from './support.js';

export const hashes = (blocks: readonly Block[]): string[] =>
  blocks.map((b) => toHex(blockHash(b.header)));

/** Waits (polling, bounded) until every node has stored `height` blocks. */
export async function untilHeight(
  nodes: readonly OrdererNode[],
  height: number,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (nodes.some((n) => n.running.height < height)) {
    if (Date.now() > deadline) {
      assert.fail(
        `heights ${nodes.map((n) => n.running.height)} not all at ${height} after ${ms} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits until every node has stored `height` blocks (or those `acks`
 * point into) and returns their chains, asserting they hold the same
 * blocks: equal hashes, block for block.
 */
export async function agreedChains(
  nodes: readonly OrdererNode[],
  upTo: number | readonly ({ block: number } | undefined)[],
): Promise<Block[][]> {
  const height =
    typeof upTo === 'number' ? upTo : Math.max(0, ...upTo.map((a) => a?.block ?? 0)) + 1;
  await untilHeight(nodes, height);
  const chains = await Promise.all(nodes.map((n) => n.chain()));
  for (const [i, chain] of chains.entries()) {
    assert.deepEqual(
      hashes(chain),
      hashes(chains[0]!),
      `${nodes[i]!.member.name}: ${forkAt(chain, chains[0]!)}`,
    );
  }
  return chains;
}

/** Where two chains part, told so a failure shows what differs. */
function forkAt(a: readonly Block[], b: readonly Block[]): string {
  const n = a.findIndex((block, i) => hashes([block])[0] !== hashes([b[i] ?? block])[0]);
  if (n < 0) return `same blocks, heights ${a.length} and ${b.length}`;
  const show = (x: Block | undefined) =>
    x && { time: x.header.timestamp, txs: x.data.map((e) => toHex(e).slice(-8)) };
  return `fork at block ${n}: ${JSON.stringify(show(a[n]))} vs ${JSON.stringify(show(b[n]))}; next ${JSON.stringify(show(a[n + 1]))} vs ${JSON.stringify(show(b[n + 1]))}`;
}

export interface Submitted {
  tx: BuiltTx;
  /** Where the orderer that acknowledged it said it is; undefined if it was never acknowledged. */
  ack?: { block: number; index: number };
  /** Refused as already ordered (a retry after an unacknowledged attempt). */
  duplicate?: boolean;
}

/**
 * Broadcasts `txs` through the running orderers, `concurrency` at a time,
 * the way a gateway would: an attempt that fails with a retryable error
 * (log unavailable, orderer closed) moves on to the next orderer;
 * ORDERER_DUPLICATE_TXID after such a failure means an earlier attempt got
 * into the log.
 */
export async function submitAll(
  nodes: readonly OrdererNode[],
  txs: readonly BuiltTx[],
  options: {
    concurrency?: number;
    during?: () => Promise<void>;
    /** Earlier attempts of these were not acknowledged: a duplicate on the first try is fine too. */
    retried?: boolean;
  } = {},
): Promise<Submitted[]> {
  const out: Submitted[] = txs.map((tx) => ({ tx }));
  let next = 0;
  let stop = false;
  const worker = async (w: number) => {
    for (let i = next++; i < txs.length && !stop; i = next++) {
      const s = out[i] as Submitted;
      for (let attempt = 0; !stop; attempt++) {
        assert.isBelow(attempt, 500, `tx ${i} was never acknowledged`);
        const orderer = nodes[(i + w + attempt) % nodes.length]?.orderer;
        if (!orderer || orderer.closed) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        try {
          s.ack = await withinOrFail(orderer.broadcast(s.tx.bytes), nodes, `tx ${i}`);
          break;
        } catch (err) {
          const code = (err as { code?: string }).code ?? '';
          if (code === 'ORDERER_DUPLICATE_TXID' && (attempt > 0 || options.retried)) {
            s.duplicate = true;
            break;
          }
          if (!['ORDERER_LOG_UNAVAILABLE', 'ORDERER_CLOSED', 'ORDERER_BUSY'].includes(code))
            throw err;
        }
      }
    }
  };
  const workers = Array.from({ length: options.concurrency ?? 8 }, async (_, w) => {
    try {
      await worker(w);
    } catch (err) {
      stop = true;
      throw err;
    }
  });
  await Promise.all([...workers, options.during?.()]);
  return out;
}

/** `promise`, or a failure naming where every orderer is after 60 s: a stall fails, never hangs. */
async function withinOrFail<T>(
  promise: Promise<T>,
  nodes: readonly OrdererNode[],
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const where = nodes.map((n) => JSON.stringify(n.orderer?.progress ?? 'stopped')).join(', ');
      reject(new Error(`${what} stalled: ${where}`));
    }, 60_000);
  });
  try {
    return await Promise.race([promise, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every submitted envelope is in `chain` exactly once, and each acknowledged one where its ack said. */
export function assertAllOrdered(chain: readonly Block[], submitted: readonly Submitted[]): void {
  const where = new Map<string, string>();
  for (const b of chain.slice(1)) {
    b.data.forEach((e, i) => {
      const key = toHex(e);
      assert.isFalse(where.has(key), `envelope twice in the chain (block ${b.header.number})`);
      where.set(key, `${b.header.number}/${i}`);
    });
  }
  for (const s of submitted) {
    const at = where.get(toHex(s.tx.bytes));
    assert.isDefined(at, 'every submitted envelope is in the chain');
    if (s.ack) assert.equal(at, `${s.ack.block}/${s.ack.index}`, 'where its ack said');
  }
}
