// A small Fabcoin chain built with core's dev kit, its reference replay
// (DevChain), and helpers that commit it to a ChannelLedger the way a peer
// does and compare every query against the reference.
import {
  type Block,
  type BlockValidation,
  blockHash,
  type Coin,
  codesHash,
  coinKey,
  computeCommitHash,
  decodeCoin,
  encodeBlock,
  isCoinKey,
  type Signer,
  signAttestation,
  signerFromSecret,
  TxCode,
  toHex,
  txCodeName,
  utf8,
  validateBlock,
  verifyBlock,
} from '@weft/core';
import {
  buildMint,
  buildSpend,
  createDevNetwork,
  DevChain,
  type DevMember,
  type DevNetwork,
  devSecret,
} from '@weft/core/dev';
import { assert } from '@weft/test/harness';
import type { ChannelLedger } from '../../src/ledger/index.js';

export const SEED = 'ledger-test';
export const alice = await signerFromSecret(devSecret(SEED, 'alice'));
export const bob = await signerFromSecret(devSecret(SEED, 'bob'));

export function coin(amount: bigint, owner: Signer, label = 'USD'): Coin {
  return { amount, owner: owner.publicKey, label };
}

export interface Fixture {
  net: DevNetwork;
  /** Blocks 0..3, genesis first. */
  blocks: Block[];
}

/**
 * Block 1 mints; block 2 spends, double-spends in the block, and holds
 * garbage, a zero-amount mint and a replayed txid; block 3 double-spends
 * across blocks, spends twice more and repeats one envelope.
 */
export async function buildFixture(channel = 'weft'): Promise<Fixture> {
  const net = await createDevNetwork({ seed: SEED, channel });
  const chain = new DevChain(net);
  const m1 = await buildMint(net, [coin(100n, alice), coin(7n, alice, 'FBC')]);
  const m2 = await buildMint(net, [coin(50n, bob)]);
  const m3 = await buildMint(
    net,
    [1n, 2n, 3n, 4n, 5n].map((a) => coin(a, alice)),
  );
  await chain.append([m1.bytes, m2.bytes, m3.bytes]);

  const state = chain.state;
  const spend = (inputs: string[], outputs: Coin[], owner: Signer) =>
    buildSpend(net, inputs, outputs, { owners: [owner], state });
  const a100 = coinKey(m1.txid, 0);
  const spendA = await spend([a100], [coin(60n, bob), coin(40n, alice)], alice);
  const doubleA = await spend([a100], [coin(100n, bob)], alice);
  const lateDouble = await spend([a100], [coin(100n, alice)], alice);
  const badMint = await buildMint(net, [coin(0n, alice)], { unchecked: true });
  const bobSpend = await spend([coinKey(m2.txid, 0)], [coin(50n, alice)], bob);
  await chain.append([
    spendA.bytes,
    doubleA.bytes,
    utf8('not an envelope'),
    badMint.bytes,
    m2.bytes,
    bobSpend.bytes,
  ]);

  const fbc = await spend([coinKey(m1.txid, 1)], [coin(7n, bob, 'FBC')], alice);
  const split = await spend([coinKey(spendA.txid, 0)], [coin(30n, bob), coin(30n, alice)], bob);
  await chain.append([lateDouble.bytes, fbc.bytes, split.bytes, split.bytes]);
  return { net, blocks: chain.blocks };
}

export interface Reference {
  chain: DevChain;
  validations: BlockValidation[];
  /** commitHash after each block. */
  commitHashes: Uint8Array[];
}

/** Replays blocks 1..height-1 on a fresh DevChain: the reference for a ledger of that height. */
export async function replay(f: Fixture, height = f.blocks.length): Promise<Reference> {
  const chain = new DevChain(f.net);
  const validations: BlockValidation[] = [
    { codes: [TxCode.VALID], txids: [undefined], writes: [], committed: new Map() },
  ];
  const commitHashes = [chain.commitHash];
  for (const block of f.blocks.slice(1, height)) {
    validations.push(await chain.commit(block));
    commitHashes.push(chain.commitHash);
  }
  return { chain, validations, commitHashes };
}

export function codeNames(v: BlockValidation): string[] {
  return v.codes.map(txCodeName);
}

