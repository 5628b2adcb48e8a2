// HeaderChain with its headers verified on workers (headerWorkerPool), with
// in-process "workers": ports that structured-clone every message both ways
// (as postMessage does) and run headerWorkerHandler on a later task. Every
// verdict, hostile ones included, must be the one the chain reaches on its
// own thread; a worker that crashes, refuses or hangs only costs time.
import { nobleEd25519, signHeader, type VerifyHeaderOptions, verifyHeader } from '@weft/core';
import { buildBlock, createDevNetwork } from '@weft/core/dev';
import { assert, describe, it } from '@weft/test/harness';
import { BenchTransport, MemoryHeaderStore } from '../bench/bench-transport.js';
import { headerChain } from '../bench/workload.js';
import { HeaderChain } from '../src/chain/header-chain.js';
import { packHeaderChecks, unpackHeaderChecks } from '../src/chain/header-pack.js';
import {
  type FromHeaderWorker,
  type HeaderPort,
  type HeaderVerifier,
  headerWorkerPool,
  type ToHeaderWorker,
} from '../src/chain/header-pool.js';
import { headerWorkerHandler } from '../src/chain/header-worker.js';
import { VerificationError } from '../src/errors.js';
import { testStorage } from './support/db.js';
import { type FakeNode, FakeTransport } from './support/fake-transport.js';
import { buildFixture, hostile } from './support/fixture.js';

const { ledger } = await buildFixture('light-header-pool');
const tipNumber = ledger.height - 1;

type Fault = 'crash' | 'refuse' | 'hang';

function fakeWorker(fault?: Fault) {
  const handle = headerWorkerHandler(undefined);
  const seen: ToHeaderWorker['type'][] = [];
  let terminated = false;
  let deliver: ((m: FromHeaderWorker) => void) | undefined;
  let crash: ((err: unknown) => void) | undefined;
  const port: HeaderPort = {
    post(message, transfer) {
      const copy = structuredClone(message, { transfer });
      seen.push(copy.type);
      setTimeout(async () => {
        if (copy.type === 'verify-headers' && fault === 'crash') return crash?.(new Error('gone'));
        if (copy.type === 'verify-headers' && fault === 'hang') return;
        const answer = await handle(copy);
        if (!answer || terminated) return;
        deliver?.(
          fault === 'refuse'
            ? { type: 'headers-failed', id: answer.id, code: 'X', message: 'refused' }
            : structuredClone(answer),
        );
      }, 0);
    },
    listen(onMessage, onError) {
      deliver = onMessage;
      crash = onError;
    },
    terminate() {
      terminated = true;
    },
  };
  return { port, seen, terminated: () => terminated };
}

/** A sync from `nodes`, verified on this thread or by `verifyHeader`: its outcome and the height kept. */
async function syncWith(nodes: FakeNode[], verifyHeader?: HeaderVerifier) {
  const genesisHash = ledger.net.genesisHash;
  const transport = new FakeTransport(ledger.net.config.channel, nodes);
  const { storage } = await testStorage(genesisHash);
  const chain = await HeaderChain.open({ transport, genesisHash, ...storage, verifyHeader });
  const outcome = await chain.sync().then(
    (tip) => ({ tip: tip.number }),
    (err: unknown) => {
      assert.instanceOf(err, VerificationError, String(err));
      const e = err as VerificationError;
      return { code: e.code, reason: e.reason, node: e.node, message: e.message };
    },
  );
  const stored = await Promise.all(
    Array.from({ length: chain.height }, async (_, n) => (await chain.header(n))?.hash),
  );
  return { outcome, height: chain.height, stored };
}

/** Hostile nodes, each serving one kind of false header (as header-chain.test.ts does). */
async function hostileNodes(): Promise<FakeNode[]> {
  const { net } = ledger;
  const b1 = ledger.chain.blocks[1]!;
  const fork = await buildBlock(
    net,
    { number: 0, hash: new Uint8Array(32).fill(7), timestamp: net.time },
    b1.data,
  );
  const other = await createDevNetwork({ seed: 'light-header-pool', channel: 'other' });
  const foreign = await buildBlock(
    other,
    { number: 0, hash: other.genesisHash, timestamp: other.time },
    b1.data,
  );
  const resigned = await signHeader(b1.header, net.peers[0]!.signer);
  return [
    hostile(ledger, {
      header: (h) =>
        h.header.number === 2
          ? { ...h, header: { ...h.header, timestamp: h.header.timestamp + 1 } }
          : h,
    }),
    hostile(ledger, {
      header: (h) =>
        h.header.number === 1 ? { header: fork.header, signatures: fork.signatures } : h,
    }),
    hostile(ledger, {
      header: (h) =>
        h.header.number === 1 ? { header: foreign.header, signatures: foreign.signatures } : h,
    }),
    hostile(ledger, { header: (h) => (h.header.number === 1 ? ledger.header(2) : h) }),
    hostile(ledger, {
      header: (h) => (h.header.number === 1 ? { ...h, signatures: [resigned] } : h),
    }),
  ];
}

