// The auditor's VSCC on workers, with in-process "workers": ports that
// structured-clone every message both ways (as postMessage does) and run
// vsccWorkerHandler on a later task. The checks, and so the audit, are the
// ones the page would compute itself; a failing worker only costs time.
import { checkAllInline, type TxCheckContext } from '@weft/core';
import { buildMint } from '@weft/core/dev';
import { assert, describe, it } from '@weft/test/harness';
import { audit } from '../../src/auditor/index.js';
import {
  type FromVsccWorker,
  type ToVsccWorker,
  type VsccPort,
  vsccWorkerPool,
} from '../../src/auditor/vscc-pool.js';
import { vsccWorkerHandler } from '../../src/auditor/vscc-worker.js';
import { FakeNode, FakeTransport } from '../support/fake-transport.js';
import { buildFixture } from '../support/fixture.js';

const { ledger, alice } = await buildFixture('light-vscc-pool-test');
const { net } = ledger;
// A block big enough to be cut into chunks: mints of one coin each.
const mints = await Promise.all(
  Array.from({ length: 40 }, () =>
    buildMint(net, [{ amount: 1n, owner: alice.publicKey, label: 'USD' }]),
  ),
);
await ledger.append(mints.map((m) => m.bytes));
const big = ledger.chain.blocks[ledger.height - 1]!;
const ctx: TxCheckContext = { channel: net.channel, at: big.header.timestamp };

function fakeWorker(o: { fails?: 'reply' | 'crash' | 'hang' } = {}) {
  const handle = vsccWorkerHandler(undefined);
  const seen: ToVsccWorker['type'][] = [];
  let deliver: ((m: FromVsccWorker) => void) | undefined;
  let crash: ((err: unknown) => void) | undefined;
  const port: VsccPort = {
    post(message) {
      const copy = structuredClone(message);
      seen.push(copy.type);
      setTimeout(async () => {
        if (o.fails === 'crash' && copy.type === 'check') return crash?.(new Error('gone'));
        if (o.fails === 'hang' && copy.type === 'check') return;
        const answer = await handle(copy);
        if (!answer) return;
        deliver?.(
          o.fails === 'reply'
            ? { type: 'failed', id: answer.id, code: 'X', message: 'refused' }
            : structuredClone(answer),
        );
      }, 0);
    },
    listen(onMessage, onError) {
      deliver = onMessage;
      crash = onError;
    },
  };
  return { port, seen };
}

describe('light auditor: VSCC on workers', () => {
  it('splits a block over the workers and returns the inline checks, config sent once each', async () => {
    const a = fakeWorker();
    const b = fakeWorker();
    const checkAll = vsccWorkerPool([a.port, b.port]);
    const expected = await checkAllInline(big.data, ctx);
    assert.deepEqual(await checkAll(big.data, ctx), expected);
    assert.deepEqual(await checkAll(big.data, ctx), expected);
    assert.deepEqual(a.seen, ['config', 'check', 'check']);
    assert.deepEqual(b.seen, ['config', 'check', 'check']);
  });

  it('checks small blocks on the page: a round trip is not worth it', async () => {
    const a = fakeWorker();
    const small = ledger.chain.blocks[1]!;
    const c = { ...ctx, at: small.header.timestamp };
    assert.deepEqual(
      await vsccWorkerPool([a.port])(small.data, c),
      await checkAllInline(small.data, c),
    );
    assert.deepEqual(a.seen, []);
  });

  it('checks on the page what a refusing, crashed or hung worker did not answer', async () => {
    const expected = await checkAllInline(big.data, ctx);
    for (const fails of ['reply', 'crash', 'hang'] as const) {
      const options = { timeoutMs: 50 };
      const checkAll = vsccWorkerPool([fakeWorker({ fails }).port, fakeWorker().port], options);
      assert.deepEqual(await checkAll(big.data, ctx), expected, fails);
    }
  });

  it('audits to the same report with the pool as without', async () => {
    const genesisHash = net.genesisHash;
    const transport = () => new FakeTransport(net.config.channel, [new FakeNode('honest', ledger)]);
    const inline = await audit({ transport: transport(), genesisHash });
    const pooled = await audit({
      transport: transport(),
      genesisHash,
      checkAll: vsccWorkerPool([fakeWorker().port, fakeWorker().port]),
    });
    assert.isTrue(inline.clean);
    assert.equal(inline.totals.txs, 44);
    assert.deepEqual(pooled, inline);
  });
});
