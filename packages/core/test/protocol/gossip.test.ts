import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { buildMint, createDevNetwork, DevChain } from '../../src/dev/index.js';
import {
  type Alive,
  blockHash,
  decodeStateMessage,
  encode,
  encodeStateMessage,
  signAlive,
  signAttestation,
  verifyAlive,
  verifyBlockSeal,
} from '../../src/index.js';

const net = await createDevNetwork({ seed: 'gossip-test', peerOrgs: 2 });
const peer = net.peers[0]!;

async function alive(overrides: Partial<Alive> = {}): Promise<Alive> {
  const signed = await signAlive(
    { channel: net.config.channel, height: 42, role: 'leader', seq: 1_000 },
    peer.signer,
    peer.cert,
  );
  return { ...signed, ...overrides };
}

describe('gossip state messages', () => {
  it('an alive message round-trips and verifies as the peer that signed it', async () => {
    const a = await alive();
    const back = decodeStateMessage(encodeStateMessage({ type: 'alive', alive: a }));
    assert.equal(back.type, 'alive');
    if (back.type !== 'alive') return;
    assert.deepEqual(back.alive, a);
    const who = await verifyAlive(back.alive, { channel: net.channel, at: net.time });
    assert.equal(who.org, peer.org);
  });

  it('any changed field breaks the alive signature', async () => {
    for (const change of [{ height: 43 }, { role: 'follower' as const }, { seq: 1_001 }]) {
      const changed = await alive(change);
      await rejectsWithCode(
        () => verifyAlive(changed, { channel: net.channel, at: net.time }),
        'GOSSIP_SIGNATURE',
      );
    }
  });

  it('an alive message for another channel, or from a non-peer, is refused', async () => {
    const other = await signAlive(
      { channel: 'other', height: 1, role: 'follower', seq: 1 },
      peer.signer,
      peer.cert,
    );
    await rejectsWithCode(
      () => verifyAlive(other, { channel: net.channel, at: net.time }),
      'GOSSIP_CHANNEL',
    );
    const client = await signAlive(
      { channel: net.config.channel, height: 1, role: 'leader', seq: 1 },
      net.client.signer,
      net.client.cert,
    );
    let refused = false;
    try {
      await verifyAlive(client, { channel: net.channel, at: net.time });
    } catch (err) {
      refused = (err as { code?: string }).code !== undefined;
    }
    assert.isTrue(refused, 'a client certificate cannot speak for a peer');
  });

  it('an attestation message round-trips', async () => {
    const a = await signAttestation(
      {
        channel: net.config.channel,
        number: 3,
        blockHash: new Uint8Array(32).fill(1),
        codesHash: new Uint8Array(32).fill(2),
        commitHash: new Uint8Array(32).fill(3),
      },
      peer.signer,
      peer.cert,
    );
    const back = decodeStateMessage(encodeStateMessage({ type: 'attestation', attestation: a }));
    assert.deepEqual(back, { type: 'attestation', attestation: a });
  });

  it('decodes strictly: unknown type, missing or extra fields, oversize', async () => {
    const good = encodeStateMessage({ type: 'alive', alive: await alive() });
    const bad = [
      encode({ type: 'gossip' }),
      encode({ type: 'alive' }),
      encode({ type: 'attestation', attestation: new Uint8Array(4), extra: 1 }),
      encode({
        type: 'alive',
        channel: 'weft',
        height: 1,
        role: 'king',
        seq: 1,
        signer: 1,
        signature: 2,
      }),
      new Uint8Array(4096),
      good.subarray(0, good.length - 1),
    ];
    for (const bytes of bad) {
      assert.throws(() => decodeStateMessage(bytes), /./);
    }
  });
});

describe('verifyBlockSeal (a block judged without its predecessor)', () => {
  it('accepts a real block and refuses a re-numbered or re-filled one', async () => {
    const chain = new DevChain(net);
    const m = await buildMint(net, [{ amount: 5n, owner: peer.cert.publicKey, label: 'FBC' }]);
    await chain.append([m.bytes]);
    const { block } = await chain.append([m.bytes]);
    const hash = await verifyBlockSeal({ block, channel: net.channel });
    assert.deepEqual(hash, blockHash(block.header));
    const renumbered = { ...block, header: { ...block.header, number: block.header.number + 5 } };
    await rejectsWithCode(
      () => verifyBlockSeal({ block: renumbered, channel: net.channel }),
      'BLOCK_SIGNATURES',
    );
    const refilled = { ...block, data: [new Uint8Array([1, 2, 3])] };
    await rejectsWithCode(
      () => verifyBlockSeal({ block: refilled, channel: net.channel }),
      'BLOCK_DATA_HASH',
    );
  });
});
