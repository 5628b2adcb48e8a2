import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { buildMint, createDevNetwork, DevChain, devSecret } from '../../src/dev/index.js';
import {
  blockHash,
  checkAttestations,
  codesHash,
  computeCommitHash,
  decodeAttestation,
  encodeAttestation,
  signAttestation,
  signerFromSecret,
  verifyAttestation,
} from '../../src/index.js';

const net = await createDevNetwork({ seed: 'attest-test', peerOrgs: 3 });
const owner = await signerFromSecret(devSecret('attest-test', 'owner'));

async function committedChain() {
  const chain = new DevChain(net);
  const before = chain.commitHash;
  const m = await buildMint(net, [{ amount: 9n, owner: owner.publicKey, label: 'USD' }]);
  const { block, validation } = await chain.append([m.bytes, m.bytes]);
  const body = {
    channel: net.config.channel,
    number: 1,
    blockHash: blockHash(block.header),
    codesHash: codesHash(validation.codes),
    commitHash: chain.commitHash,
  };
  return { chain, before, block, validation, body };
}

describe('commit hash and attestations', () => {
  it('commitHash chains the previous hash, block hash, codes and writes', async () => {
    const { before, block, validation, chain } = await committedChain();
    const expected = computeCommitHash({
      previous: before,
      blockHash: blockHash(block.header),
      codes: validation.codes,
      writes: validation.writes,
    });
    assert.deepEqual(chain.commitHash, expected);
    const otherCodes = computeCommitHash({
      previous: before,
      blockHash: blockHash(block.header),
      codes: [0, 0],
      writes: validation.writes,
    });
    assert.notDeepEqual(otherCodes, expected);
    const noWrites = computeCommitHash({
      previous: before,
      blockHash: blockHash(block.header),
      codes: validation.codes,
      writes: [],
    });
    assert.notDeepEqual(noWrites, expected);
  });

  it('two peers replaying the same blocks reach identical commit hashes', async () => {
    const a = await committedChain();
    const b = new DevChain(net);
    await b.commit(a.block);
    assert.deepEqual(b.commitHash, a.body.commitHash);
  });

  it('attestations from peers satisfying the policy, agreeing, satisfy it; disagreeing signers are named', async () => {
    const { body } = await committedChain();
    const [p1, p2, p3] = net.peers;
    const good1 = await signAttestation(body, p1!.signer, p1!.cert);
    const good2 = await signAttestation(body, p2!.signer, p2!.cert);
    const liar = await signAttestation(
      { ...body, codesHash: new Uint8Array(32) },
      p3!.signer,
      p3!.cert,
    );
    const one = await checkAttestations({
      channel: net.channel,
      expected: body,
      attestations: [good1, liar],
      at: net.time,
    });
    assert.isFalse(one.satisfied);
    assert.deepEqual(
      one.disagreeing.map((d) => d.org),
      ['Org3'],
    );
    const two = await checkAttestations({
      channel: net.channel,
      expected: body,
      attestations: [good1, good2, liar],
      at: net.time,
    });
    assert.isTrue(two.satisfied);
    // The same peer twice counts once.
    const dup = await checkAttestations({
      channel: net.channel,
      expected: body,
      attestations: [good1, good1],
      at: net.time,
    });
    assert.isFalse(dup.satisfied);
  });

  it('rejects forged attestations and non-peer signers', async () => {
    const { body } = await committedChain();
    const p1 = net.peers[0]!;
    const a = await signAttestation(body, p1.signer, p1.cert);
    await verifyAttestation(a, { channel: net.channel, at: net.time });
    await rejectsWithCode(
      () =>
        verifyAttestation(
          { ...a, commitHash: new Uint8Array(32) },
          { channel: net.channel, at: net.time },
        ),
      'ATTESTATION_SIGNATURE',
    );
    const byClient = await signAttestation(body, net.client.signer, net.client.cert);
    await rejectsWithCode(
      () => verifyAttestation(byClient, { channel: net.channel, at: net.time }),
      'CERT_WRONG_ROLE',
    );
    assert.deepEqual(decodeAttestation(encodeAttestation(a)), a);
  });
});
