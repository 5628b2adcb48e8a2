import { type Block, buildHeader } from '../block/block.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { sha256, sha256ImplementationName } from '../crypto/hash.js';
import { domainMessage, signerFromSecret, verifyStrict } from '../crypto/signing.js';
import { DevChain } from '../dev/chain.js';
import { createDevNetwork, devSecret } from '../dev/network.js';
import { buildMint, buildSpend } from '../dev/transactions.js';
import { coinKey } from '../fabcoin/coin.js';
import type { Coin } from '../fabcoin/request.js';
import { TxCode } from '../validate/codes.js';
import { validateBlock } from '../validate/validate.js';

/**
 * The core benchmark, isomorphic so Node and a browser measure the same
 * code. Every number is a rate measured in this run; the validate figure is
 * also given as a fraction of the signature limit measured in the same run.
 */

export interface RateOptions {
  /** Keep measuring until at least this long has passed. */
  minMs?: number;
}

/** Calls `fn` in rounds until minMs has passed; returns operations per second. */
export async function measureRate(
  fn: () => unknown,
  opsPerCall: number,
  options: RateOptions = {},
): Promise<number> {
  const minMs = options.minMs ?? 1500;
  // Warm-up (JIT, key caches, precomputed tables) for a fifth of the budget.
  const warmEnd = performance.now() + minMs / 5;
  do await fn();
  while (performance.now() < warmEnd);
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    await fn();
    calls++;
    elapsed = performance.now() - start;
  }
  return (calls * opsPerCall * 1000) / elapsed;
}

/** Strict verifications per second (precheck + backend), one at a time, one thread. */
export async function benchVerify(backend: Ed25519Backend, options?: RateOptions): Promise<number> {
  const signer = await signerFromSecret(devSecret('bench', 'verify'), backend);
  const message = new Uint8Array(200).fill(7);
  const signature = await signer.sign('test', message);
  const full = domainMessage('test', message);
  const batch = 64;
  return measureRate(
    async () => {
      for (let i = 0; i < batch; i++) {
        if (!(await verifyStrict(signer.publicKey, full, signature, backend))) {
          throw new Error(`${backend.name} rejected a valid signature`);
        }
      }
    },
    batch,
    options,
  );
}

/** SHA-256 throughput of core's hash over 1 KiB messages, in MB/s. */
export async function benchSha256(options?: RateOptions): Promise<number> {
  const msg = new Uint8Array(1024).fill(1);
  const perCall = 256;
  const hashesPerSec = await measureRate(
    () => {
      for (let i = 0; i < perCall; i++) sha256(msg);
    },
    perCall,
    options,
  );
  return (hashesPerSec * 1024) / 1e6;
}

export interface SpendBlockFixture {
  chain: DevChain;
  block: Block;
  txCount: number;
  /** Signatures VSCC checks per spend: creator/owner + endorsements. */
  signaturesPerTx: number;
}

/**
 * A block of `txCount` one-in/one-out spends, each with 2 endorsements, over
 * coins minted beforehand. The creator owns the coins, so each spend carries
 * 3 signatures, as in the Fabric paper's Fabcoin benchmark.
 */
export async function spendBlockFixture(
  txCount: number,
  backend?: Ed25519Backend,
): Promise<SpendBlockFixture> {
  const net = await createDevNetwork({ seed: 'bench', backend, maxTxCount: 10_000 });
  const chain = new DevChain(net);
  const owner = net.client.signer.publicKey;
  const keys: string[] = [];
  for (let done = 0; done < txCount; done += 250) {
    const n = Math.min(250, txCount - done);
    const coins: Coin[] = Array.from({ length: n }, () => ({ amount: 10n, owner, label: 'FBC' }));
    const mint = await buildMint(net, coins);
    await chain.append([mint.bytes]);
    for (let j = 0; j < n; j++) keys.push(coinKey(mint.txid, j));
  }
  const data = await Promise.all(
    keys.map(async (key) => {
      const tx = await buildSpend(net, [key], [{ amount: 10n, owner, label: 'FBC' }], {
        state: chain.state,
      });
      return tx.bytes;
    }),
  );
  const header = buildHeader({
    channel: net.config.channel,
    number: chain.tip.number + 1,
    previousHash: chain.tip.hash,
    data,
    lastConfig: 0,
    timestamp: chain.tip.timestamp,
  });
  return { chain, block: { header, data, signatures: [] }, txCount, signaturesPerTx: 3 };
}

/** validate (VSCC + MVCC) over the fixture block, single thread: transactions per second. */
export async function benchValidate(
  fixture: SpendBlockFixture,
  backend: Ed25519Backend,
  options?: RateOptions,
): Promise<number> {
  const { chain, block } = fixture;
  return measureRate(
    async () => {
      const result = await validateBlock({
        block,
        channel: chain.net.channel,
        state: chain.state,
        backend,
      });
      if (result.codes.some((c) => c !== TxCode.VALID))
        throw new Error('benchmark block did not validate');
    },
    fixture.txCount,
    { minMs: 2000, ...options },
  );
}

export interface CoreBenchReport {
  runtime: string;
  ed25519VerifyPerSec: Record<string, number>;
  sha256MBps: number;
  /** Which SHA-256 ran (here and inside validate). */
  sha256Implementation: string;
  validate: {
    txPerBlock: number;
    signaturesPerTx: number;
    txPerSec: Record<string, number>;
    /** txPerSec / (verifyPerSec / signaturesPerTx): 1.0 means signatures are the only cost. */
    fractionOfSignatureLimit: Record<string, number>;
  };
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

export async function runCoreBench(options: {
  runtime: string;
  verifyBackends: readonly Ed25519Backend[];
  validateBackends: readonly Ed25519Backend[];
  txPerBlock?: number;
  fixtureBackend?: Ed25519Backend;
  log?: (line: string) => void;
}): Promise<CoreBenchReport> {
  const log = options.log ?? (() => {});
  const verify: Record<string, number> = {};
  for (const b of options.verifyBackends) {
    verify[b.name] = round(await benchVerify(b));
    log(`verify ${b.name}: ${verify[b.name]}/s`);
  }
  const sha = round(await benchSha256(), 1);
  log(`sha256: ${sha} MB/s`);
  const txPerBlock = options.txPerBlock ?? 500;
  const fixture = await spendBlockFixture(txPerBlock, options.fixtureBackend);
  log(`built a block of ${txPerBlock} spends`);
  const txPerSec: Record<string, number> = {};
  const fraction: Record<string, number> = {};
  for (const b of options.validateBackends) {
    const rate = await benchValidate(fixture, b);
    txPerSec[b.name] = round(rate);
    const limit = (verify[b.name] ?? (await benchVerify(b))) / fixture.signaturesPerTx;
    fraction[b.name] = round(rate / limit, 3);
    log(
      `validate ${b.name}: ${txPerSec[b.name]} tx/s (${fraction[b.name]} of the signature limit)`,
    );
  }
  return {
    runtime: options.runtime,
    ed25519VerifyPerSec: verify,
    sha256MBps: sha,
    sha256Implementation: sha256ImplementationName(),
    validate: {
      txPerBlock,
      signaturesPerTx: fixture.signaturesPerTx,
      txPerSec,
      fractionOfSignatureLimit: fraction,
    },
  };
}
