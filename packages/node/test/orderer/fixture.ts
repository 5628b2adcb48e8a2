import {
  type BatchConfig,
  type Block,
  type ChainTip,
  type Channel,
  type Coin,
  chainTipOf,
  createGenesisBlock,
  openGenesis,
  verifyBlock,
} from '@weft/core';
import { type BuiltTx, buildMint, createDevNetwork, type DevNetwork } from '@weft/core/dev';
import { assert } from '@weft/test/harness';
import { installNativeCrypto } from '../../src/crypto/install.js';
import { type NodeDatabase, openNodeDatabase } from '../../src/ledger/database.js';
import { ManualClock } from '../../src/orderer/clock.js';
import { SoloOrderer, type SoloOrdererOptions } from '../../src/orderer/solo-orderer.js';

installNativeCrypto();

export const SEED = 'orderer-test';
export const net = await createDevNetwork({ seed: SEED });

export const coin = (amount = 10n): Coin => ({
  amount,
  owner: net.client.signer.publicKey,
  label: 'USD',
});

/** A mint by the network's central bank, with a fresh nonce: a distinct, valid transaction. */
export function mint(outputs = 1, n: DevNetwork = net): Promise<BuiltTx> {
  return buildMint(
    n,
    Array.from({ length: outputs }, () => coin()),
  );
}

export function mints(count: number, n: DevNetwork = net): Promise<BuiltTx[]> {
  return Promise.all(Array.from({ length: count }, () => mint(1, n)));
}

/** The dev network's channel with other batch parameters: its own genesis, same members. */
export async function genesisWith(
  ordering: Partial<BatchConfig> & { type?: 'solo' | 'jetstream' },
): Promise<{ genesis: Block; channel: Channel }> {
  // A jetstream channel must name its log; where does not matter to these tests.
  const log =
    ordering.type === 'jetstream'
      ? { jetstream: { servers: ['nats://127.0.0.1:4222'], stream: 'weft', replicas: 3 } }
      : {};
  const config = { ...net.config, ordering: { ...net.config.ordering, ...log, ...ordering } };
  const genesis = createGenesisBlock({ config, timestamp: net.time });
  const { channel } = await openGenesis(genesis);
  return { genesis, channel };
}

export interface Harness {
  db: NodeDatabase;
  clock: ManualClock;
  orderer: SoloOrderer;
  genesis: Block;
  channel: Channel;
}

/** A solo orderer on an in-memory database with a manual clock at the network's genesis time. */
export async function openHarness(
  options: Partial<SoloOrdererOptions> & { ordering?: Partial<BatchConfig> } = {},
): Promise<Harness> {
  const { ordering, ...rest } = options;
  let genesis = options.genesis ?? net.genesis;
  let channel = net.channel;
  if (ordering) ({ genesis, channel } = await genesisWith(ordering));
  else if (options.genesis) ({ channel } = await openGenesis(options.genesis));
  const db = options.db ?? (await openNodeDatabase());
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock(net.time);
  const orderer = await SoloOrderer.open({
    signer: net.orderer.signer,
    sync: false,
    ...rest,
    db,
    genesis,
    clock,
  });
  return { db, clock, orderer, genesis, channel };
}

/** Waits (without timers) until `cond` holds; fails rather than hang. */
export async function until(cond: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (cond()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Collects blocks from an iterable until `count` have arrived. */
export async function take(blocks: AsyncIterable<Block>, count: number): Promise<Block[]> {
  const out: Block[] = [];
  if (count === 0) return out;
  for await (const b of blocks) {
    out.push(b);
    if (out.length === count) break;
  }
  return out;
}

/** Verifies blocks 1.. against the genesis with core's verifyBlock; returns the final tip. */
export async function verifyChain(
  blocks: readonly Block[],
  genesis: Block,
  channel: Channel,
): Promise<ChainTip> {
  assert.deepEqual(blocks[0], genesis, 'block 0 is the genesis');
  let tip = chainTipOf(genesis);
  for (const block of blocks.slice(1)) {
    await verifyBlock({ block, previous: tip, channel });
    tip = chainTipOf(block);
  }
  return tip;
}

/** Every block of a harness's orderer, read through deliver. */
export async function chainOf(h: Harness): Promise<Block[]> {
  return take(h.orderer.deliver(0), h.orderer.height);
}
