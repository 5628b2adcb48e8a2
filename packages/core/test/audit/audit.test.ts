import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { devSecret, issueDevMember } from '../../src/dev/index.js';
import {
  type AuditError,
  type AuditInput,
  type AuditProgress,
  auditChain,
  formatAuditSummary,
  signAttestation,
  signerFromSecret,
  TxCode,
  toHex,
} from '../../src/index.js';
import { attest, chain, honestInputs, net, SEED } from './fixture.js';

const audit = (blocks: AuditInput[], extra: { height?: number } = {}) =>
  auditChain({ genesisHash: net.genesisHash, blocks, ...extra });

describe('auditor: replay of an honest chain', () => {
  it('audits clean with the chain totals, exact beyond 2^64, and JSON as it is', async () => {
    const progress: AuditProgress[] = [];
    const report = await auditChain({
      genesisHash: net.genesisHash,
      blocks: await honestInputs(),
      height: 3,
      onProgress: (p) => progress.push(p),
    });
    assert.isTrue(report.clean);
    assert.equal(report.channel, net.config.channel);
    assert.equal(report.genesisHash, toHex(net.genesisHash));
    assert.equal(report.height, 3);
    assert.equal(report.commitHash, toHex(chain[2]!.body.commitHash));
    assert.equal(report.tipHash, toHex(chain[2]!.body.blockHash));
    assert.deepEqual(report.totals, {
      blocks: 3,
      txs: 6,
      valid: 4,
      invalid: 2,
      codes: { DUPLICATE_TXID: 1, FABCOIN_INVALID: 1, VALID: 4 },
      coins: {
        BIG: {
          minted: '36893488147419103230',
          spent: '0',
          unspent: '36893488147419103230',
          unspentCoins: 2,
        },
        FBC: { minted: '7', spent: '0', unspent: '7', unspentCoins: 1 },
        USD: { minted: '35', spent: '10', unspent: '35', unspentCoins: 4 },
      },
    });
    assert.deepEqual(report.disagreements, []);
    assert.deepEqual(report.codeMismatches, []);
    assert.deepEqual(report.unattested, { count: 0, blocks: [] });
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
    assert.deepEqual(
      progress.map((p) => [p.block, p.blocks, p.txs, p.height]),
      [
        [0, 1, 0, 3],
        [1, 2, 3, 3],
        [2, 3, 6, 3],
      ],
    );
    const text = formatAuditSummary(report);
    assert.match(text, /CLEAN/);
    assert.match(text, /blocks 3, transactions 6 \(valid 4, invalid 2\)/);
    assert.match(text, /BIG: minted 36893488147419103230/);
  });

  it('too few agreeing peers leave a block unattested, which alone is not unclean', async () => {
    const inputs = await honestInputs();
    inputs[2] = { ...inputs[2]!, attestations: await attest(chain[2]!.body, [net.peers[0]!]) };
    const report = await audit(inputs);
    assert.deepEqual(report.unattested, { count: 1, blocks: [2] });
    assert.isTrue(report.clean);
  });
});

