import { assert, describe, it } from '@weft/test/harness';
import {
  buildMint,
  buildSpend,
  createDevNetwork,
  DevChain,
  devSecret,
  issueDevMember,
} from '../../src/dev/index.js';
import {
  type Coin,
  coinKey,
  decodeEnvelope,
  encodeEnvelope,
  type Signer,
  signerFromSecret,
  type TxCode,
  type TxEnvelope,
  txCodeName,
  utf8,
} from '../../src/index.js';

const SEED = 'validate-test';
const net = await createDevNetwork({ seed: SEED });
const alice = await signerFromSecret(devSecret(SEED, 'alice'));
const bob = await signerFromSecret(devSecret(SEED, 'bob'));
const U64_MAX = (1n << 64n) - 1n;

function coin(amount: bigint, owner: Signer, label = 'USD'): Coin {
  return { amount, owner: owner.publicKey, label };
}

function names(codes: readonly TxCode[]): string[] {
  return codes.map(txCodeName);
}

/** Re-encodes an envelope after `edit` changes it, as a hostile client or gateway would. */
function mutate(bytes: Uint8Array, edit: (e: TxEnvelope) => void): Uint8Array {
  const e = decodeEnvelope(bytes) as TxEnvelope;
  edit(e);
  return encodeEnvelope(e);
}

/** A fresh chain where alice holds 100 USD (`aliceCoin`) and 7 FBC (`aliceFbc`). */
async function funded(): Promise<{ chain: DevChain; aliceCoin: string; aliceFbc: string }> {
  const chain = new DevChain(net);
  const mint = await buildMint(net, [coin(100n, alice), coin(7n, alice, 'FBC')]);
  const { validation } = await chain.append([mint.bytes]);
  assert.deepEqual(names(validation.codes), ['VALID']);
  return { chain, aliceCoin: coinKey(mint.txid, 0), aliceFbc: coinKey(mint.txid, 1) };
}

async function codesOf(chain: DevChain, data: Uint8Array[]): Promise<string[]> {
  return names((await chain.append(data)).validation.codes);
}

describe('validate: mint', () => {
  it('a mint signed by the threshold of central banks creates its coins at version (block, tx)', async () => {
    const { chain, aliceCoin } = await funded();
    const stored = await chain.state.get(aliceCoin);
    assert.deepEqual(stored?.version, { block: 1, tx: 0 });
  });

  it('a mint signed by fewer central banks than the threshold is FABCOIN_INVALID', async () => {
    const net2 = await createDevNetwork({ seed: 'validate-threshold', banks: 3, mintThreshold: 2 });
    const chain = new DevChain(net2);
    const one = await buildMint(net2, [coin(5n, alice)], { banks: net2.banks.slice(0, 1) });
    const two = await buildMint(net2, [coin(5n, alice)], { banks: net2.banks.slice(0, 2) });
    // Naming two banks while only one signs is not enough either.
    const named = await buildMint(net2, [coin(5n, alice)], {
      banks: net2.banks.slice(0, 2),
      authorisers: [],
    });
    // The same bank named twice counts once.
    const twice = await buildMint(net2, [coin(5n, alice)], {
      banks: [net2.banks[0]!, net2.banks[0]!],
      authorisers: [],
    });
    assert.deepEqual(await codesOf(chain, [one.bytes, two.bytes, named.bytes, twice.bytes]), [
      'FABCOIN_INVALID',
      'VALID',
      'FABCOIN_INVALID',
      'FABCOIN_INVALID',
    ]);
  });

  it('a cb certificate of an org that is not a central bank cannot mint', async () => {
    const rogue = await issueDevMember({
      org: net.orgs[0]!,
      role: 'cb',
      name: 'rogue-cb',
      seed: SEED,
      notBefore: net.time - 1000,
      notAfter: net.time + 1e9,
    });
    const tx = await buildMint(net, [coin(1n, alice)], { banks: [rogue] });
    assert.deepEqual(await codesOf(new DevChain(net), [tx.bytes]), ['FABCOIN_INVALID']);
  });

  it('zero amounts, bad labels and empty outputs are FABCOIN_INVALID; 2^64-1 is allowed', async () => {
    const raw = (outputs: Coin[]) => buildMint(net, outputs, { unchecked: true });
    const txs = await Promise.all([
      raw([coin(0n, alice)]),
      raw([coin(1n, alice, 'U S D')]),
      raw([coin(1n, alice, '')]),
      raw([]),
      raw([coin(U64_MAX, alice)]),
    ]);
    assert.deepEqual(
      await codesOf(
        new DevChain(net),
        txs.map((t) => t.bytes),
      ),
      ['FABCOIN_INVALID', 'FABCOIN_INVALID', 'FABCOIN_INVALID', 'FABCOIN_INVALID', 'VALID'],
    );
  });

  it('a mint whose endorsed rw-set reads or writes anything else is FABCOIN_INVALID', async () => {
    const nonce = new Uint8Array(24).fill(5);
    const honest = await buildMint(net, [coin(5n, alice)], { nonce });
    const withRead = structuredClone(honest.envelope.rwset);
    withRead.reads.push({ key: `${'cd'.repeat(32)}.0`, version: null });
    const extraWrite = structuredClone(honest.envelope.rwset);
    extraWrite.writes.push({ key: `${'cd'.repeat(32)}.0`, value: null });
    const txs = await Promise.all(
      [withRead, extraWrite].map((rwset) => buildMint(net, [coin(5n, alice)], { nonce, rwset })),
    );
    // Both share one txid, so each goes to a chain of its own.
    for (const tx of txs) {
      assert.deepEqual(await codesOf(new DevChain(net), [tx.bytes]), ['FABCOIN_INVALID']);
    }
  });

  it('a negative amount does not decode as an amount: BAD_PAYLOAD', async () => {
    const tx = await buildMint(net, [coin(-5n, alice)], { unchecked: true });
    assert.deepEqual(await codesOf(new DevChain(net), [tx.bytes]), ['BAD_PAYLOAD']);
  });

  it('an amount beyond 64 bits cannot even be encoded', async () => {
    let code: unknown;
    await buildMint(net, [coin(1n << 64n, alice)], { unchecked: true }).catch((e) => {
      code = e.code;
    });
    assert.equal(code, 'CODEC_UNSUPPORTED_TYPE');
  });
});

