import { type ChainTip, type Coin, chainTipOf, encodeBlock, signerFromSecret } from '@weft/core';
import { buildBlock, buildMint, createDevNetwork, devSecret } from '@weft/core/dev';
import { installNativeCrypto } from '../crypto/install.js';
import { nativeEd25519 } from '../crypto/native-ed25519.js';

// The block generator of `weft bench ledger`, run as a child process (see
// startGenerator in ledger-bench.ts) so that the peer's process holds only the peer: building
// and signing 500 mints a block churns tens of MB of heap, which measured in
// the same process as the ledger it fills, counted as the peer's RSS.
//
// Blocks are built only as far as the parent's credit allows (a block number
// the parent may receive), and sent encoded, as an orderer's deliver would.

export const GENERATOR_SEED = 'bench-ledger';
/** The argument that makes this module run as the generator (importing it does nothing). */
export const GENERATOR_FLAG = '--weft-ledger-generator';

export interface GeneratorStart {
  type: 'start';
  txs: number;
  blockSize: number;
  owners: number;
  /** Txids kept (uniform reservoir sample) for the lookup phase. */
  sampleTxids: number;
  /** Owner public keys sent back (a uniform sample when there are more). */
  sampleOwners: number;
}

export type ToGenerator = GeneratorStart | { type: 'credit'; upTo: number };

export type FromGenerator =
  | { type: 'genesis'; bytes: Uint8Array }
  | { type: 'block'; number: number; bytes: Uint8Array }
  | { type: 'done'; txids: Uint8Array[]; owners: Uint8Array[]; peakRssMB: number };

/** A uniform sample of at most `size` items of a stream (Algorithm R). */
export class Reservoir<T> {
  readonly items: T[] = [];
  #seen = 0;
  constructor(readonly size: number) {}

  add(item: T): void {
    this.#seen++;
    if (this.items.length < this.size) this.items.push(item);
    else {
      const j = Math.floor(Math.random() * this.#seen);
      if (j < this.size) this.items[j] = item;
    }
  }
}

function send(msg: FromGenerator): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send?.(msg, undefined, {}, (err) => (err ? reject(err) : resolve()));
  });
}

async function generate(o: GeneratorStart, creditUpTo: (n: number) => Promise<void>) {
  const net = await createDevNetwork({
    seed: GENERATOR_SEED,
    backend: nativeEd25519,
    maxTxCount: 10_000,
  });
  await send({ type: 'genesis', bytes: encodeBlock(net.genesis) });
  const owners: Uint8Array[] = [];
  const ownerSample = new Reservoir<Uint8Array>(o.sampleOwners);
  for (let i = 0; i < o.owners; i++) {
    const signer = await signerFromSecret(devSecret(GENERATOR_SEED, `owner${i}`), nativeEd25519);
    owners.push(signer.publicKey);
    ownerSample.add(signer.publicKey);
  }
  const txids = new Reservoir<Uint8Array>(o.sampleTxids);
  let tip: ChainTip = chainTipOf(net.genesis);
  for (let made = 0; made < o.txs; made += o.blockSize) {
    await creditUpTo(tip.number + 1);
    const n = Math.min(o.blockSize, o.txs - made);
    const txs = await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const coin: Coin = {
          amount: BigInt(made + i + 1),
          owner: owners[(made + i) % owners.length]!,
          label: 'FBC',
        };
        return buildMint(net, [coin]);
      }),
    );
    for (const tx of txs) txids.add(tx.txid);
    const block = await buildBlock(
      net,
      tip,
      txs.map((t) => t.bytes),
    );
    tip = chainTipOf(block);
    await send({ type: 'block', number: tip.number, bytes: encodeBlock(block) });
  }
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  await send({ type: 'done', txids: txids.items, owners: ownerSample.items, peakRssMB });
}

function main(): void {
  installNativeCrypto();
  let credit = 0;
  let wake: (() => void) | undefined;
  const creditUpTo = async (n: number) => {
    while (credit < n) await new Promise<void>((resolve) => (wake = resolve));
  };
  process.on('message', (msg: ToGenerator) => {
    if (msg.type === 'credit') {
      credit = Math.max(credit, msg.upTo);
      wake?.();
      wake = undefined;
    } else {
      generate(msg, creditUpTo).then(
        () => process.disconnect(),
        (err: unknown) => {
          process.stderr.write(`ledger generator: ${(err as Error)?.stack ?? String(err)}\n`);
          process.exit(1);
        },
      );
    }
  });
  // The parent going away ends the generator too.
  process.on('disconnect', () => process.exit(0));
}

if (process.send && process.argv.includes(GENERATOR_FLAG)) main();
