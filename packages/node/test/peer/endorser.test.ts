import {
  type Block,
  type Coin,
  coinKey,
  computeTxid,
  type EndorseResponse,
  encode,
  encodeEnvelope,
  endorsementPayload,
  MemoryState,
  proposalToCbor,
  rwsetHash,
  type SignedProposal,
  sha256,
  signerFromSecret,
  simulateFabcoin,
  TxCode,
  utf8,
  verifyDomain,
} from '@weft/core';
import {
  type BuiltTx,
  buildBlock,
  buildMint,
  buildSpend,
  buildTx,
  createDevNetwork,
  type DevMember,
  type DevNetwork,
  devSecret,
  issueDevMember,
} from '@weft/core/dev';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { ChannelLedger, type NodeDatabase, openNodeDatabase } from '../../src/ledger/index.js';
import { Endorser, type EndorserOptions } from '../../src/peer/endorser.js';
import { PeerError } from '../../src/peer/errors.js';
import { commitBlocks } from '../ledger/fixture.js';

const SEED = 'endorser-test';
const DAY = 86_400_000;
const net = await createDevNetwork({ seed: SEED });
const alice = await signerFromSecret(devSecret(SEED, 'alice'));
const bob = await signerFromSecret(devSecret(SEED, 'bob'));
const usd = (amount: bigint, owner = alice): Coin => ({
  amount,
  owner: owner.publicKey,
  label: 'USD',
});

async function rejectsWith(p: Promise<unknown>, code: string, what = ''): Promise<PeerError> {
  try {
    await p;
  } catch (err) {
    assert.instanceOf(err, PeerError, String(err));
    assert.equal((err as PeerError).code, code, `${what} ${String(err)}`);
    return err as PeerError;
  }
  assert.fail(`${what}: expected ${code}, the proposal was endorsed`);
}

/** A peer's ledger, committing blocks the way a peer does. */
class Ledger {
  constructor(
    readonly db: NodeDatabase,
    readonly ledger: ChannelLedger,
  ) {}

  static async open(n: DevNetwork = net): Promise<Ledger> {
    const db = await openNodeDatabase();
    return new Ledger(
      db,
      await ChannelLedger.open({ db, channel: n.config.channel, genesis: n.genesis }),
    );
  }

  async append(txs: BuiltTx[], n: DevNetwork = net): Promise<Block> {
    const info = this.ledger.info();
    const block = await buildBlock(
      n,
      { number: info.height - 1, hash: info.lastHash, timestamp: info.lastTimestamp },
      txs.map((t) => t.bytes),
    );
    await commitBlocks(this.ledger, n, [block]);
    return block;
  }

  async close(): Promise<void> {
    await this.ledger.close();
    await this.db.close();
  }
}

function endorserFor(
  peer: DevMember,
  state: EndorserOptions['state'],
  extra: Partial<EndorserOptions> = {},
): Endorser {
  return new Endorser({
    channel: net.channel,
    state,
    signer: peer.signer,
    cert: peer.cert,
    now: () => net.time,
    ...extra,
  });
}

async function assertEndorsedBy(r: EndorseResponse, sp: SignedProposal, peer: DevMember) {
  assert.deepEqual(r.endorsement.endorser, peer.cert);
  const ok = await verifyDomain({
    publicKey: peer.signer.publicKey,
    domain: 'endorsement',
    bytes: endorsementPayload(sha256(sp.proposal), rwsetHash(r.rwset)),
    signature: r.endorsement.signature,
  });
  assert.isTrue(ok, 'the endorsement signature verifies');
}

