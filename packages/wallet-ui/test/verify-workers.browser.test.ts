// The page's verify workers in Chromium: real module workers (the app's own
// verify-worker.ts) verify headers and the auditor's transaction checks
// with core's verdicts, once they are ready; the page verifies instead
// without Web Workers, and once the workers are terminated.
import {
  BlockError,
  type BlockHeader,
  type BlockSignature,
  blockHash,
  type ChainTip,
  chainTipOf,
  checkAllInline,
  TxCode,
  toHex,
  verifyHeader,
  webCryptoEd25519,
} from '@weft/core';
import { buildBlock, buildMint, createDevNetwork, type DevNetwork } from '@weft/core/dev';
import { assert, describe, it } from '@weft/test/harness';
import { VerifyWorkers, workerCount } from '../src/workers/verify-workers.js';
import { waitFor } from './support/dom.js';

interface Check {
  header: BlockHeader;
  signatures: readonly BlockSignature[];
  previous: ChainTip;
}

/** `count` linked headers after genesis; header `bad` signed over another block's hash. */
async function headerChecks(net: DevNetwork, count: number, bad: number): Promise<Check[]> {
  const checks: Check[] = [];
  let previous = chainTipOf(net.genesis);
  for (let n = 1; n <= count; n++) {
    const block = await buildBlock(net, previous, [new Uint8Array([n & 0xff, n >> 8])]);
    const signatures =
      n === bad
        ? [{ ...block.signatures[0]!, signature: checks[0]!.signatures[0]!.signature }]
        : block.signatures;
    checks.push({ header: block.header, signatures, previous });
    previous = chainTipOf(block);
  }
  return checks;
}

/** Each verdict as text: the hash, or the BlockError's code. */
async function verdicts(
  verify: typeof verifyHeader,
  net: DevNetwork,
  checks: readonly Check[],
): Promise<string[]> {
  const settled = await Promise.allSettled(
    checks.map((c) =>
      verify({ ...c, channel: net.channel, backend: net.backend, hash: blockHash(c.header) }),
    ),
  );
  return settled.map((s) =>
    s.status === 'fulfilled'
      ? `ok ${toHex(s.value)}`
      : s.reason instanceof BlockError
        ? s.reason.code
        : `not a BlockError: ${s.reason}`,
  );
}

/** Counts the header and VSCC requests posted to workers. */
function countPosts(): { count: () => number; restore: () => void } {
  const post = Worker.prototype.postMessage;
  let n = 0;
  Worker.prototype.postMessage = function (this: Worker, ...args: unknown[]) {
    const type = (args[0] as { type?: string } | undefined)?.type;
    if (type === 'verify-headers' || type === 'check') n++;
    return (post as (...a: unknown[]) => void).apply(this, args);
  };
  const restore = () => {
    Worker.prototype.postMessage = post;
  };
  return { count: () => n, restore };
}

const backend = await webCryptoEd25519();
const net = await createDevNetwork({ seed: 'ui-verify-workers', backend });

describe('verify workers', () => {
  it('start one per core but the page’s, one to four', () => {
    assert.deepEqual(
      [undefined, 0, 1, 2, 3, 4, 8, 64].map((cores) => workerCount(cores)),
      [1, 1, 1, 1, 2, 3, 4, 4],
    );
  });

  it('verify headers on the workers with core’s verdicts, and on the page once terminated', async () => {
    const checks = await headerChecks(net, 150, 120);
    const expected = await verdicts(verifyHeader, net, checks);
    assert.equal(expected[119], 'BLOCK_SIGNATURES');
    assert.equal(expected.filter((v) => !v.startsWith('ok ')).length, 1);
    const posts = countPosts();
    const workers = VerifyWorkers.start(2);
    try {
      assert.equal(workers.size, 2);
      await waitFor('workers ready', () => workers.ready);
      assert.deepEqual(await verdicts(workers.verifyHeader, net, checks), expected);
      assert.isAbove(posts.count(), 0, 'the headers went to the workers');
      workers.terminate();
      const before = posts.count();
      assert.deepEqual(await verdicts(workers.verifyHeader, net, checks), expected);
      assert.equal(posts.count(), before, 'nothing is posted to terminated workers');
    } finally {
      posts.restore();
      workers.terminate();
    }
  });

  it('check the auditor’s transactions on the workers with core’s verdicts', async () => {
    const owner = net.client.signer.publicKey;
    const mints = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        buildMint(net, [{ amount: BigInt(i + 1), owner, label: 'FBC' }]),
      ),
    );
    // One envelope is not a transaction at all: its check fails the same way on both sides.
    const data = [...mints.map((m) => m.bytes), new Uint8Array([1, 2, 3])];
    const ctx = { channel: net.channel, at: net.time, backend };
    const expected = await checkAllInline(data, ctx);
    assert.equal(expected.filter((c) => c.code === TxCode.VALID).length, 40);
    const posts = countPosts();
    const workers = VerifyWorkers.start(2);
    try {
      await waitFor('workers ready', () => workers.ready);
      assert.deepEqual(await workers.checkAll(data, ctx), expected);
      assert.isAbove(posts.count(), 0, 'the checks went to the workers');
    } finally {
      posts.restore();
      workers.terminate();
    }
  });

  it('without Web Workers, start none and verify on the page', async () => {
    const real = globalThis.Worker;
    (globalThis as { Worker?: unknown }).Worker = undefined;
    let workers: VerifyWorkers;
    try {
      workers = VerifyWorkers.start(3);
    } finally {
      globalThis.Worker = real;
    }
    assert.equal(workers.size, 0);
    assert.isTrue(workers.ready);
    const checks = await headerChecks(net, 5, 3);
    assert.deepEqual(
      await verdicts(workers.verifyHeader, net, checks),
      await verdicts(verifyHeader, net, checks),
    );
  });
});