/** Verifies, validates (against the ledger's own state) and commits, as a peer does. */
export async function commitBlocks(
  ledger: ChannelLedger,
  net: DevNetwork,
  blocks: readonly Block[],
  options: { attester?: DevMember } = {},
): Promise<void> {
  const { channel, backend } = net;
  for (const block of blocks) {
    const info = ledger.info();
    const previous = {
      number: info.height - 1,
      hash: info.lastHash,
      timestamp: info.lastTimestamp,
    };
    const hash = await verifyBlock({ block, previous, channel, backend });
    const validation = await validateBlock({ block, channel, state: ledger.stateView(), backend });
    const { codes, writes } = validation;
    const commitHash = computeCommitHash({
      previous: info.commitHash,
      blockHash: hash,
      codes,
      writes,
    });
    const a = options.attester;
    const attestation =
      a &&
      (await signAttestation(
        {
          channel: info.channel,
          number: block.header.number,
          blockHash: hash,
          codesHash: codesHash(codes),
          commitHash,
        },
        a.signer,
        a.cert,
      ));
    await ledger.commitBlock({ block, hash, validation, commitHash, attestation });
  }
}

/** Every unspent coin in the reference state, by owner hex, in coin-key order. */
function expectedCoins(ref: Reference): Map<string, { key: string; coin: Coin }[]> {
  const byOwner = new Map<string, { key: string; coin: Coin }[]>();
  const keys = [...ref.chain.state.values.keys()].filter(isCoinKey).sort();
  for (const key of keys) {
    const coin = decodeCoin(ref.chain.state.values.get(key)!.value);
    const list = byOwner.get(toHex(coin.owner)) ?? [];
    list.push({ key, coin });
    byOwner.set(toHex(coin.owner), list);
  }
  return byOwner;
}

/** All of an owner's coins, fetched `limit` at a time. */
export async function allCoins(ledger: ChannelLedger, owner: Uint8Array, limit: number) {
  const coins: { key: string; coin: Coin }[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await ledger.getCoins({ owner, limit, after });
    assert.isAtMost(page.coins.length, limit);
    coins.push(...page.coins);
    if (!page.next) return coins;
    assert.equal(page.next, page.coins.at(-1)?.key);
    after = page.next;
  }
}

/** Checks every query of `ledger` against the reference replay of the same blocks. */
export async function assertMatchesReference(ledger: ChannelLedger, f: Fixture, ref: Reference) {
  const height = ref.validations.length;
  const info = ledger.info();
  const all = ref.validations.flatMap((v) => v.codes);
  assert.equal(info.height, height);
  assert.equal(info.savepoint, height - 1);
  assert.deepEqual(info.lastHash, ref.chain.tip.hash);
  assert.deepEqual(info.commitHash, ref.chain.commitHash);
  assert.deepEqual(info.genesisHash, f.net.genesisHash);
  assert.equal(info.txCount, all.length);
  assert.equal(info.failedTxCount, all.filter((c) => c !== TxCode.VALID).length);

  const written = new Set<string>();
  for (const [n, v] of ref.validations.entries()) {
    const block = f.blocks[n]!;
    const stored = await ledger.getBlock(n);
    assert.deepEqual(stored?.block, block);
    assert.deepEqual(stored?.bytes, encodeBlock(block));
    assert.deepEqual(stored?.codes, v.codes);
    assert.deepEqual(stored?.commitHash, ref.commitHashes[n]);
    assert.equal((await ledger.getBlockByHash(blockHash(block.header)))?.number, n);
    for (const [index, txid] of v.txids.entries()) {
      if (!txid) continue;
      const tx = await ledger.getTransaction(txid);
      assert.deepEqual(tx, {
        txid,
        envelope: block.data[index]!,
        block: n,
        index,
        code: v.codes[index]!,
      });
      assert.isTrue(await ledger.stateView().hasTxid(txid));
    }
    for (const w of v.writes) written.add(w.key);
  }
  assert.isUndefined(await ledger.getBlock(height));
  for (const key of written) {
    assert.deepEqual(await ledger.getState(key), ref.chain.state.values.get(key), key);
  }
  const expected = expectedCoins(ref);
  for (const owner of [alice.publicKey, bob.publicKey]) {
    const want = expected.get(toHex(owner)) ?? [];
    assert.deepEqual(await allCoins(ledger, owner, 2), want);
    assert.deepEqual(await allCoins(ledger, owner, 1000), want);
  }
}
