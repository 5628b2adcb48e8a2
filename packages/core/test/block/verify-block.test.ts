import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import {
  buildBlock,
  buildMint,
  createDevNetwork,
  DevChain,
  devSecret,
  issueDevMember,
} from '../../src/dev/index.js';
import {
  type Block,
  blockHash,
  createGenesisBlock,
  decodeBlock,
  encodeBlock,
  openGenesis,
  signerFromSecret,
  verifyBlock,
  verifyHeader,
  ZERO_HASH,
} from '../../src/index.js';

const net = await createDevNetwork({ seed: 'block-test' });
const owner = await signerFromSecret(devSecret('block-test', 'owner'));
const mint = await buildMint(net, [{ amount: 5n, owner: owner.publicKey, label: 'USD' }]);
const tip = { number: 0, hash: net.genesisHash, timestamp: net.time };

function verify(block: Block, previous = tip, channel = net.channel) {
  return verifyBlock({ block, previous, channel });
}

describe('block verifier', () => {
  it('accepts a block that extends the tip with a valid orderer signature, returning its hash', async () => {
    const block = await buildBlock(net, tip, [mint.bytes]);
    const hash = await verify(block);
    assert.deepEqual(hash, blockHash(block.header));
  });

  it('rejects the wrong number', async () => {
    const block = await buildBlock(net, { ...tip, number: 1 }, [mint.bytes]);
    await rejectsWithCode(() => verify(block), 'BLOCK_NUMBER');
  });

  it('rejects a wrong previous hash', async () => {
    const block = await buildBlock(net, { ...tip, hash: ZERO_HASH }, [mint.bytes]);
    await rejectsWithCode(() => verify(block), 'BLOCK_PREVIOUS_HASH');
  });

  it('rejects data that does not match the data hash (tx added, removed or changed)', async () => {
    const block = await buildBlock(net, tip, [mint.bytes]);
    await rejectsWithCode(
      () => verify({ ...block, data: [mint.bytes, mint.bytes] }),
      'BLOCK_DATA_HASH',
    );
    const changed = mint.bytes.slice();
    changed[changed.length - 1] = changed[changed.length - 1]! ^ 1;
    await rejectsWithCode(() => verify({ ...block, data: [changed] }), 'BLOCK_DATA_HASH');
  });

  it('rejects a block with no orderer signature, a forged one, or one by a non-orderer', async () => {
    const block = await buildBlock(net, tip, [mint.bytes]);
    await rejectsWithCode(() => verify({ ...block, signatures: [] }), 'BLOCK_SIGNATURES');
    const forged = structuredClone(block);
    forged.signatures[0]!.signature[0] = forged.signatures[0]!.signature[0]! ^ 1;
    await rejectsWithCode(() => verify(forged), 'BLOCK_SIGNATURES');
    const byPeer = await buildBlock(net, tip, [mint.bytes], { signers: [net.peers[0]!.signer] });
    await rejectsWithCode(() => verify(byPeer), 'BLOCK_SIGNATURES');
  });

  it('a valid signature over a different header does not carry over (header fields are signed)', async () => {
    const block = await buildBlock(net, tip, [mint.bytes]);
    const later = { ...block, header: { ...block.header, timestamp: block.header.timestamp + 1 } };
    await rejectsWithCode(() => verify(later), 'BLOCK_SIGNATURES');
  });

  it('an orderer whose certificate expired by the block time cannot sign it', async () => {
    const ordererOrg = net.orgs.find((o) => o.name === 'OrdererOrg')!;
    const shortLived = await issueDevMember({
      org: ordererOrg,
      role: 'orderer',
      name: 'short',
      seed: 'block-test',
      notBefore: net.time - 10,
      notAfter: net.time + 10,
    });
    const net2 = await createDevNetwork({ seed: 'block-test' });
    net2.config.orderers = [{ cert: shortLived.cert, address: '/ip4/127.0.0.1/tcp/1' }];
    const g = createGenesisBlock({ config: net2.config, timestamp: net.time });
    const { channel, hash } = await openGenesis(g);
    const previous = { number: 0, hash, timestamp: net.time };
    const inTime = await buildBlock(net2, previous, [mint.bytes], {
      signers: [shortLived.signer],
      timestamp: net.time + 5,
    });
    await verifyBlock({ block: inTime, previous, channel });
    const late = await buildBlock(net2, previous, [mint.bytes], {
      signers: [shortLived.signer],
      timestamp: net.time + 11,
    });
    await rejectsWithCode(
      () => verifyBlock({ block: late, previous, channel }),
      'BLOCK_SIGNATURES',
    );
  });

  it('rejects another channel, an empty block, time going backwards and a future lastConfig', async () => {
    const block = await buildBlock(net, tip, [mint.bytes]);
    const other = await createDevNetwork({ seed: 'block-test', channel: 'other' });
    await rejectsWithCode(() => verify(block, tip, other.channel), 'BLOCK_CHANNEL');
    const empty = await buildBlock(net, tip, []);
    await rejectsWithCode(() => verify(empty), 'BLOCK_EMPTY');
    const old = await buildBlock(net, tip, [mint.bytes], { timestamp: net.time - 1 });
    await rejectsWithCode(() => verify(old), 'BLOCK_TIMESTAMP');
    const cfg = { ...block, header: { ...block.header, lastConfig: 1 } };
    await rejectsWithCode(() => verify(cfg), 'BLOCK_LAST_CONFIG');
  });

  it('encodes and decodes blocks canonically', async () => {
    const block = await buildBlock(net, tip, [mint.bytes]);
    const bytes = encodeBlock(block);
    assert.deepEqual(encodeBlock(decodeBlock(bytes)), bytes);
    await rejectsWithCode(async () => decodeBlock(bytes, bytes.length - 1), 'CODEC_TOO_LARGE');
  });

  it('a chain of blocks verifies block after block', async () => {
    const chain = new DevChain(net);
    for (let i = 0; i < 3; i++) {
      const m = await buildMint(net, [
        { amount: BigInt(i + 1), owner: owner.publicKey, label: 'USD' },
      ]);
      await chain.append([m.bytes]);
    }
    assert.equal(chain.tip.number, 3);
  });
});

