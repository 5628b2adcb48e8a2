import { blockHash, signHeader } from '@weft/core';
import { buildBlock, buildMint, createDevNetwork } from '@weft/core/dev';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import type { SyncProgress } from '../src/chain/header-chain.js';
import { levelHeaderStore } from '../src/chain/store.js';
import { VerificationError } from '../src/errors.js';
import { testStorage } from './support/db.js';
import { FakeNode } from './support/fake-transport.js';
import { buildFixture, hostile, lightClient } from './support/fixture.js';

const fx = await buildFixture('light-chain');
const { ledger } = fx;
const tipNumber = ledger.height - 1;

/** Rejects with a VerificationError of `code`/`reason` naming `node`. */
async function rejectedBy(p: Promise<unknown>, node: string, code: string, reason?: string) {
  try {
    await p;
  } catch (err) {
    assert.instanceOf(err, VerificationError, String(err));
    const e = err as VerificationError;
    assert.deepEqual([e.code, e.node], [code, node], e.message);
    if (reason) assert.equal(e.reason, reason, e.message);
    return;
  }
  assert.fail(`expected ${code}`);
}

describe('HeaderChain: headers from a trusted genesis hash', () => {
  it('syncs and verifies every header, stores them, reports progress', async () => {
    const { chain } = await lightClient(ledger);
    assert.equal(chain.height, 0);
    const progress: SyncProgress[] = [];
    const tip = await chain.sync({ onProgress: (p) => progress.push(p) });
    assert.equal(tip.number, tipNumber);
    assert.deepEqual(tip.hash, ledger.chain.tip.hash);
    assert.equal(chain.channel?.config.channel, 'weft');
    for (let n = 0; n <= tipNumber; n++) {
      const h = await chain.header(n);
      assert.deepEqual(h?.hash, blockHash(ledger.chain.blocks[n]!.header));
    }
    assert.isUndefined(await chain.header(tipNumber + 1));
    assert.equal(progress[0]?.phase, 'genesis');
    assert.deepEqual(progress.at(-1), { phase: 'done', tip: tipNumber });
    const stored = progress.filter((p) => p.phase === 'headers').map((p) => p.tip);
    assert.deepEqual([stored[0], stored.at(-1)], [0, tipNumber], 'from the genesis to the tip');
    // Nothing new: a second sync asks for no headers.
    assert.equal((await chain.sync()).number, tipNumber);
  });

  it('resumes from the stored tip without asking for stored headers again', async () => {
    const local = await buildFixture('light-resume');
    const place = await testStorage(local.ledger.net.genesisHash);
    const first = await lightClient(local.ledger, undefined, place.storage);
    await first.chain.sync();
    const mint = await buildMint(local.ledger.net, [
      { amount: 1n, owner: local.alice.publicKey, label: 'USD' },
    ]);
    await local.ledger.append([mint.bytes]);
    // A reload: the same database opened anew.
    const again = await lightClient(local.ledger, undefined, await place.reopen());
    assert.equal(again.chain.height, first.chain.height, 'the stored tip, before any sync');
    await again.chain.sync();
    assert.equal(again.chain.height, local.ledger.height);
    assert.deepEqual(again.transport.headerRequests, [`headers ${first.chain.height}`]);
  });

  it('refuses a stored chain whose tip does not match its headers', async () => {
    const place = await testStorage(ledger.net.genesisHash);
    await (await lightClient(ledger, undefined, place.storage)).chain.sync();
    // A tip that is not the hash of the stored header (a corrupted or tampered store).
    const { storage } = place;
    const store =
      'store' in storage ? storage.store : levelHeaderStore(storage.db, ledger.net.genesisHash);
    const wrong = { ...ledger.chain.tip, hash: blockHash(ledger.chain.blocks[1]!.header) };
    await store.append([ledger.header(tipNumber)], wrong);
    await rejectsWithCode(() => lightClient(ledger, undefined, storage), 'LIGHT_STORE_CORRUPT');
  });

  it('rejects a header with a forged signature and stores nothing from it on', async () => {
    const node = hostile(ledger, {
      header: (h) =>
        h.header.number === 2
          ? { ...h, header: { ...h.header, timestamp: h.header.timestamp + 1 } }
          : h,
    });
    const { chain } = await lightClient(ledger, [node]);
    await rejectedBy(chain.sync(), 'hostile', 'LIGHT_BAD_HEADER', 'BLOCK_SIGNATURES');
    assert.equal(chain.height, 2, 'headers 0 and 1 verified and kept');
    assert.isUndefined(await chain.header(2));
  });

  it('rejects an orderer-signed header that does not link to the previous one', async () => {
    const { net } = ledger;
    const b1 = ledger.chain.blocks[1]!;
    // Signed by the real orderer, but on top of a block that is not ours.
    const fork = await buildBlock(
      net,
      { number: 0, hash: new Uint8Array(32).fill(7), timestamp: net.time },
      b1.data,
    );
    const node = hostile(ledger, {
      header: (h) =>
        h.header.number === 1 ? { header: fork.header, signatures: fork.signatures } : h,
    });
    const { chain } = await lightClient(ledger, [node]);
    await rejectedBy(chain.sync(), 'hostile', 'LIGHT_BAD_HEADER', 'BLOCK_PREVIOUS_HASH');
    assert.equal(chain.height, 1);
  });

  it('rejects a valid header of another channel, and headers out of sequence', async () => {
    const other = await createDevNetwork({ seed: 'light-chain', channel: 'other', peerOrgs: 3 });
    const b = await buildBlock(
      other,
      { number: 0, hash: other.genesisHash, timestamp: other.time },
      ledger.chain.blocks[1]!.data,
    );
    const foreign = hostile(ledger, {
      header: (h) => (h.header.number === 1 ? { header: b.header, signatures: b.signatures } : h),
    });
    await rejectedBy(
      (await lightClient(ledger, [foreign])).chain.sync(),
      'hostile',
      'LIGHT_BAD_HEADER',
      'BLOCK_CHANNEL',
    );
    const skipping = hostile(ledger, {
      header: (h) => (h.header.number === 1 ? ledger.header(2) : h),
    });
    await rejectedBy(
      (await lightClient(ledger, [skipping])).chain.sync(),
      'hostile',
      'LIGHT_BAD_HEADER',
      'LIGHT_OUT_OF_SEQUENCE',
    );
  });

  it('rejects a genesis that is not the trusted one, and a node of another chain', async () => {
    const other = await createDevNetwork({ seed: 'light-other-genesis', peerOrgs: 3 });
    const wrong = hostile(ledger, { block: (b) => ({ block: other.genesis, codes: b.codes }) });
    const a = await lightClient(ledger, [wrong]);
    await rejectedBy(a.chain.sync(), 'hostile', 'LIGHT_BAD_GENESIS', 'BLOCK_GENESIS_MISMATCH');
    assert.equal(a.chain.height, 0);
    assert.isUndefined(a.chain.channel);
    const elsewhere = hostile(ledger, { info: (i) => ({ ...i, genesisHash: other.genesisHash }) });
    await rejectedBy(
      (await lightClient(ledger, [elsewhere])).chain.sync(),
      'hostile',
      'LIGHT_WRONG_CHAIN',
    );
  });

  it('blames a lying node and finishes the sync from another one', async () => {
    const liar = hostile(ledger, {
      header: (h) => (h.header.number === 2 ? { ...h, signatures: [] } : h),
    });
    const { chain, transport } = await lightClient(ledger, [liar, new FakeNode('honest', ledger)]);
    const progress: SyncProgress[] = [];
    const tip = await chain.sync({ onProgress: (p) => progress.push(p) });
    assert.equal(tip.number, tipNumber);
    assert.deepEqual(transport.blamed, [{ node: 'hostile', code: 'LIGHT_BAD_HEADER' }]);
    assert.deepEqual(transport.nodes(), ['honest', 'hostile']);
    const blamed = progress.find((p) => p.phase === 'blamed');
    assert.equal(blamed?.phase === 'blamed' && blamed.node, 'hostile');
  });

  it('a re-signed header by a key that is not an orderer does not count', async () => {
    const intruder = ledger.net.peers[0]!.signer;
    const node = hostile(ledger, {
      header: (h) => (h.header.number === 1 ? { ...h, signatures: [] } : h),
    });
    const resigned = await signHeader(ledger.chain.blocks[1]!.header, intruder);
    node.tamper.header = (h) => (h.header.number === 1 ? { ...h, signatures: [resigned] } : h);
    const { chain } = await lightClient(ledger, [node]);
    await rejectedBy(chain.sync(), 'hostile', 'LIGHT_BAD_HEADER', 'BLOCK_SIGNATURES');
  });
});