describe('validate: spend', () => {
  it('a balanced spend signed by the owner is valid; inputs are deleted and outputs created', async () => {
    const { chain, aliceCoin } = await funded();
    const tx = await buildSpend(net, [aliceCoin], [coin(60n, bob), coin(40n, alice)], {
      owners: [alice],
      state: chain.state,
    });
    assert.deepEqual(await codesOf(chain, [tx.bytes]), ['VALID']);
    assert.isUndefined(await chain.state.get(aliceCoin));
    assert.deepEqual((await chain.state.get(coinKey(tx.txid, 0)))?.version, { block: 2, tx: 0 });
  });

  it('spends whose sums or labels do not balance are FABCOIN_INVALID', async () => {
    const { chain, aliceCoin, aliceFbc } = await funded();
    const s = (inputs: string[], outputs: Coin[]) =>
      buildSpend(net, inputs, outputs, { owners: [alice], state: chain.state, unchecked: true });
    const txs = await Promise.all([
      s([aliceCoin], [coin(101n, bob)]), // creates money
      s([aliceCoin], [coin(99n, bob)]), // destroys money
      s([aliceCoin], [coin(100n, bob, 'FBC')]), // changes the label
      s([aliceCoin, aliceFbc], [coin(107n, bob)]), // merges two labels
      s([aliceCoin], [coin(U64_MAX, bob), coin(101n, bob)]), // balances only modulo 2^64
      s([aliceCoin], [coin(0n, bob), coin(100n, bob)]), // a zero output
    ]);
    assert.deepEqual(
      await codesOf(
        chain,
        txs.map((t) => t.bytes),
      ),
      Array(6).fill('FABCOIN_INVALID'),
    );
  });

  it('a spend not signed by the input owner is FABCOIN_INVALID', async () => {
    const { chain, aliceCoin } = await funded();
    const unsigned = await buildSpend(net, [aliceCoin], [coin(100n, bob)], {
      owners: [],
      state: chain.state,
    });
    const byBob = await buildSpend(net, [aliceCoin], [coin(100n, bob)], {
      owners: [bob],
      state: chain.state,
    });
    const forged = mutate(
      (
        await buildSpend(net, [aliceCoin], [coin(100n, bob)], {
          owners: [alice],
          state: chain.state,
        })
      ).bytes,
      (e) => {
        e.signedProposal.auth[0]!.signature = new Uint8Array(64).fill(7);
      },
    );
    assert.deepEqual(
      await codesOf(chain, [unsigned.bytes, byBob.bytes, forged]),
      Array(3).fill('FABCOIN_INVALID'),
    );
  });

  it('an input listed twice, or a coin that never existed, is FABCOIN_INVALID', async () => {
    const { chain, aliceCoin } = await funded();
    const twice = await buildSpend(net, [aliceCoin, aliceCoin], [coin(200n, alice)], {
      owners: [alice],
      state: chain.state,
      unchecked: true,
    });
    const ghost = await buildSpend(net, [`${'ab'.repeat(32)}.0`], [coin(1n, alice)], {
      owners: [alice],
      state: chain.state,
      unchecked: true,
    });
    assert.deepEqual(await codesOf(chain, [twice.bytes, ghost.bytes]), [
      'FABCOIN_INVALID',
      'FABCOIN_INVALID',
    ]);
  });

  it('a double spend inside one block: the first is valid, the second MVCC_READ_CONFLICT', async () => {
    const { chain, aliceCoin } = await funded();
    const a = await buildSpend(net, [aliceCoin], [coin(100n, bob)], {
      owners: [alice],
      state: chain.state,
    });
    const b = await buildSpend(net, [aliceCoin], [coin(100n, alice)], {
      owners: [alice],
      state: chain.state,
    });
    assert.deepEqual(await codesOf(chain, [a.bytes, b.bytes]), ['VALID', 'MVCC_READ_CONFLICT']);
    assert.isDefined(await chain.state.get(coinKey(a.txid, 0)));
    assert.isUndefined(await chain.state.get(coinKey(b.txid, 0)));
  });

  it('a double spend across blocks is MVCC_READ_CONFLICT', async () => {
    const { chain, aliceCoin } = await funded();
    const endorsedEarly = await buildSpend(net, [aliceCoin], [coin(100n, alice)], {
      owners: [alice],
      state: chain.state,
    });
    const first = await buildSpend(net, [aliceCoin], [coin(100n, bob)], {
      owners: [alice],
      state: chain.state,
    });
    assert.deepEqual(await codesOf(chain, [first.bytes]), ['VALID']);
    assert.deepEqual(await codesOf(chain, [endorsedEarly.bytes]), ['MVCC_READ_CONFLICT']);
  });

  it('a read version that differs from committed state is MVCC_READ_CONFLICT', async () => {
    const { chain, aliceCoin } = await funded();
    const nonce = new Uint8Array(24).fill(9);
    const opts = { owners: [alice], state: chain.state, nonce };
    const honest = await buildSpend(net, [aliceCoin], [coin(100n, bob)], opts);
    const rwset = structuredClone(honest.envelope.rwset);
    rwset.reads[0]!.version = { block: 0, tx: 0 };
    // Endorsed as is (an endorser with stale state), so only MVCC can object.
    const stale = await buildSpend(net, [aliceCoin], [coin(100n, bob)], { ...opts, rwset });
    assert.deepEqual(await codesOf(chain, [stale.bytes]), ['MVCC_READ_CONFLICT']);
  });
});

