// The light auditor over fake full nodes (core's wire codecs, the real
// NodeSet failover): an honest node audits clean; a node serving wrong codes
// or a broken block is named and blamed; a peer's wrong attestation is named.
import { type AuditProgress, signAttestation, TxCode, toHex } from '@weft/core';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { audit } from '../../src/auditor/index.js';
import { FakeNode, FakeTransport } from '../support/fake-transport.js';
import { buildFixture, hostile } from '../support/fixture.js';

const { ledger } = await buildFixture('light-auditor-test');
const { net } = ledger;
const genesisHash = net.genesisHash;
const transportOf = (...nodes: FakeNode[]) => new FakeTransport(net.config.channel, nodes);
const honest = () => new FakeNode('honest', ledger);

describe('light auditor', () => {
  it('audits an honest node clean, with totals and progress', async () => {
    const progress: AuditProgress[] = [];
    const transport = transportOf(honest());
    const report = await audit({
      transport,
      genesisHash,
      prefetch: 2,
      onProgress: (p) => progress.push(p),
    });
    assert.isTrue(report.clean);
    assert.equal(report.height, ledger.height);
    assert.equal(report.commitHash, toHex(ledger.chain.commitHash));
    assert.deepEqual(report.totals, {
      blocks: 3,
      txs: 4,
      valid: 3,
      invalid: 1,
      codes: { FABCOIN_INVALID: 1, VALID: 3 },
      coins: {
        FBC: { minted: '7', spent: '0', unspent: '7', unspentCoins: 1 },
        USD: { minted: '35', spent: '10', unspent: '35', unspentCoins: 4 },
      },
    });
    assert.deepEqual(
      progress.map((p) => [p.block, p.height]),
      [
        [0, 3],
        [1, 3],
        [2, 3],
      ],
    );
    assert.deepEqual(transport.blamed, []);
  });

  it('names and blames a node that serves wrong codes', async () => {
    const liar = hostile(ledger, {
      block: (b) =>
        b.block.header.number === 2 ? { ...b, codes: [TxCode.VALID, TxCode.VALID] } : b,
    });
    const transport = transportOf(liar);
    const report = await audit({ transport, genesisHash });
    assert.isFalse(report.clean);
    assert.deepEqual(
      report.codeMismatches.map((m) => [m.block, m.node, m.txs]),
      [[2, 'hostile', [{ index: 1, served: 'VALID', computed: 'FABCOIN_INVALID' }]]],
    );
    assert.deepEqual(transport.blamed, [{ node: 'hostile', code: 'LIGHT_WRONG_CODES' }]);
  });

  it('moves to another node after a broken block, and fails when there is none', async () => {
    const broken = () =>
      hostile(ledger, {
        block: (b) =>
          b.block.header.number === 1
            ? { ...b, block: { ...b.block, data: [...b.block.data].reverse() } }
            : b,
      });
    const transport = transportOf(broken(), honest());
    const report = await audit({ transport, genesisHash });
    assert.isTrue(report.clean);
    assert.deepEqual(transport.blamed, [{ node: 'hostile', code: 'LIGHT_BAD_BLOCK' }]);
    await rejectsWithCode(
      () => audit({ transport: transportOf(broken()), genesisHash }),
      'AUDIT_BLOCK_REJECTED',
    );
  });

  it('a node of another chain fails the genesis check', async () => {
    const wrong = new Uint8Array(32).fill(1);
    await rejectsWithCode(
      () => audit({ transport: transportOf(honest()), genesisHash: wrong }),
      'AUDIT_GENESIS',
    );
  });

  it('names a peer whose signed attestation disagrees with the replay', async () => {
    const org2 = net.peers[1]!;
    const body = ledger.attestationBody(2);
    const wrong = await signAttestation(
      { ...body, commitHash: new Uint8Array(32).fill(9) },
      org2.signer,
      org2.cert,
    );
    const node = hostile(ledger, {
      attestations: (list, n) =>
        n === 2 ? [...list.filter((a) => a.signer !== org2.cert), wrong] : list,
    });
    const report = await audit({ transport: transportOf(node), genesisHash });
    assert.isFalse(report.clean);
    assert.deepEqual(
      report.disagreements.map((d) => [d.block, d.signer.org, d.fields]),
      [[2, 'Org2', ['commitHash']]],
    );
    assert.equal(report.unattested.count, 0, 'Org1 and Org3 still agree');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let caught: unknown;
    try {
      await audit({ transport: transportOf(honest()), genesisHash, signal: controller.signal });
    } catch (err) {
      caught = err;
    }
    assert.isDefined(caught);
  });
});
