// HeaderChain checks many headers' signatures at once: a forged header deep
// in a long range still stops the sync exactly there, with every header
// before it stored (across write batches) and none after it.
import {
  decodeLightHeader,
  encodeLightHeader,
  nobleEd25519,
  type WeftError,
  webCryptoEd25519,
} from '@weft/core';
import { assert, describe, it } from '@weft/test/harness';
import { BenchTransport, MemoryHeaderStore } from '../bench/bench-transport.js';
import { headerChain } from '../bench/workload.js';
import { HeaderChain } from '../src/chain/header-chain.js';
import { VerificationError } from '../src/errors.js';

const backend = (await webCryptoEd25519()) ?? nobleEd25519;
const work = await headerChain(600, backend);

class RecordingTransport extends BenchTransport {
  readonly blamed: string[] = [];
  override blame(_node: string, reason: WeftError): void {
    this.blamed.push(reason.code);
  }
}

/** The chain with header `n`'s timestamp changed, so its orderer signature no longer holds. */
function forgedAt(n: number) {
  const headers = [...work.headers];
  const h = decodeLightHeader(headers[n]!);
  headers[n] = encodeLightHeader({
    ...h,
    header: { ...h.header, timestamp: h.header.timestamp + 1 },
  });
  return { ...work, headers };
}

describe('HeaderChain: signatures checked in a window', () => {
  it('syncs a long chain and stores every header', async () => {
    const store = new MemoryHeaderStore();
    const transport = new RecordingTransport(work);
    const chain = await HeaderChain.open({
      transport,
      store,
      genesisHash: work.net.genesisHash,
      backend,
    });
    const tip = await chain.sync();
    assert.equal(tip.number, 600);
    assert.equal((await store.tip())?.number, 600);
    assert.deepEqual(transport.blamed, []);
  });

  it('stops at a forged header in the middle of a range, keeping exactly those before it', async () => {
    for (const bad of [1, 257, 431, 537]) {
      const store = new MemoryHeaderStore();
      const transport = new RecordingTransport(forgedAt(bad));
      const chain = await HeaderChain.open({
        transport,
        store,
        genesisHash: work.net.genesisHash,
        backend,
      });
      let caught: unknown;
      await chain.sync().catch((err: unknown) => {
        caught = err;
      });
      assert.instanceOf(caught, VerificationError);
      assert.equal((caught as VerificationError).reason, 'BLOCK_SIGNATURES');
      assert.equal(chain.height, bad, `headers 0..${bad - 1} kept`);
      assert.equal((await store.tip())?.number, bad - 1);
      assert.isUndefined(await store.header(bad));
      assert.isUndefined(await store.header(bad + 1));
      assert.deepEqual(transport.blamed, ['LIGHT_BAD_HEADER']);
    }
  });
});
