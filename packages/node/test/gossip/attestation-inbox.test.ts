// Gossiped attestations are stored only about this peer's own block at their
// height, as pulled ones are; early ones wait for the block to be committed.
import { type Attestation, blockHash, signAttestation, toHex } from '@weft/core';
import type { DevMember } from '@weft/core/dev';
import { assert, describe, it } from '@weft/test/harness';
import { AttestationInbox } from '../../src/gossip/attestation-inbox.js';
import { ChannelLedger, openNodeDatabase } from '../../src/ledger/index.js';
import { buildFixture, commitBlocks } from '../ledger/fixture.js';

const f = await buildFixture();
// The inbox takes attestations already verified; any member can sign for these checks.
const [peer0, peer1] = f.net.peers as [DevMember, DevMember];
const peer2 = f.net.client;

async function freshLedger(committed: number): Promise<ChannelLedger> {
  const ledger = await ChannelLedger.open({
    db: await openNodeDatabase(),
    channel: 'weft',
    genesis: f.net.genesis,
  });
  await commitBlocks(ledger, f.net, f.blocks.slice(1, committed + 1));
  return ledger;
}

/** `m`'s attestation of block n (the fixture's block unless `hash` says otherwise). */
function attest(
  m: DevMember,
  n: number,
  hash = blockHash(f.blocks[n]!.header),
): Promise<Attestation> {
  const zero = new Uint8Array(32);
  const body = { channel: 'weft', number: n, blockHash: hash, codesHash: zero, commitHash: zero };
  return signAttestation(body, m.signer, m.cert);
}

const signers = async (ledger: ChannelLedger, n: number) =>
  (await ledger.attestationSigners(n, 1))[0]!.map(toHex).sort();
const other = new Uint8Array(32).fill(7);

describe('gossip: the attestation inbox', () => {
  it('stores an attestation of a committed block only when it names our block', async () => {
    const ledger = await freshLedger(2);
    const inbox = new AttestationInbox({ ledger });
    assert.equal(await inbox.take(await attest(peer1, 1)), 'stored');
    assert.equal(await inbox.take(await attest(peer2, 1, other)), 'mismatch');
    assert.deepEqual(await signers(ledger, 1), [toHex(peer1.cert.publicKey)]);
  });

  it('holds attestations of blocks not committed yet and settles them once the block is', async () => {
    const ledger = await freshLedger(1);
    const inbox = new AttestationInbox({ ledger });
    assert.equal(await inbox.take(await attest(peer1, 2)), 'held');
    assert.equal(await inbox.take(await attest(peer2, 2, other)), 'held');
    assert.equal(await inbox.take(await attest(peer0, 3)), 'held');
    assert.deepEqual(await inbox.settle(), { stored: 0, mismatched: 0 });
    assert.deepEqual(await signers(ledger, 2), []);

    await commitBlocks(ledger, f.net, [f.blocks[2]!]);
    assert.deepEqual(await inbox.settle(), { stored: 1, mismatched: 1 });
    assert.deepEqual(await signers(ledger, 2), [toHex(peer1.cert.publicKey)]);
    assert.equal(inbox.heldCount, 1, 'block 3 still waits');

    await commitBlocks(ledger, f.net, [f.blocks[3]!]);
    assert.deepEqual(await inbox.settle(), { stored: 1, mismatched: 0 });
    assert.deepEqual(await signers(ledger, 3), [toHex(peer0.cert.publicKey)]);
    assert.equal(inbox.heldCount, 0);
  });

  it('holds a bounded number, dropping the oldest first; a repeat replaces its earlier copy', async () => {
    const ledger = await freshLedger(1);
    const inbox = new AttestationInbox({ ledger, maxHeld: 2 });
    await inbox.take(await attest(peer0, 2));
    await inbox.take(await attest(peer1, 2));
    await inbox.take(await attest(peer1, 2));
    assert.equal(inbox.heldCount, 2);
    await inbox.take(await attest(peer2, 2));
    assert.equal(inbox.heldCount, 2);
    await commitBlocks(ledger, f.net, [f.blocks[2]!]);
    await inbox.settle();
    const kept = [peer1, peer2].map((m) => toHex(m.cert.publicKey)).sort();
    assert.deepEqual(await signers(ledger, 2), kept);
  });
});
