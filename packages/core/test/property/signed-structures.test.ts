import { assert, describe, it } from '@weft/test/harness';
import fc from 'fast-check';
import {
  buildBlock,
  buildMint,
  buildSpend,
  createDevNetwork,
  DevChain,
  devSecret,
} from '../../src/dev/index.js';
import {
  coinKey,
  decodeAttestation,
  decodeBlock,
  decodeCertificate,
  encodeAttestation,
  encodeBlock,
  encodeCertificate,
  equalBytes,
  parseTx,
  rwsetHash,
  signAttestation,
  signerFromSecret,
  TxCode,
  validateBlock,
  verifyAttestation,
  verifyBlock,
  WeftError,
} from '../../src/index.js';

const net = await createDevNetwork({ seed: 'prop-flip' });
const owner = await signerFromSecret(devSecret('prop-flip', 'owner'));
const chain = new DevChain(net);
const mint = await buildMint(net, [{ amount: 50n, owner: owner.publicKey, label: 'USD' }]);
await chain.append([mint.bytes]);
const spend = await buildSpend(
  net,
  [coinKey(mint.txid, 0)],
  [{ amount: 50n, owner: net.client.signer.publicKey, label: 'USD' }],
  { owners: [owner], state: chain.state },
);

/** An index into `bytes` and a non-zero xor mask: one flipped byte. */
const flipArb = (length: number) =>
  fc.record({ index: fc.nat({ max: length - 1 }), mask: fc.integer({ min: 1, max: 255 }) });

function flip(bytes: Uint8Array, f: { index: number; mask: number }): Uint8Array {
  const out = bytes.slice();
  out[f.index] = out[f.index]! ^ f.mask;
  return out;
}

/** Runs `check` on mutated bytes; a typed Weft error counts as rejection, anything else fails. */
async function rejected(check: () => Promise<boolean>): Promise<boolean> {
  try {
    return !(await check());
  } catch (err) {
    if (err instanceof WeftError) return true;
    throw err;
  }
}

describe('parseTx', () => {
  it("hashes the rw-set's bytes in the envelope, which equal its re-encoding", () => {
    for (const tx of [mint, spend]) {
      const parsed = parseTx(tx.bytes);
      assert.ok(equalBytes(parsed.rwsetHash, rwsetHash(tx.envelope.rwset)));
      assert.ok(equalBytes(parsed.rwsetHash, rwsetHash(parsed.envelope.rwset)));
    }
  });
});

describe('property: any single flipped byte in a signed structure fails verification', () => {
  it('transaction envelopes', async () => {
    const code = async (data: Uint8Array) =>
      (
        await validateBlock({
          block: await buildBlock(net, chain.tip, [data]),
          channel: net.channel,
          state: chain.state,
        })
      ).codes[0];
    assert.equal(await code(spend.bytes), TxCode.VALID);
    await fc.assert(
      fc.asyncProperty(flipArb(spend.bytes.length), async (f) => {
        assert.notEqual(await code(flip(spend.bytes, f)), TxCode.VALID);
      }),
      { numRuns: 60 },
    );
  });

  it('blocks', async () => {
    const block = await buildBlock(net, chain.tip, [spend.bytes]);
    const bytes = encodeBlock(block);
    const verify = (b: Uint8Array) =>
      verifyBlock({ block: decodeBlock(b), previous: chain.tip, channel: net.channel }).then(
        () => true,
      );
    assert.isTrue(await verify(bytes));
    await fc.assert(
      fc.asyncProperty(flipArb(bytes.length), async (f) => {
        assert.isTrue(await rejected(() => verify(flip(bytes, f))));
      }),
      { numRuns: 60 },
    );
  });

  it('certificates', async () => {
    const bytes = encodeCertificate(net.peers[0]!.cert);
    const identify = (b: Uint8Array) =>
      net.channel.msp
        .identify(decodeCertificate(b), { at: net.time, roles: ['peer'], org: 'Org1' })
        .then(() => true);
    assert.isTrue(await identify(bytes));
    await fc.assert(
      fc.asyncProperty(flipArb(bytes.length), async (f) => {
        assert.isTrue(await rejected(() => identify(flip(bytes, f))));
      }),
      { numRuns: 60 },
    );
  });

  it('attestations', async () => {
    const p = net.peers[0]!;
    const a = await signAttestation(
      {
        channel: 'weft',
        number: 1,
        blockHash: new Uint8Array(32).fill(1),
        codesHash: new Uint8Array(32).fill(2),
        commitHash: new Uint8Array(32).fill(3),
      },
      p.signer,
      p.cert,
    );
    const bytes = encodeAttestation(a);
    const check = async (b: Uint8Array) => {
      const d = decodeAttestation(b);
      await verifyAttestation(d, { channel: net.channel, at: net.time });
      return true;
    };
    assert.isTrue(await check(bytes));
    await fc.assert(
      fc.asyncProperty(flipArb(bytes.length), async (f) => {
        assert.isTrue(await rejected(() => check(flip(bytes, f))));
      }),
      { numRuns: 60 },
    );
  });
});
