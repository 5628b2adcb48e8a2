// `weft audit` against a real node: a solo orderer and an Org1 peer+gateway
// (WeftNode.start in this process), coins minted and spent through the
// gateway, then the CLI command (commander parse, real libp2p client host)
// replays the channel from the peer over /weft/light/1.0.0.
import { type AuditReport, coinKey, TxCode, toHex } from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { Command } from 'commander';
import { registerAuditCommand } from '../../src/cli/commands/audit.js';
import type { CliIo } from '../../src/cli/commands/io.js';
import { GatewayClient } from '../../src/client/gateway-client.js';
import { mintProposal, signFabcoinProposal } from '../../src/client/proposals.js';
import type { WeftNode } from '../../src/node/weft-node.js';
import { tcpAddr, wsAddr } from '../net/fixtures.js';
import { type LocalNetwork, startLocalNetwork } from '../node/local-network.js';

/** Runs `weft audit ...args` in-process; what it printed and its exit status. */
async function weftAudit(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode = 0;
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    setExitCode: (c) => {
      exitCode = c;
    },
  };
  const program = new Command('weft').exitOverride();
  registerAuditCommand(program, io);
  await program.parseAsync(['node', 'weft', 'audit', ...args]);
  return { out: out.join(''), err: err.join(''), exitCode };
}

describe('weft audit against a running node', () => {
  let net: LocalNetwork;
  let peer: WeftNode;
  let genesis: string;

  before(async () => {
    net = await startLocalNetwork({ electLeader: true });
    peer = net.peer;
    genesis = toHex(net.genesisHash);
    const { alice, bank } = net;
    const gateway = await GatewayClient.connect({
      gateways: [wsAddr(peer.host).toString()],
      channel: 'weft',
    });
    try {
      const a = alice.cert.publicKey;
      const submit = async (p: { signedProposal: Parameters<GatewayClient['submit']>[0] }) => {
        const s = await gateway.submit(p.signedProposal, true);
        assert.isTrue(s.status === 'committed' && s.code === TxCode.VALID, JSON.stringify(s));
      };
      const mint = await mintProposal(
        'weft',
        [bank],
        [
          { amount: 10n, owner: a, label: 'USD' },
          { amount: 20n, owner: a, label: 'USD' },
        ],
      );
      await submit(mint);
      await submit(await mintProposal('weft', [bank], [{ amount: 7n, owner: a, label: 'FBC' }]));
      const spend = await signFabcoinProposal({
        channel: 'weft',
        creator: alice,
        request: {
          type: 'spend',
          inputs: [coinKey(mint.txid, 0)],
          outputs: [
            { amount: 4n, owner: bank.cert.publicKey, label: 'USD' },
            { amount: 6n, owner: a, label: 'USD' },
          ],
        },
      });
      await submit(spend);
    } finally {
      await gateway.close();
    }
  });

  after(async () => {
    await net?.stop();
  });

  it('prints a clean JSON report with the chain totals (WebSockets)', async () => {
    const run = await weftAudit(
      '--genesis',
      genesis,
      '--peer',
      wsAddr(peer.host).toString(),
      '--json',
    );
    assert.equal(run.exitCode, 0, run.err);
    const report = JSON.parse(run.out) as AuditReport;
    const height = peer.channels.get('weft')!.ledger!.info().height;
    assert.isTrue(report.clean);
    assert.equal(report.genesisHash, genesis);
    assert.equal(report.height, height);
    assert.equal(report.commitHash, toHex(peer.channels.get('weft')!.ledger!.info().commitHash));
    assert.deepEqual(report.totals, {
      blocks: height,
      txs: 3,
      valid: 3,
      invalid: 0,
      codes: { VALID: 3 },
      coins: {
        FBC: { minted: '7', spent: '0', unspent: '7', unspentCoins: 1 },
        USD: { minted: '30', spent: '10', unspent: '30', unspentCoins: 3 },
      },
    });
    assert.deepEqual(report.disagreements, []);
    assert.deepEqual(report.codeMismatches, []);
    assert.deepEqual(
      report.unattested,
      { count: 0, blocks: [] },
      'the Org1 peer attests each block',
    );
  });

  it('prints the summary over TCP', async () => {
    const run = await weftAudit('--genesis', genesis, '--peer', tcpAddr(peer.host).toString());
    assert.equal(run.exitCode, 0, run.err);
    assert.match(run.out, /^audit of channel weft \(genesis [0-9a-f]{12}…\): CLEAN/);
    assert.match(run.out, /USD: minted 30, spent 10, unspent 30 in 3 coin\(s\)/);
  });

  it('fails (exit 1) when the node is not on the trusted chain', async () => {
    const run = await weftAudit(
      '--genesis',
      'ab'.repeat(32),
      '--peer',
      wsAddr(peer.host).toString(),
    );
    assert.equal(run.exitCode, 1);
    assert.match(run.err, /error \[AUDIT_GENESIS\]/);
  });
});
