import {
  type Block,
  type ChainTip,
  type Coin,
  chainTipOf,
  coinKey,
  type Signer,
  signerFromSecret,
  txCodeName,
  verifyAttestation,
} from '@weft/core';
import {
  buildBlock,
  buildMint,
  buildSpend,
  createDevNetwork,
  DevChain,
  type DevNetwork,
  devSecret,
} from '@weft/core/dev';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import fc from 'fast-check';
import { ChannelLedger, openNodeDatabase } from '../../src/ledger/index.js';
import { CommitPipeline, type CommittedEvent } from '../../src/pipeline/commit-pipeline.js';

const SEED = 'pipeline-test';
const net = await createDevNetwork({ seed: SEED });
const alice = await signerFromSecret(devSecret(SEED, 'alice'));
const bob = await signerFromSecret(devSecret(SEED, 'bob'));
const coin = (amount: bigint, owner: Signer): Coin => ({
  amount,
  owner: owner.publicKey,
  label: 'USD',
});

/** Signs a chain of blocks, each holding the given envelopes, after genesis. */
async function chainOf(n: DevNetwork, contents: Uint8Array[][]): Promise<Block[]> {
  const blocks: Block[] = [];
  let tip: ChainTip = { number: 0, hash: n.genesisHash, timestamp: n.time };
  for (const data of contents) {
    const b = await buildBlock(n, tip, data);
    blocks.push(b);
    tip = chainTipOf(b);
  }
  return blocks;
}

/** Mint to alice in block 1, then `spends` blocks of one spend each, every spend endorsed in advance. */
async function spendChain(spends: number): Promise<Block[]> {
  const ref = new DevChain(net);
  const mint = await buildMint(
    net,
    Array.from({ length: spends }, () => coin(10n, alice)),
  );
  await ref.append([mint.bytes]);
  const txs = await Promise.all(
    Array.from({ length: spends }, (_, i) =>
      buildSpend(net, [coinKey(mint.txid, i)], [coin(10n, bob)], {
        owners: [alice],
        state: ref.state,
      }),
    ),
  );
  return chainOf(net, [[mint.bytes], ...txs.map((t) => [t.bytes])]);
}

async function freshPipeline(extra: Partial<ConstructorParameters<typeof CommitPipeline>[0]> = {}) {
  const db = await openNodeDatabase();
  const ledger = await ChannelLedger.open({ db, channel: 'weft', genesis: net.genesis });
  const committed: CommittedEvent[] = [];
  const rejected: { number: number; code: string }[] = [];
  const pipeline = new CommitPipeline({
    ledger,
    channel: net.channel,
    onCommitted: (e) => committed.push(e),
    onRejected: (number, err) => rejected.push({ number, code: err.code }),
    ...extra,
  });
  return { db, ledger, pipeline, committed, rejected };
}

async function reference(blocks: Block[]): Promise<DevChain> {
  const ref = new DevChain(net);
  for (const b of blocks) await ref.commit(b);
  return ref;
}

