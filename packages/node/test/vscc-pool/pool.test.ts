import { checkAllInline, txCodeName, validateBlock } from '@weft/core';
import { buildMint, createDevNetwork } from '@weft/core/dev';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import { installNativeCrypto } from '../../src/crypto/install.js';
import { nativeEd25519 } from '../../src/crypto/native-ed25519.js';
import { VsccPool } from '../../src/vscc-pool/index.js';
import { ctxOf, type MixedBlock, mixedBlock } from './fixtures.js';

installNativeCrypto();

describe('VsccPool: same verdicts as inline VSCC', () => {
  let pool: VsccPool;
  let fx: MixedBlock;
  before(async () => {
    [pool, fx] = await Promise.all([
      VsccPool.start({ size: 2, chunkSize: 5 }),
      mixedBlock({ seed: 'vscc-pool', valid: 30 }),
    ]);
  });
  after(() => pool.close());

  it('checkAll returns exactly what checkAllInline returns, one TxCheck per envelope in order', async () => {
    const checks = await pool.checkAll(fx.block.data, ctxOf(fx));
    assert.equal(checks.length, fx.block.data.length);
    assert.deepEqual(checks, fx.inline);
    // The block really is mixed: the stateless half already rejects several kinds.
    const kinds = new Set(checks.map((c) => txCodeName(c.code)));
    for (const k of ['VALID', 'BAD_ENDORSEMENT', 'BAD_CREATOR_SIGNATURE', 'BAD_PAYLOAD']) {
      assert.isTrue(kinds.has(k as never), k);
    }
    for (const k of ['ENDORSEMENT_POLICY_FAILURE', 'UNKNOWN_CREATOR', 'FABCOIN_INVALID']) {
      assert.isTrue(kinds.has(k as never), k);
    }
  });

  it('validateBlock with the pool as checkAll gives the codes, txids and writes it gives inline', async () => {
    const { block, net, chain } = fx;
    const base = { block, channel: net.channel, state: chain.state };
    const inline = await validateBlock({ ...base, backend: nativeEd25519 });
    const pooled = await validateBlock({ ...base, checkAll: pool.checkAll });
    assert.deepEqual(pooled, inline);
    const names = pooled.codes.map(txCodeName);
    assert.deepEqual(names.slice(-2), ['DUPLICATE_TXID', 'MVCC_READ_CONFLICT']);
    // The unbalanced spend passes the stateless half; only the state check catches it.
    assert.equal(names.filter((n) => n === 'FABCOIN_INVALID').length, 2);
    assert.equal(names.filter((n) => n === 'VALID').length, 31);
  });

  it('blocks in flight at once each get their own answers', async () => {
    const [a, b, c] = await Promise.all([
      pool.checkAll(fx.block.data, ctxOf(fx)),
      pool.checkAll(fx.block.data.slice(3, 9), ctxOf(fx)),
      pool.checkAll([], ctxOf(fx)),
    ]);
    assert.deepEqual(a, fx.inline);
    assert.deepEqual(b, fx.inline.slice(3, 9));
    assert.deepEqual(c, []);
    assert.equal(pool.stats.queuedTx, 0);
  });

  it('serves more channels than a worker caches, interleaved, each with its own config', async () => {
    const nets = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        createDevNetwork({ seed: `vscc-pool-ch${i}`, channel: `ch${i}`, backend: nativeEd25519 }),
      ),
    );
    const blocks = await Promise.all(
      nets.map(async (net) => {
        const owner = net.client.signer.publicKey;
        const mint = await buildMint(net, [{ amount: 3n, owner, label: 'USD' }]);
        return { data: [mint.bytes], ctx: { channel: net.channel, at: net.time } };
      }),
    );
    for (let round = 0; round < 2; round++) {
      for (const { data, ctx } of blocks) {
        assert.deepEqual(await pool.checkAll(data, ctx), await checkAllInline(data, ctx));
        // Another channel's transaction is not valid here.
        const other = blocks[(blocks.findIndex((b) => b.ctx === ctx) + 1) % blocks.length]!;
        const [check] = await pool.checkAll(other.data, ctx);
        assert.equal(txCodeName(check!.code), 'BAD_PAYLOAD');
      }
    }
  });

  it('measures native Ed25519 verifications per second on one worker and on all', async () => {
    const one = await pool.measureVerifyRate({ ms: 200, workers: 1 });
    const all = await pool.measureVerifyRate({ ms: 200 });
    assert.isAbove(one, 100);
    assert.isAbove(all, 100);
  });
});

describe('VsccPool: bounds', () => {
  it('refuses work beyond its queue bound, and any work once closed, with typed errors', async () => {
    const fx = await mixedBlock({ seed: 'vscc-pool-bounds', valid: 2 });
    const pool = await VsccPool.start({ size: 1, maxQueuedTx: 10 });
    try {
      await rejectsWithCode(() => pool.checkAll(fx.block.data, ctxOf(fx)), 'VSCC_POOL_QUEUE_FULL');
      const small = fx.block.data.slice(0, 10);
      assert.deepEqual(await pool.checkAll(small, ctxOf(fx)), fx.inline.slice(0, 10));
    } finally {
      await pool.close();
    }
    await rejectsWithCode(() => pool.checkAll(fx.block.data, ctxOf(fx)), 'VSCC_POOL_CLOSED');
  });

  it('close() rejects the calls still pending with VSCC_POOL_CLOSED', async () => {
    const fx = await mixedBlock({ seed: 'vscc-pool-close', valid: 20 });
    const pool = await VsccPool.start({ size: 1 });
    const pending = rejectsWithCode(
      () => pool.checkAll(fx.block.data, ctxOf(fx)),
      'VSCC_POOL_CLOSED',
    );
    await pool.close();
    await pending;
  });

  it('rejects a pool size that is not a positive integer', async () => {
    await rejectsWithCode(() => VsccPool.start({ size: 0 }), 'VSCC_POOL_OPTIONS');
  });
});
