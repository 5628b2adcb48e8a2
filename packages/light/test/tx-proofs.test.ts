import {
  type Attestation,
  codesHash,
  encodeEnvelope,
  sha256,
  signAttestation,
  TxCode,
  utf8,
} from '@weft/core';
import { buildMint, createDevNetwork } from '@weft/core/dev';
import { assert, describe, it } from '@weft/test/harness';
import type { TxVerdict } from '../src/proofs/verdict.js';
import { DevLedger } from './support/dev-ledger.js';
import { buildFixture, type Fixture, hostile, lightClient } from './support/fixture.js';

const fx: Fixture = await buildFixture('light-proofs');
const { ledger, txids } = fx;

/** The verdict on `txid` from a client whose only node applies `tamper`. */
async function verdictVia(tamper: Parameters<typeof hostile>[1], txid: Uint8Array) {
  const client = await lightClient(ledger, [hostile(ledger, tamper)]);
  await client.chain.sync();
  return { verdict: await client.verifier.verifyTx(txid), blamed: client.transport.blamed };
}

function assertUnverifiable(v: TxVerdict, reason: string): void {
  assert.equal(
    v.status,
    'unverifiable',
    JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}` : x)),
  );
  if (v.status === 'unverifiable') assert.equal(v.reason, reason, v.message);
}

describe('transaction proofs: inclusion and attested validity', () => {
  it('valid and invalid transactions get verdicts with block and code', async () => {
    const { verifier } = await lightClient(ledger);
    for (const txid of [txids.mintAlice, txids.mintBob, txids.spend]) {
      const v = await verifier.verifyTx(txid);
      assert.equal(v.status, 'valid');
      if (v.status === 'valid') {
        assert.equal(v.code, TxCode.VALID);
        assert.isAtLeast(v.attesters.length, 2);
        assert.deepEqual(v.tx.txid, txid);
      }
    }
    const bad = await verifier.verifyTx(txids.bad);
    assert.equal(bad.status, 'invalid');
    if (bad.status === 'invalid') {
      assert.equal(bad.block, 2);
      assert.equal(bad.code, ledger.codes[2]![1]);
      assert.notEqual(bad.code, TxCode.VALID);
    }
  });

  it('an unknown transaction is pending; it syncs headers it needs first', async () => {
    const { verifier, chain } = await lightClient(ledger);
    const v = await verifier.verifyTx(sha256(utf8('never submitted')));
    assert.deepEqual(v.status, 'pending');
    // verifyTx synced the chain on its own to reach the block of a known tx.
    assert.equal((await verifier.verifyTx(txids.spend)).status, 'valid');
    assert.equal(chain.height, ledger.height);
  });

  it('too few attestations leave a transaction included, not valid', async () => {
    const local = await DevLedger.create({ seed: 'light-few' });
    const mint = await buildMint(local.net, [
      { amount: 3n, owner: fx.alice.publicKey, label: 'USD' },
    ]);
    // Only Org1's peer attests; the policy wants two of three.
    await local.append([mint.bytes], local.net.peers.slice(0, 1));
    const { verifier } = await lightClient(local);
    const v = await verifier.verifyTx(mint.txid);
    assert.equal(v.status, 'included');
    if (v.status === 'included') assert.equal(v.block, 1);
  });

  it('a disagreeing peer is outvoted and named; an equivocating peer counts nowhere', async () => {
    const forged = async (n: number, peerIndexes: number[]): Promise<Attestation[]> => {
      const body = {
        ...ledger.attestationBody(n),
        codesHash: codesHash([TxCode.VALID, TxCode.VALID]),
      };
      const peers = peerIndexes.map((i) => ledger.net.peers[i]!);
      return Promise.all(peers.map((p) => signAttestation(body, p.signer, p.cert)));
    };
    const dissent = await forged(2, [2]);
    const outvoted = await lightClient(ledger, [
      hostile(ledger, {
        attestations: (list, n) => (n === 2 ? [...list.slice(0, 2), ...dissent] : list),
      }),
    ]);
    await outvoted.chain.sync();
    const v = await outvoted.verifier.verifyTx(txids.bad);
    assert.equal(v.status, 'invalid');
    const attested = await outvoted.verifier.attestedCodes(2, (await outvoted.chain.header(2))!);
    assert.deepEqual(
      attested.disagreeing.map((d) => d.signer.org),
      ['Org3'],
    );
    // Org3 and an equivocating Org2 against Org1 and Org2: Org2 is counted nowhere.
    const equivocation = await forged(2, [1, 2]);
    const split = await verdictVia(
      { attestations: (list, n) => (n === 2 ? [...list.slice(0, 2), ...equivocation] : list) },
      txids.bad,
    );
    assert.equal(split.verdict.status, 'included');
  });

  it('two quorums attesting different codes make the block unverifiable', async () => {
    const local = await DevLedger.create({ seed: 'light-conflict', peerOrgs: 4 });
    const mint = await buildMint(local.net, [
      { amount: 3n, owner: fx.bob.publicKey, label: 'USD' },
    ]);
    const [p1, p2, p3, p4] = local.net.peers;
    await local.append([mint.bytes], [p1!, p2!]);
    const other = { ...local.attestationBody(1), codesHash: codesHash([TxCode.FABCOIN_INVALID]) };
    const rival = await Promise.all(
      [p3!, p4!].map((p) => signAttestation(other, p.signer, p.cert)),
    );
    local.attestations.get(1)!.push(...rival);
    const { verifier } = await lightClient(local);
    assertUnverifiable(await verifier.verifyTx(mint.txid), 'LIGHT_ATTESTATION_CONFLICT');
  });

  it('attestations from non-members or non-peers do not count', async () => {
    const stranger = await createDevNetwork({ seed: 'light-stranger', peerOrgs: 3 });
    const body = ledger.attestationBody(2);
    const fakes = await Promise.all([
      ...stranger.peers.map((p) => signAttestation(body, p.signer, p.cert)),
      // A member of the channel, but a client: attestations are a peer's job.
      signAttestation(body, ledger.net.client.signer, ledger.net.client.cert),
    ]);
    const { verdict } = await verdictVia(
      { attestations: (list, n) => (n === 2 ? [list[0]!, ...fakes] : list) },
      txids.spend,
    );
    assert.equal(verdict.status, 'included');
  });

  it('a wrong proof, another transaction, or a moved index is unverifiable and blamed', async () => {
    const flipped = await verdictVia(
      { tx: (t) => t && { ...t, proof: t.proof.map((p, i) => (i === 0 ? sha256(p) : p)) } },
      txids.spend,
    );
    assertUnverifiable(flipped.verdict, 'LIGHT_BAD_PROOF');
    assert.deepEqual(flipped.blamed, [{ node: 'hostile', code: 'LIGHT_BAD_PROOF' }]);

    const swapped = await verdictVia({ tx: () => ledger.lightTx(txids.mintBob) }, txids.spend);
    assertUnverifiable(swapped.verdict, 'LIGHT_WRONG_TX');

    // The right envelope under another transaction's proof: the path does not fit.
    const spendProof = ledger.lightTx(txids.spend)!;
    const moved = await verdictVia(
      { tx: (t) => t && { ...spendProof, envelope: t.envelope } },
      txids.bad,
    );
    assertUnverifiable(moved.verdict, 'LIGHT_BAD_PROOF');
  });

  it('codes that are not the attested ones (or a tree size they do not fix) are unverifiable', async () => {
    // The invalid transaction's code rewritten to VALID: the codes no longer hash to the attested codesHash.
    const lied = await verdictVia(
      { tx: (t) => t && { ...t, codes: t.codes.map(() => TxCode.VALID) } },
      txids.bad,
    );
    assertUnverifiable(lied.verdict, 'LIGHT_CODES_MISMATCH');
    assert.deepEqual(lied.blamed, [{ node: 'hostile', code: 'LIGHT_CODES_MISMATCH' }]);

    // A padded tree (size 3, codes to match): the path no longer reaches the root.
    const padded = await verdictVia(
      { tx: (t) => t && { ...t, treeSize: 3, codes: [...t.codes, TxCode.VALID] } },
      txids.spend,
    );
    assertUnverifiable(padded.verdict, 'LIGHT_BAD_PROOF');
  });

  it('a transaction placed in a block beyond the verified chain is unverifiable', async () => {
    const { verdict } = await verdictVia({ tx: (t) => t && { ...t, block: 99 } }, txids.spend);
    assertUnverifiable(verdict, 'LIGHT_HEADER_UNAVAILABLE');
  });

  it('a later duplicate, or a forged copy, is not taken for the transaction', async () => {
    const local = await DevLedger.create({ seed: 'light-dup' });
    const mint = await buildMint(local.net, [
      { amount: 2n, owner: fx.bob.publicKey, label: 'USD' },
    ]);
    // Anyone can copy a proposal and break its signature: same txid, BAD_CREATOR_SIGNATURE.
    const sp = mint.envelope.signedProposal;
    const broken = encodeEnvelope({
      ...mint.envelope,
      signedProposal: { ...sp, signature: sp.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) },
    });
    await local.append([broken]);
    await local.append([mint.bytes]);
    await local.append([mint.bytes]);
    assert.deepEqual(
      [1, 2, 3].map((n) => local.codes[n]![0]),
      [TxCode.BAD_CREATOR_SIGNATURE, TxCode.VALID, TxCode.DUPLICATE_TXID],
    );
    for (const n of [1, 3]) {
      const copy = hostile(local, { tx: () => local.lightTxAt(n, 0) });
      const client = await lightClient(local, [copy]);
      assertUnverifiable(await client.verifier.verifyTx(mint.txid), 'LIGHT_UNRECORDED_COPY');
    }
    const honest = await lightClient(local);
    const v = await honest.verifier.verifyTx(mint.txid);
    assert.deepEqual([v.status, v.status === 'valid' && v.block], ['valid', 2]);
  });
});