describe('commit pipeline', () => {
  it('commits blocks offered in any order, in order, matching the reference replay', async () => {
    const blocks = await spendChain(6);
    const ref = await reference(blocks);
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(blocks, { minLength: blocks.length, maxLength: blocks.length }),
        async (order) => {
          const { pipeline, ledger, committed, db } = await freshPipeline();
          for (const b of order) pipeline.offer(b);
          await pipeline.waitForHeight(blocks.length + 1);
          await pipeline.idle();
          assert.deepEqual(
            committed.map((e) => e.number),
            blocks.map((b) => b.header.number),
          );
          assert.deepEqual(ledger.info().commitHash, ref.commitHash);
          await db.close();
        },
      ),
      { numRuns: 5 },
    );
  });

  it('catches a double spend split over two consecutive blocks in flight at once', async () => {
    const ref = new DevChain(net);
    const mint = await buildMint(net, [coin(10n, alice)]);
    await ref.append([mint.bytes]);
    const key = coinKey(mint.txid, 0);
    const a = await buildSpend(net, [key], [coin(10n, bob)], { owners: [alice], state: ref.state });
    const b = await buildSpend(net, [key], [coin(10n, alice)], {
      owners: [alice],
      state: ref.state,
    });
    const blocks = await chainOf(net, [[mint.bytes], [a.bytes], [b.bytes]]);
    const { pipeline, committed, ledger } = await freshPipeline({ depth: 3 });
    for (const blk of blocks) pipeline.offer(blk);
    await pipeline.waitForHeight(4);
    assert.deepEqual(
      committed.map((e) => e.codes.map(txCodeName)),
      [['VALID'], ['VALID'], ['MVCC_READ_CONFLICT']],
    );
    assert.isUndefined(await ledger.getState(coinKey(b.txid, 0)));
  });

  it('drops a block that fails verification, changes nothing, and commits a good copy later', async () => {
    const blocks = await spendChain(2);
    const { pipeline, ledger, rejected, committed } = await freshPipeline();
    pipeline.offer(blocks[0]!);
    await pipeline.waitForHeight(2);
    const forged = structuredClone(blocks[1]!);
    forged.signatures[0]!.signature[3] = forged.signatures[0]!.signature[3]! ^ 1;
    const before = ledger.info();
    pipeline.offer(forged);
    await pipeline.idle();
    assert.deepEqual(rejected, [{ number: 2, code: 'BLOCK_SIGNATURES' }]);
    assert.deepEqual(ledger.info(), before);
    pipeline.offer(blocks[1]!);
    pipeline.offer(blocks[2]!);
    await pipeline.waitForHeight(4);
    assert.deepEqual(
      committed.map((e) => e.number),
      [1, 2, 3],
    );
  });

  it('the same chain committed twice from scratch gives identical commit hashes at every height', async () => {
    const blocks = await spendChain(4);
    const runs: string[][] = [];
    for (let r = 0; r < 2; r++) {
      const { pipeline, committed } = await freshPipeline();
      for (const b of blocks) pipeline.offer(b);
      await pipeline.waitForHeight(blocks.length + 1);
      runs.push(committed.map((e) => Buffer.from(e.info.commitHash).toString('hex')));
    }
    assert.deepEqual(runs[0], runs[1]);
    assert.equal(runs[0]!.length, blocks.length);
  });

  it('attests every committed block and stores the attestation', async () => {
    const blocks = await spendChain(1);
    const peer = net.peers[0]!;
    const { pipeline, ledger, committed } = await freshPipeline({
      attester: { signer: peer.signer, cert: peer.cert },
    });
    for (const b of blocks) pipeline.offer(b);
    await pipeline.waitForHeight(3);
    for (const e of committed) {
      const stored = await ledger.getAttestations(e.number);
      assert.equal(stored.length, 1);
      await verifyAttestation(stored[0]!, { channel: net.channel, at: net.time });
      assert.deepEqual(stored[0]!.commitHash, e.info.commitHash);
    }
  });

  it('commits invalid transactions with their codes without stopping', async () => {
    const garbage = new TextEncoder().encode('garbage');
    const mint = await buildMint(net, [coin(1n, alice)]);
    const blocks = await chainOf(net, [[garbage, mint.bytes], [mint.bytes]]);
    const { pipeline, committed } = await freshPipeline();
    for (const b of blocks) pipeline.offer(b);
    await pipeline.waitForHeight(3);
    assert.deepEqual(
      committed.map((e) => e.codes.map(txCodeName)),
      [['BAD_PAYLOAD', 'VALID'], ['DUPLICATE_TXID']],
    );
  });

  it('rejects every waiter with PIPELINE_FAILED when a local failure stops it', async () => {
    const blocks = await spendChain(2);
    // A VSCC pool that has lost all its workers: a local fault, not the block's.
    const checkAll = async () => {
      throw new Error('no VSCC worker is running');
    };
    const { pipeline, ledger } = await freshPipeline({ checkAll });
    const waiting = [pipeline.waitForHeight(2), pipeline.waitForHeight(4)];
    for (const b of blocks) pipeline.offer(b);
    for (const w of waiting) await rejectsWithCode(() => w, 'PIPELINE_FAILED');
    await rejectsWithCode(() => pipeline.waitForHeight(3), 'PIPELINE_FAILED');
    assert.equal(ledger.info().height, 1);
  });
});