describe('validate: endorsements', () => {
  it('a forged endorsement signature is BAD_ENDORSEMENT', async () => {
    const { chain, aliceCoin } = await funded();
    const tx = await buildSpend(net, [aliceCoin], [coin(100n, bob)], {
      owners: [alice],
      state: chain.state,
    });
    const forged = mutate(tx.bytes, (e) => {
      const sig = e.endorsements[1]!.signature;
      sig[0] = sig[0]! ^ 1;
    });
    assert.deepEqual(await codesOf(chain, [forged]), ['BAD_ENDORSEMENT']);
  });

  it('endorsers that signed a different rw-set than the envelope carries: BAD_ENDORSEMENT', async () => {
    const { chain, aliceCoin } = await funded();
    const tx = await buildSpend(net, [aliceCoin], [coin(100n, bob)], {
      owners: [alice],
      state: chain.state,
    });
    const swapped = mutate(tx.bytes, (e) => {
      e.rwset.writes[1]!.key = coinKey(new Uint8Array(32), 0);
    });
    assert.deepEqual(await codesOf(chain, [swapped]), ['BAD_ENDORSEMENT']);
  });

  it('endorsements from only one of the two orgs the policy needs: ENDORSEMENT_POLICY_FAILURE', async () => {
    const { chain, aliceCoin } = await funded();
    const tx = await buildSpend(net, [aliceCoin], [coin(100n, bob)], {
      owners: [alice],
      state: chain.state,
      endorsers: [net.peers[0]!, net.peers[0]!],
    });
    assert.deepEqual(await codesOf(chain, [tx.bytes]), ['ENDORSEMENT_POLICY_FAILURE']);
  });

  it('an endorsement by a non-peer role or by nobody is BAD_ENDORSEMENT', async () => {
    const { chain, aliceCoin } = await funded();
    const byClient = await buildSpend(net, [aliceCoin], [coin(100n, bob)], {
      owners: [alice],
      state: chain.state,
      endorsers: [net.peers[0]!, net.client],
    });
    const none = await buildSpend(net, [aliceCoin], [coin(100n, bob)], {
      owners: [alice],
      state: chain.state,
      endorsers: [],
    });
    assert.deepEqual(await codesOf(chain, [byClient.bytes, none.bytes]), [
      'BAD_ENDORSEMENT',
      'BAD_ENDORSEMENT',
    ]);
  });

  it('a consistently endorsed rw-set that is not what the chaincode writes is FABCOIN_INVALID', async () => {
    const { chain, aliceCoin } = await funded();
    const opts = { owners: [alice], state: chain.state, nonce: new Uint8Array(24).fill(4) };
    const honest = await buildSpend(net, [aliceCoin], [coin(100n, bob)], opts);
    const rwset = structuredClone(honest.envelope.rwset);
    rwset.writes.pop(); // keep the input deleted, create nothing: colluding endorsers burning a coin
    const tx = await buildSpend(net, [aliceCoin], [coin(100n, bob)], { ...opts, rwset });
    assert.deepEqual(await codesOf(chain, [tx.bytes]), ['FABCOIN_INVALID']);
  });
});

