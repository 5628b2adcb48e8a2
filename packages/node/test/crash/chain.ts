// A deterministic Fabcoin chain for the crash test, and its reference replay
// (DevChain) recorded after every height: commit hash, full state and the
// txids each block records.
import {
  type Block,
  type Coin,
  decodeCoin,
  isCoinKey,
  NONCE_LENGTH,
  type Signer,
  sha256,
  signerFromSecret,
  TxCode,
  utf8,
  type VersionedValue,
} from '@weft/core';
import {
  type BuiltTx,
  buildMint,
  buildSpend,
  createDevNetwork,
  DevChain,
  type DevNetwork,
  devSecret,
} from '@weft/core/dev';

/** What a ledger of height h must hold: blocks 0..h-1 applied. */
export interface Snapshot {
  height: number;
  lastHash: Uint8Array;
  commitHash: Uint8Array;
  txCount: number;
  failedTxCount: number;
  state: ReadonlyMap<string, VersionedValue>;
}

export interface Recorded {
  txid: Uint8Array;
  block: number;
  index: number;
  code: TxCode;
}

export interface CrashChain {
  net: DevNetwork;
  /** Genesis first; blocks[n].header.number === n. */
  blocks: Block[];
  /** snapshots[h] for h = 1..blocks.length (snapshots[0] unused: no ledger). */
  snapshots: Snapshot[];
  /** recorded[n]: the txids block n records (DUPLICATE_TXID copies are not recorded). */
  recorded: Recorded[][];
  /** codes[n]: the validation code of every envelope of block n. */
  codes: TxCode[][];
  owners: Signer[];
}

/** mulberry32: a small seeded PRNG, so the chain is the same on every run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` blocks after genesis. Each holds 2 mints and 3-6 spends, and often
 * something invalid: a double spend inside the block, a double spend of a
 * coin spent in an earlier block, garbage bytes, a zero-amount mint, a spend
 * signed by the wrong owner, or a replayed envelope.
 */