describe('HeaderChain on a header worker pool', () => {
  it('syncs and stores what the chain stores on its own, config sent once per worker', async () => {
    const a = fakeWorker();
    const b = fakeWorker();
    const honest = () => [hostile(ledger, {}, 'honest')];
    const inline = await syncWith(honest());
    const pooled = await syncWith(honest(), headerWorkerPool([a.port, b.port], { batchSize: 1 }));
    assert.deepEqual(pooled.outcome, { tip: tipNumber });
    assert.deepEqual(pooled, inline);
    for (const w of [a, b]) {
      assert.equal(w.seen[0], 'header-config');
      assert.equal(w.seen.filter((t) => t === 'header-config').length, 1);
      assert.isAbove(w.seen.length, 1, 'both workers verified headers');
    }
  });

  it('reaches the very verdict of the chain on its own for every hostile header', async () => {
    const reasons: unknown[] = [];
    for (const node of await hostileNodes()) {
      const inline = await syncWith([node]);
      const w = fakeWorker();
      const pooled = await syncWith([node], headerWorkerPool([w.port], { batchSize: 3 }));
      assert.deepEqual(pooled, inline);
      reasons.push('reason' in inline.outcome && inline.outcome.reason);
    }
    assert.deepEqual(reasons, [
      'BLOCK_SIGNATURES',
      'BLOCK_PREVIOUS_HASH',
      'BLOCK_CHANNEL',
      'LIGHT_OUT_OF_SEQUENCE',
      'BLOCK_SIGNATURES',
    ]);
  });

  it('a worker that crashes, refuses or hangs costs time, never a verdict', async () => {
    const [forged] = await hostileNodes();
    const expected = {
      honest: await syncWith([hostile(ledger, {}, 'honest')]),
      forged: await syncWith([forged!]),
    };
    for (const fault of ['crash', 'refuse', 'hang'] as const) {
      for (const [name, node] of [
        ['honest', hostile(ledger, {}, 'honest')],
        ['forged', forged!],
      ] as const) {
        const bad = fakeWorker(fault);
        const good = fakeWorker();
        const pool = headerWorkerPool([bad.port, good.port], { batchSize: 2, timeoutMs: 50 });
        assert.deepEqual(await syncWith([node], pool), expected[name], `${fault}, ${name}`);
        // A refusal is about one message; a crash or a hang drops (and stops) the worker.
        assert.equal(bad.terminated(), fault !== 'refuse', `${fault} terminated`);
      }
    }
  });
});

describe('HeaderChain with a verifier of its own window', () => {
  it('keeps as many headers in flight as the verifier asks for, and no more', async () => {
    const work = await headerChain(40, nobleEd25519);
    let inFlight = 0;
    let most = 0;
    const verifier: HeaderVerifier = Object.assign(
      async (o: VerifyHeaderOptions) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 0));
        inFlight--;
        return verifyHeader(o);
      },
      { window: 7 },
    );
    const chain = await HeaderChain.open({
      transport: new BenchTransport(work),
      store: new MemoryHeaderStore(),
      genesisHash: work.net.genesisHash,
      verifyHeader: verifier,
    });
    assert.equal((await chain.sync()).number, 40);
    assert.equal(most, 7);
    const pool = headerWorkerPool([fakeWorker().port, fakeWorker().port], { batchSize: 5 });
    assert.equal(pool.window, 5 * 2 * 8, 'eight messages per worker');
  });
});

describe('header packing for workers', () => {
  it('carries every field exactly, copying only what views into larger buffers cover', () => {
    const big = new Uint8Array(4096).map((_, i) => i & 0xff);
    const b1 = ledger.chain.blocks[1]!;
    const check = {
      header: {
        ...b1.header,
        channel: 'ch-é',
        number: 2 ** 53 - 1,
        timestamp: 1.5,
        previousHash: big.subarray(100, 132),
        dataHash: big.subarray(7, 7),
      },
      signatures: [...b1.signatures, { signer: big.subarray(0, 3), signature: new Uint8Array() }],
      previous: { number: 0, hash: big.subarray(1000, 1032), timestamp: -1 },
      hash: big.subarray(2000, 2032),
    };
    const pack = packHeaderChecks([check, check]);
    assert.isBelow(pack.buffer.byteLength, 2 * 600, 'no whole backing buffer copied');
    const [one, two] = unpackHeaderChecks(structuredClone(pack));
    for (const got of [one, two]) {
      assert.deepEqual(got?.header, { ...check.header });
      assert.deepEqual(got?.signatures, check.signatures);
      assert.deepEqual(got?.previous, check.previous);
      assert.deepEqual(got?.hash, check.hash);
    }
  });
});
