// Attestations gathered from several full nodes: each holds what gossip
// and pull brought it, so one may lack an org's attestation another has.
// The verifier asks the next node while the policy (OutOf(2) of three peer
// orgs here) is not met, merges what each serves, verified one by one, and
// blames a node that serves forgeries.
import { type Attestation, codesHash, signAttestation, TxCode } from '@weft/core';
import { assert, describe, it } from '@weft/test/harness';
import { FakeNode, type Tamper } from './support/fake-transport.js';
import { buildFixture, type Fixture, lightClient } from './support/fixture.js';

const fx: Fixture = await buildFixture('light-gather');
const { ledger, txids } = fx;

/** A node whose attestations of every block are only those `keep` lets through. */
function holding(id: string, keep: (a: Attestation) => boolean, extra: Tamper = {}): FakeNode {
  return new FakeNode(id, ledger, { attestations: (list) => list.filter(keep), ...extra });
}

const of =
  (...orgs: string[]) =>
  (a: Attestation) =>
    orgs.includes(a.signer.org);

function forge(a: Attestation): Attestation {
  const signature = a.signature.slice();
  signature[0]! ^= 1;
  return { ...a, signature };
}

/** Block n's attestation body with other codes, signed by the peers of `orgs`. */
async function dissent(n: number, orgs: string[]): Promise<Attestation[]> {
  const body = { ...ledger.attestationBody(n), codesHash: codesHash([TxCode.FABCOIN_INVALID]) };
  const peers = ledger.net.peers.filter((p) => orgs.includes(p.org));
  return Promise.all(peers.map((p) => signAttestation(body, p.signer, p.cert)));
}

async function verdict(nodes: FakeNode[], txid = txids.spend) {
  const client = await lightClient(ledger, nodes);
  await client.chain.sync();
  const v = await client.verifier.verifyTx(txid);
  const asked = client.transport.asked.filter((x) => x.startsWith('attestations'));
  return { v, asked, client };
}

const orgsOf = (v: { status: string; attesters?: { org: string }[] }) =>
  (v.attesters ?? []).map((s) => s.org).sort();

describe('attestations gathered from several nodes', () => {
  it('valid when the first node lacks an org another node has; one node is enough when it suffices', async () => {
    const { v, asked } = await verdict([holding('a', of('Org1')), holding('b', of('Org2'))]);
    assert.equal(v.status, 'valid');
    if (v.status === 'valid') assert.deepEqual(orgsOf(v), ['Org1', 'Org2']);
    assert.deepEqual(asked, ['attestations a', 'attestations b']);

    const enough = await verdict([new FakeNode('a', ledger), new FakeNode('b', ledger)]);
    assert.equal(enough.v.status, 'valid');
    assert.deepEqual(enough.asked, ['attestations a']);
  });

  it('stays included when no node, nor all of them together, has enough; nobody is blamed', async () => {
    const { v, asked, client } = await verdict([
      holding('a', of('Org1')),
      holding('b', of('Org1')),
      holding('c', () => false),
    ]);
    assert.equal(v.status, 'included');
    assert.deepEqual(asked, ['attestations a', 'attestations b', 'attestations c']);
    assert.deepEqual(client.transport.blamed, []);
    // Org1's attestation served by two nodes is one vote, not two.
    const attested = await client.verifier.attestedCodes(2, (await client.chain.header(2))!);
    assert.deepEqual(
      attested.signers.map((s) => s.org),
      ['Org1'],
    );
  });

  it('a node serving forged attestations is blamed; its genuine ones and the other nodes count', async () => {
    const forger = new FakeNode('forger', ledger, {
      attestations: (list) => list.map((a) => (a.signer.org === 'Org1' ? a : forge(a))),
    });
    const { v, asked, client } = await verdict([forger, holding('b', of('Org3'))]);
    assert.equal(v.status, 'valid');
    if (v.status === 'valid') assert.deepEqual(orgsOf(v), ['Org1', 'Org3']);
    assert.deepEqual(asked, ['attestations forger', 'attestations b']);
    assert.deepEqual(client.transport.blamed, [
      { node: 'forger', code: 'LIGHT_FORGED_ATTESTATION' },
    ]);
    // The next question goes to the honest node first.
    assert.equal(client.transport.nodes()[0], 'b');
  });

  it('a forger alone proves nothing: included, and blamed', async () => {
    const forger = new FakeNode('forger', ledger, { attestations: (list) => list.map(forge) });
    const { v, client } = await verdict([forger]);
    assert.equal(v.status, 'included');
    assert.deepEqual(
      client.transport.blamed.map((b) => b.code),
      ['LIGHT_FORGED_ATTESTATION'],
    );
  });

  it('a signer disagreeing on one node is named; one with two claims across nodes counts nowhere', async () => {
    /** Node a serves Org1's honest attestation and `orgs`' dissent; node b Org2's honest one. */
    const withDissent = async (orgs: string[]) => {
      const extra = await dissent(2, orgs);
      const { v, client } = await verdict([
        holding('a', of('Org1'), { attestations: (l) => [...l.filter(of('Org1')), ...extra] }),
        holding('b', of('Org2')),
      ]);
      return { v, block2: await client.verifier.attestedCodes(2, (await client.chain.header(2))!) };
    };
    const named = await withDissent(['Org3']);
    assert.equal(named.v.status, 'valid');
    assert.deepEqual(
      named.block2.disagreeing.map((d) => d.signer.org),
      ['Org3'],
    );
    // Org2 attests the true codes to node b and other codes to node a.
    const split = await withDissent(['Org2']);
    assert.equal(split.v.status, 'included');
    assert.deepEqual(
      split.block2.equivocating.map((s) => s.org),
      ['Org2'],
    );
  });
});