export async function buildCrashChain(seed: string, count: number): Promise<CrashChain> {
  const net = await createDevNetwork({ seed });
  const owners = await Promise.all(
    Array.from({ length: 6 }, (_, i) => signerFromSecret(devSecret(seed, `owner${i}`))),
  );
  const ownerOf = new Map(owners.map((o) => [Buffer.from(o.publicKey).toString('hex'), o]));
  const rand = prng(0xc0ffee);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const chance = (p: number) => rand() < p;
  let nonces = 0;
  const nonce = () => sha256(utf8(`${seed}/nonce/${nonces++}`)).slice(0, NONCE_LENGTH);
  const labels = ['USD', 'EUR'];

  const chain = new DevChain(net);
  const recorded: Recorded[][] = [[]];
  const codes: TxCode[][] = [[TxCode.VALID]];
  const snapshots: Snapshot[] = [];
  let txCount = 1;
  let failedTxCount = 0;
  const snapshot = (): Snapshot => ({
    height: chain.blocks.length,
    lastHash: chain.tip.hash,
    commitHash: chain.commitHash,
    txCount,
    failedTxCount,
    state: new Map(chain.state.values),
  });
  snapshots[1] = snapshot();

  const replayable: Uint8Array[] = [];
  let lateDoubles: { due: number; tx: BuiltTx }[] = [];

  for (let b = 1; b <= count; b++) {
    const state = chain.state;
    const data: Uint8Array[] = [];
    const spend = (inputs: string[], outputs: Coin[], owner: Signer) =>
      buildSpend(net, inputs, outputs, { owners: [owner], state, nonce: nonce() });

    for (let m = 0; m < 2; m++) {
      const outputs = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
        amount: BigInt(1 + Math.floor(rand() * 1000)),
        owner: pick(owners).publicKey,
        label: pick(labels),
      }));
      data.push((await buildMint(net, outputs, { nonce: nonce() })).bytes);
    }

    // Unspent coins in committed state, in a seeded order.
    const unspent = [...state.values.entries()]
      .filter(([key]) => isCoinKey(key))
      .map(([key, v]) => ({ key, coin: decodeCoin(v.value) }))
      .sort((x, y) => (x.key < y.key ? -1 : 1))
      .map((c) => ({ c, r: rand() }))
      .sort((x, y) => x.r - y.r)
      .map(({ c }) => c);
    const taken = new Set<string>();
    const spendable = () => unspent.filter((u) => !taken.has(u.key));

    const spends = 3 + Math.floor(rand() * 4);
    for (let s = 0; s < spends; s++) {
      const first = spendable()[0];
      if (!first) break;
      const owner = ownerOf.get(Buffer.from(first.coin.owner).toString('hex'))!;
      const second = spendable().find(
        (u) =>
          u.key !== first.key &&
          u.coin.label === first.coin.label &&
          Buffer.compare(u.coin.owner, first.coin.owner) === 0,
      );
      const inputs = second && chance(0.4) ? [first, second] : [first];
      for (const u of inputs) taken.add(u.key);
      const total = inputs.reduce((sum, u) => sum + u.coin.amount, 0n);
      const label = first.coin.label;
      const part =
        total > 1n && chance(0.6) ? 1n + BigInt(Math.floor(rand() * Number(total - 1n))) : 0n;
      const outputs: Coin[] = [{ amount: total - part, owner: pick(owners).publicKey, label }];
      if (part > 0n) outputs.push({ amount: part, owner: pick(owners).publicKey, label });
      const keys = inputs.map((u) => u.key);
      const tx = await spend(keys, outputs, owner);
      data.push(tx.bytes);
      replayable.push(tx.bytes);
      // The same coins spent again later in this block, or in a later block.
      if (chance(0.15)) {
        data.push(
          (await spend(keys, [{ amount: total, owner: owner.publicKey, label }], owner)).bytes,
        );
      }
      if (chance(0.1)) {
        const again = await spend(
          keys,
          [{ amount: total, owner: pick(owners).publicKey, label }],
          owner,
        );
        lateDoubles.push({ due: b + 1 + Math.floor(rand() * 3), tx: again });
      }
    }

    for (const late of lateDoubles.filter((l) => l.due === b)) data.push(late.tx.bytes);
    lateDoubles = lateDoubles.filter((l) => l.due !== b);
    if (chance(0.2)) data.push(utf8(`not an envelope ${b}`));
    if (chance(0.15)) {
      const zero = await buildMint(
        net,
        [{ amount: 0n, owner: pick(owners).publicKey, label: 'USD' }],
        {
          unchecked: true,
          nonce: nonce(),
        },
      );
      data.push(zero.bytes);
    }
    const victim = spendable()[0];
    if (victim && chance(0.15)) {
      const rightful = victim.coin.owner;
      const thief = owners.find((o) => Buffer.compare(o.publicKey, rightful) !== 0)!;
      const out = [{ ...victim.coin, owner: thief.publicKey }];
      data.push((await spend([victim.key], out, thief)).bytes);
    }
    if (replayable.length > 8 && chance(0.2)) data.push(pick(replayable.slice(0, -8)));

    const { block, validation } = await chain.append(data);
    const rec: Recorded[] = [];
    validation.txids.forEach((txid, index) => {
      if (txid) rec.push({ txid, block: b, index, code: validation.codes[index]! });
    });
    recorded.push(rec);
    codes.push(validation.codes);
    txCount += block.data.length;
    failedTxCount += validation.codes.filter((c) => c !== TxCode.VALID).length;
    snapshots[b + 1] = snapshot();
  }
  return { net, blocks: chain.blocks, snapshots, recorded, codes, owners };
}

/** Every unspent coin of a state, by owner hex, in coin-key order (as getCoins pages them). */
export function coinsByOwner(
  state: ReadonlyMap<string, VersionedValue>,
): Map<string, { key: string; coin: Coin }[]> {
  const byOwner = new Map<string, { key: string; coin: Coin }[]>();
  for (const key of [...state.keys()].filter(isCoinKey).sort()) {
    const coin = decodeCoin(state.get(key)!.value);
    const owner = Buffer.from(coin.owner).toString('hex');
    const list = byOwner.get(owner) ?? [];
    list.push({ key, coin });
    byOwner.set(owner, list);
  }
  return byOwner;
}