describe('header verifier (no envelopes)', () => {
  const header = (block: Block, previous = tip) =>
    verifyHeader({
      header: block.header,
      signatures: block.signatures,
      previous,
      channel: net.channel,
    });

  it('accepts a header the orderer signed, returning the same hash as the full check', async () => {
    const block = await buildBlock(net, tip, [mint.bytes]);
    assert.deepEqual(await header(block), await verify(block));
  });

  it('refuses a broken link, a changed header field, or missing signatures', async () => {
    const block = await buildBlock(net, tip, [mint.bytes]);
    await rejectsWithCode(() => header(block, { ...tip, hash: ZERO_HASH }), 'BLOCK_PREVIOUS_HASH');
    await rejectsWithCode(() => header(block, { ...tip, number: 1 }), 'BLOCK_NUMBER');
    const other = { ...block, header: { ...block.header, dataHash: ZERO_HASH } };
    await rejectsWithCode(() => header(other), 'BLOCK_SIGNATURES');
    await rejectsWithCode(() => header({ ...block, signatures: [] }), 'BLOCK_SIGNATURES');
  });
});

describe('genesis', () => {
  it('opens against its trusted hash and rejects any other', async () => {
    const { hash } = await openGenesis(net.genesis, { expectedHash: net.genesisHash });
    assert.deepEqual(hash, net.genesisHash);
    await rejectsWithCode(
      () => openGenesis(net.genesis, { expectedHash: ZERO_HASH }),
      'BLOCK_GENESIS_MISMATCH',
    );
  });

  it('rejects a genesis block that is not block 0, or whose data is not a config', async () => {
    await rejectsWithCode(
      () => openGenesis({ ...net.genesis, header: { ...net.genesis.header, number: 1 } }),
      'BLOCK_NOT_GENESIS',
    );
    const g = await buildBlock(net, { number: -1, hash: ZERO_HASH, timestamp: 0 }, [mint.bytes]);
    await rejectsWithCode(() => openGenesis(g), 'BLOCK_NOT_GENESIS');
  });
});