describe('auditor: what peers and nodes claim', () => {
  it('ignores forged attestations: a bad signature, a non-member CA, another channel', async () => {
    const inputs = await honestInputs();
    const body = { ...chain[1]!.body, commitHash: new Uint8Array(32).fill(7) };
    const [real] = await attest(body, [net.peers[2]!]);
    const badSig = { ...real!, signature: real!.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    const rogueRoot = await signerFromSecret(devSecret(SEED, 'rogue-root'));
    const rogue = await issueDevMember({
      org: { name: 'Org1', root: rogueRoot },
      role: 'peer',
      name: 'rogue',
      seed: SEED,
      notBefore: net.time - 1000,
      notAfter: net.time + 1e9,
    });
    const outsider = await signAttestation(body, rogue.signer, rogue.cert);
    const otherChannel = await signAttestation(
      { ...body, channel: 'elsewhere' },
      net.peers[2]!.signer,
      net.peers[2]!.cert,
    );
    inputs[1] = {
      ...inputs[1]!,
      attestations: [badSig, outsider, otherChannel],
    };
    const report = await audit(inputs);
    assert.deepEqual(report.disagreements, []);
    assert.isTrue(report.clean);
    // Only forgeries were served for block 1: nobody vouches for it.
    assert.deepEqual(report.unattested.blocks, [1]);
  });

  it('names a peer that attests a wrong commitHash, and one that attests wrong codes', async () => {
    const inputs = await honestInputs();
    const [org1, , org3] = net.peers;
    const wrongCommit = { ...chain[2]!.body, commitHash: chain[1]!.body.commitHash };
    const wrongCodes = { ...chain[1]!.body, codesHash: chain[2]!.body.codesHash };
    inputs[2] = {
      ...inputs[2]!,
      attestations: [
        ...(await attest(chain[2]!.body, net.peers.slice(0, 2))),
        ...(await attest(wrongCommit, [org3!])),
      ],
    };
    inputs[1] = {
      ...inputs[1]!,
      attestations: [
        ...(await attest(chain[1]!.body, net.peers.slice(1))),
        ...(await attest(wrongCodes, [org1!])),
      ],
    };
    const report = await audit(inputs);
    assert.isFalse(report.clean);
    assert.deepEqual(
      report.disagreements.map((d) => [
        d.block,
        d.signer.org,
        d.signer.role,
        d.signer.key,
        d.fields,
      ]),
      [
        [1, 'Org1', 'peer', toHex(org1!.cert.publicKey), ['codesHash']],
        [2, 'Org3', 'peer', toHex(org3!.cert.publicKey), ['commitHash']],
      ],
    );
    const d = report.disagreements[1]!;
    assert.equal(d.attested.commitHash, toHex(chain[1]!.body.commitHash));
    assert.equal(d.expected.commitHash, toHex(chain[2]!.body.commitHash));
    // Two agreeing peers of three still satisfy OutOf(2, ...).
    assert.equal(report.unattested.count, 0);
    assert.match(
      formatAuditSummary(report),
      /block 2: Org3 peer [0-9a-f]{12}… attested a different commitHash/,
    );
  });

  it('a peer that signs both the right and a wrong result counts as disagreeing only', async () => {
    const inputs = await honestInputs();
    const wrong = { ...chain[2]!.body, blockHash: chain[1]!.body.blockHash };
    const both = [...(await attest(chain[2]!.body)), ...(await attest(wrong, net.peers.slice(1)))];
    inputs[2] = { ...inputs[2]!, attestations: both };
    const report = await audit(inputs);
    assert.deepEqual(
      report.disagreements.map((x) => x.signer.org),
      ['Org2', 'Org3'],
    );
    assert.deepEqual(report.unattested.blocks, [2], 'Org1 alone does not satisfy OutOf(2)');
  });

  it('reports a node serving wrong codes, naming it and the transactions', async () => {
    const inputs = await honestInputs();
    const served = [...chain[2]!.codes];
    served[1] = TxCode.VALID;
    inputs[2] = { ...inputs[2]!, codes: served, node: 'liar' };
    const report = await audit(inputs);
    assert.isFalse(report.clean);
    assert.deepEqual(report.codeMismatches, [
      {
        block: 2,
        node: 'liar',
        served: 3,
        computed: 3,
        txs: [{ index: 1, served: 'VALID', computed: 'FABCOIN_INVALID' }],
      },
    ]);
    assert.deepEqual(report.disagreements, [], 'the peers attested the true codes');
    assert.match(formatAuditSummary(report), /node liar served wrong codes/);
  });
});

describe('auditor: blocks that fail verification', () => {
  it('stops at a broken block with a typed error naming it, and the report so far', async () => {
    const inputs = await honestInputs();
    const b = inputs[2]!.block;
    inputs[2] = { ...inputs[2]!, block: { ...b, data: [b.data[1]!, b.data[0]!, b.data[2]!] } };
    let caught: AuditError | undefined;
    try {
      await audit(inputs);
    } catch (err) {
      caught = err as AuditError;
    }
    assert.equal(caught?.code, 'AUDIT_BLOCK_REJECTED');
    assert.equal(caught?.block, 2);
    assert.equal(caught?.reason, 'BLOCK_DATA_HASH');
    assert.equal(caught?.node, 'honest');
    assert.equal(caught?.report?.height, 2);
    assert.equal(caught?.report?.failure?.code, 'BLOCK_DATA_HASH');
    assert.isFalse(caught?.report?.clean);
    assert.match(formatAuditSummary(caught!.report!), /FAILED at block 2/);
  });

  it('a block signed by no orderer, out of order, or another genesis is rejected', async () => {
    const inputs = await honestInputs();
    const unsigned = [...inputs];
    unsigned[1] = { ...inputs[1]!, block: { ...inputs[1]!.block, signatures: [] } };
    await rejectsWithCode(() => audit(unsigned), 'AUDIT_BLOCK_REJECTED');
    await rejectsWithCode(() => audit([inputs[0]!, inputs[2]!]), 'AUDIT_BLOCK_REJECTED');
    await rejectsWithCode(() => audit(inputs.slice(1)), 'AUDIT_GENESIS');
    await rejectsWithCode(() => audit([]), 'AUDIT_NO_GENESIS');
  });

  it('a source that ends before the announced height is incomplete', async () => {
    const inputs = await honestInputs();
    await rejectsWithCode(() => audit(inputs.slice(0, 2), { height: 3 }), 'AUDIT_INCOMPLETE');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const blocks = await honestInputs();
    let caught: unknown;
    try {
      await auditChain({ genesisHash: net.genesisHash, blocks, signal: controller.signal });
    } catch (err) {
      caught = err;
    }
    assert.equal((caught as Error | undefined)?.name, 'AbortError');
  });
});