describe('validate: creator, payload and txid', () => {
  it('an expired, not-yet-valid, unknown-org or wrong-role creator is UNKNOWN_CREATOR', async () => {
    const org1 = net.orgs[0]!;
    const member = (
      name: string,
      role: 'client' | 'peer',
      notBefore: number,
      notAfter: number,
      org = org1,
    ) => issueDevMember({ org, role, name, seed: SEED, notBefore, notAfter });
    const expired = await member('old', 'client', net.time - 10_000, net.time - 1);
    const future = await member('future', 'client', net.time + 1, net.time + 10_000);
    const peerCreator = await member('peer-as-client', 'peer', net.time - 1, net.time + 10_000);
    const strangerNet = await createDevNetwork({ seed: 'stranger' });
    const stranger = strangerNet.client;
    const mints = await Promise.all(
      [expired, future, peerCreator, stranger].map((creator) =>
        buildMint(net, [coin(1n, alice)], { creator }),
      ),
    );
    assert.deepEqual(
      await codesOf(
        new DevChain(net),
        mints.map((m) => m.bytes),
      ),
      Array(4).fill('UNKNOWN_CREATOR'),
    );
  });

  it('a bad creator signature is BAD_CREATOR_SIGNATURE', async () => {
    const tx = await buildMint(net, [coin(1n, alice)]);
    const bad = mutate(tx.bytes, (e) => {
      e.signedProposal.signature[5] = e.signedProposal.signature[5]! ^ 0x10;
    });
    assert.deepEqual(await codesOf(new DevChain(net), [bad]), ['BAD_CREATOR_SIGNATURE']);
  });

  it('undecodable bytes, another channel and a config envelope are BAD_PAYLOAD', async () => {
    const garbage = utf8('not an envelope');
    const other = await buildMint(net, [coin(1n, alice)], { channel: 'other' });
    const config = encodeEnvelope({ type: 'config', config: net.config });
    assert.deepEqual(
      await codesOf(new DevChain(net), [garbage, other.bytes, config]),
      Array(3).fill('BAD_PAYLOAD'),
    );
  });

  it('a replayed transaction is DUPLICATE_TXID, in the same block and in a later one', async () => {
    const chain = new DevChain(net);
    const tx = await buildMint(net, [coin(1n, alice)]);
    assert.deepEqual(await codesOf(chain, [tx.bytes, tx.bytes]), ['VALID', 'DUPLICATE_TXID']);
    assert.deepEqual(await codesOf(chain, [tx.bytes]), ['DUPLICATE_TXID']);
  });

  it('a forgery reusing a victim txid does not burn it', async () => {
    const chain = new DevChain(net);
    const victim = await buildMint(net, [coin(3n, alice)]);
    const forgery = mutate(victim.bytes, (e) => {
      e.signedProposal.signature = new Uint8Array(64).fill(1);
    });
    assert.deepEqual(await codesOf(chain, [forgery, victim.bytes]), [
      'BAD_CREATOR_SIGNATURE',
      'VALID',
    ]);
  });
});