describe('Endorser', () => {
  let peer: Ledger;
  let endorser: Endorser;
  /** Alice's 100 USD, minted in block 1. */
  let mint: BuiltTx;

  before(async () => {
    peer = await Ledger.open();
    endorser = endorserFor(net.peers[0]!, peer.ledger.stateView());
    mint = await buildMint(net, [usd(100n), usd(5n, bob)]);
  });
  after(async () => {
    await peer.close();
  });

  it("endorses a valid mint: the rw-set is the chaincode's, the signature verifies, and the envelope validates", async () => {
    const sp = mint.envelope.signedProposal;
    const responses = await Promise.all(
      net.peers.map((p) =>
        endorserFor(p, peer.ledger.stateView()).endorse({ channel: 'weft', signedProposal: sp }),
      ),
    );
    const expected = await simulateFabcoin({
      txid: mint.txid,
      request: mint.proposal.request,
      state: new MemoryState(),
    });
    for (const [i, r] of responses.entries()) {
      assert.deepEqual(r.rwset, expected);
      assert.deepEqual(r.rwset, mint.envelope.rwset);
      await assertEndorsedBy(r, sp, net.peers[i]!);
    }
    // The endorser changes no state.
    assert.equal(peer.ledger.info().height, 1);
    // An envelope of these endorsements is VALID when committed.
    const envelope = encodeEnvelope({
      type: 'tx',
      signedProposal: sp,
      rwset: responses[0]!.rwset,
      endorsements: responses.map((r) => r.endorsement),
    });
    await peer.append([{ ...mint, bytes: envelope }]);
    const stored = await peer.ledger.getTransaction(mint.txid);
    assert.equal(stored?.code, TxCode.VALID);
    assert.equal(stored?.block, 1);
  });

  it('endorses a valid spend with the versions it read from the ledger', async () => {
    const spend = await buildSpend(net, [coinKey(mint.txid, 0)], [usd(60n, bob), usd(40n)], {
      owners: [alice],
      state: peer.ledger.stateView(),
    });
    const sp = spend.envelope.signedProposal;
    const r = await endorser.endorse({ channel: 'weft', signedProposal: sp });
    const state = peer.ledger.stateView();
    assert.deepEqual(
      r.rwset,
      await simulateFabcoin({ txid: spend.txid, request: spend.proposal.request, state }),
    );
    assert.deepEqual(r.rwset, spend.envelope.rwset);
    assert.deepEqual(r.rwset.reads, [{ key: coinKey(mint.txid, 0), version: { block: 1, tx: 0 } }]);
    assert.deepEqual(
      r.rwset.writes.map((w) => w.key),
      [coinKey(mint.txid, 0), coinKey(spend.txid, 0), coinKey(spend.txid, 1)],
    );
    assert.isNull(r.rwset.writes[0]!.value);
    await assertEndorsedBy(r, sp, net.peers[0]!);
    // Against core's MemoryState holding the same coin, the same answer.
    const memory = new MemoryState();
    memory.values.set(coinKey(mint.txid, 0), (await peer.ledger.getState(coinKey(mint.txid, 0)))!);
    const fromMemory = await endorserFor(net.peers[0]!, memory).endorse({
      channel: 'weft',
      signedProposal: sp,
    });
    assert.deepEqual(fromMemory.rwset, r.rwset);
  });

  it('refuses a request for another channel, or a proposal for another channel', async () => {
    const sp = mint.envelope.signedProposal;
    await rejectsWith(
      endorser.endorse({ channel: 'other', signedProposal: sp }),
      'ENDORSE_WRONG_CHANNEL',
    );
    const foreign = await buildMint(net, [usd(1n)], { channel: 'other' });
    await rejectsWith(
      endorser.endorse({ channel: 'weft', signedProposal: foreign.envelope.signedProposal }),
      'ENDORSE_WRONG_CHANNEL',
    );
  });

  it('refuses proposal bytes that do not decode', async () => {
    const sp = mint.envelope.signedProposal;
    const cases: Uint8Array[] = [
      utf8('not cbor at all'),
      new Uint8Array(),
      encode({ channel: 'weft' }),
      // The right fields with a 23-byte nonce.
      encode({ ...(proposalToCbor(mint.proposal) as object), nonce: new Uint8Array(23) }),
      // Valid CBOR, not canonical: a trailing byte.
      new Uint8Array([...sp.proposal, 0]),
    ];
    for (const proposal of cases) {
      await rejectsWith(
        endorser.endorse({ channel: 'weft', signedProposal: { ...sp, proposal } }),
        'ENDORSE_BAD_PROPOSAL',
      );
    }
  });

  it('refuses a proposal too far from its clock, either way, and accepts one at the limit', async () => {
    const sp = mint.envelope.signedProposal;
    const skew = 60_000;
    const at = (now: number) =>
      endorserFor(net.peers[0]!, peer.ledger.stateView(), { now: () => now, maxClockSkewMs: skew });
    const fresh = await buildMint(net, [usd(3n)]);
    const fsp = fresh.envelope.signedProposal;
    await at(net.time + skew).endorse({ channel: 'weft', signedProposal: fsp });
    await at(net.time - skew).endorse({ channel: 'weft', signedProposal: fsp });
    await rejectsWith(
      at(net.time + skew + 1).endorse({ channel: 'weft', signedProposal: sp }),
      'ENDORSE_STALE',
    );
    await rejectsWith(
      at(net.time - skew - 1).endorse({ channel: 'weft', signedProposal: sp }),
      'ENDORSE_STALE',
    );
    // The default allows ten minutes.
    const byDefault = (now: number) =>
      endorserFor(net.peers[0]!, peer.ledger.stateView(), { now: () => now });
    await byDefault(net.time + 10 * 60_000).endorse({ channel: 'weft', signedProposal: fsp });
    await rejectsWith(
      byDefault(net.time + 10 * 60_000 + 1).endorse({ channel: 'weft', signedProposal: fsp }),
      'ENDORSE_STALE',
    );
  });

  it('refuses a creator that is not a member allowed to propose', async () => {
    const other = await createDevNetwork({ seed: `${SEED}-other`, peerOrgs: 3 });
    const stranger = await issueDevMember({
      org: other.orgs[2]!,
      role: 'client',
      name: 'client0',
      seed: SEED,
      notBefore: net.time - DAY,
      notAfter: net.time + DAY,
    });
    const expired = await issueDevMember({
      org: net.orgs[0]!,
      role: 'client',
      name: 'expired',
      seed: SEED,
      notBefore: net.time - 2 * DAY,
      notAfter: net.time - DAY,
    });
    const notYet = await issueDevMember({
      org: net.orgs[0]!,
      role: 'client',
      name: 'not-yet',
      seed: SEED,
      notBefore: net.time + DAY,
      notAfter: net.time + 2 * DAY,
    });
    const creators: [string, DevMember][] = [
      ['a peer', net.peers[1]!],
      ['an orderer', net.orderer],
      ['a client of a same-named org under another root', other.client],
      ['a client of an org the channel does not have', stranger],
      ['an expired client', expired],
      ['a client not yet valid', notYet],
    ];
    for (const [what, creator] of creators) {
      const tx = await buildTx(net, {
        creator,
        request: { type: 'mint', inputs: [net.banks[0]!.cert], outputs: [usd(1n)] },
      });
      await rejectsWith(
        endorser.endorse({ channel: 'weft', signedProposal: tx.envelope.signedProposal }),
        'ENDORSE_UNKNOWN_CREATOR',
        what,
      );
    }
    // A client, an admin and a central bank may propose.
    const admin = await issueDevMember({
      org: net.orgs[1]!,
      role: 'admin',
      name: 'admin0',
      seed: SEED,
      notBefore: net.time - DAY,
      notAfter: net.time + DAY,
    });
    for (const creator of [net.client, admin, net.banks[1]!]) {
      const tx = await buildMint(net, [usd(1n)], { creator });
      await endorser.endorse({ channel: 'weft', signedProposal: tx.envelope.signedProposal });
    }
  });

  it("refuses a proposal the creator's key did not sign", async () => {
    const fresh = await buildMint(net, [usd(2n)]);
    const sp = fresh.envelope.signedProposal;
    const flipped = sp.signature.slice();
    flipped[5]! ^= 1;
    const creator = net.banks[0]!;
    const otherDomain = await creator.signer.sign('fabcoin-auth', sp.proposal);
    const byAlice = await alice.sign('proposal', sp.proposal);
    const forOtherBytes = await creator.signer.sign('proposal', utf8('something else'));
    for (const signature of [flipped, otherDomain, byAlice, forOtherBytes, new Uint8Array(64)]) {
      await rejectsWith(
        endorser.endorse({ channel: 'weft', signedProposal: { ...sp, signature } }),
        'ENDORSE_BAD_SIGNATURE',
      );
    }
    // The auth signatures are VSCC's business, not the endorser's.
    await endorser.endorse({
      channel: 'weft',
      signedProposal: {
        ...sp,
        auth: [{ publicKey: alice.publicKey, signature: new Uint8Array(64) }],
      },
    });
  });

  it('refuses a proposal whose transaction is already committed', async () => {
    await rejectsWith(
      endorser.endorse({ channel: 'weft', signedProposal: mint.envelope.signedProposal }),
      'ENDORSE_DUPLICATE_TXID',
    );
    // Committed with a failing code still claims the txid.
    const zero = await buildMint(net, [usd(0n)], { unchecked: true });
    await peer.append([zero]);
    assert.equal((await peer.ledger.getTransaction(zero.txid))?.code, TxCode.FABCOIN_INVALID);
    await rejectsWith(
      endorser.endorse({ channel: 'weft', signedProposal: zero.envelope.signedProposal }),
      'ENDORSE_DUPLICATE_TXID',
    );
  });

  it('refuses what the Fabcoin chaincode refuses', async () => {
    const a100 = coinKey(mint.txid, 0);
    const missing = coinKey(sha256(utf8('never minted')), 0);
    const txs: [string, BuiltTx][] = [
      [
        'a missing coin',
        await buildSpend(net, [missing], [usd(1n)], { owners: [alice], unchecked: true }),
      ],
      [
        'an unbalanced spend (more out)',
        await buildSpend(net, [a100], [usd(101n, bob)], { owners: [alice], unchecked: true }),
      ],
      [
        'an unbalanced spend (less out)',
        await buildSpend(net, [a100], [usd(99n, bob)], { owners: [alice], unchecked: true }),
      ],
      [
        'a spend changing the label',
        await buildSpend(net, [a100], [{ amount: 100n, owner: bob.publicKey, label: 'EUR' }], {
          owners: [alice],
          unchecked: true,
        }),
      ],
      [
        'a spend of one coin twice',
        await buildSpend(net, [a100, a100], [usd(200n, bob)], { owners: [alice], unchecked: true }),
      ],
      [
        'a spend of a malformed key',
        await buildSpend(net, ['not-a-coin'], [usd(1n)], { owners: [alice], unchecked: true }),
      ],
      ['a spend without inputs', await buildSpend(net, [], [usd(1n)], { unchecked: true })],
      ['a zero-amount mint', await buildMint(net, [usd(0n)], { unchecked: true })],
      ['a mint without outputs', await buildMint(net, [], { unchecked: true })],
      [
        'a bad label',
        await buildMint(net, [{ amount: 1n, owner: alice.publicKey, label: 'U S D' }], {
          unchecked: true,
        }),
      ],
    ];
    for (const [what, tx] of txs) {
      await rejectsWith(
        endorser.endorse({ channel: 'weft', signedProposal: tx.envelope.signedProposal }),
        'ENDORSE_CHAINCODE',
        what,
      );
    }
    // A coin spent in a committed block is gone.
    const spend = await buildSpend(net, [a100], [usd(100n, bob)], {
      owners: [alice],
      state: peer.ledger.stateView(),
    });
    await peer.append([spend]);
    assert.equal((await peer.ledger.getTransaction(spend.txid))?.code, TxCode.VALID);
    const again = await buildSpend(net, [a100], [usd(100n, bob)], {
      owners: [alice],
      unchecked: true,
    });
    await rejectsWith(
      endorser.endorse({ channel: 'weft', signedProposal: again.envelope.signedProposal }),
      'ENDORSE_CHAINCODE',
    );
  });

  it('gives the same txid the ledger will record', async () => {
    const tx = await buildMint(net, [usd(9n)]);
    const r = await endorser.endorse({
      channel: 'weft',
      signedProposal: tx.envelope.signedProposal,
    });
    const txid = computeTxid(tx.proposal.creator.publicKey, tx.proposal.nonce);
    assert.deepEqual(txid, tx.txid);
    assert.deepEqual(r.rwset.writes[0]!.key, coinKey(txid, 0));
  });
});
