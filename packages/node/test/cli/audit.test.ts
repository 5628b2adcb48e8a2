// `weft audit` against a real node: a solo orderer and an Org1 peer+gateway
// (WeftNode.start in this process), coins minted and spent through the
// gateway, then the CLI command (commander parse, real libp2p client host)
// replays the channel from the peer over /weft/light/1.0.0.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type AuditReport, coinKey, TxCode, toHex } from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { Command } from 'commander';
import { registerAuditCommand } from '../../src/cli/commands/audit.js';
import type { CliIo } from '../../src/cli/commands/io.js';
import { GatewayClient } from '../../src/client/gateway-client.js';
import { mintProposal, signFabcoinProposal } from '../../src/client/proposals.js';
import { type NodeRole, resolveNodeConfig } from '../../src/config/index.js';
import {
  createChannelGenesis,
  generateMaterial,
  loadMember,
  validateNetworkSpec,
} from '../../src/material/index.js';
import { WeftNode } from '../../src/node/weft-node.js';
import { eventually, tcpAddr, wsAddr } from '../net/fixtures.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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
  let dir: string;
  let orderer: WeftNode;
  let peer: WeftNode;
  let genesis: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'weft-audit-'));
    const ordererPort = await freePort();
    const spec = validateNetworkSpec({
      version: 1,
      validity: { days: 2 },
      orgs: [
        { name: 'Org1', kind: 'peer', peers: 1, clients: 1 },
        {
          name: 'OrdererOrg',
          kind: 'orderer',
          orderers: 1,
          addresses: [`/ip4/127.0.0.1/tcp/${ordererPort}`],
        },
        { name: 'CentralBank', kind: 'bank', centralBanks: 1 },
      ],
      channels: [
        {
          name: 'weft',
          orgs: ['Org1', 'OrdererOrg', 'CentralBank'],
          ordering: { type: 'solo', maxTxCount: 50, batchTimeoutMs: 200 },
        },
      ],
    });
    const materialDir = path.join(dir, 'material');
    await generateMaterial({ spec, outDir: materialDir });
    const out = path.join(dir, 'weft.block');
    genesis = toHex((await createChannelGenesis({ spec, materialDir, channel: 'weft', out })).hash);
    const member = (ref: string) => path.join(materialDir, 'orgs', ref);
    const config = (name: string, identity: string, roles: NodeRole[], tcp: string) =>
      resolveNodeConfig(
        {
          name,
          dataDir: path.join(dir, 'data', name),
          identity: member(identity),
          listen: { tcp, ws: roles.includes('peer') ? '/ip4/127.0.0.1/tcp/0/ws' : null },
          ops: null,
          log: { level: 'silent' },
          channels: [{ name: 'weft', genesis: out, roles }],
        },
        { baseDir: dir },
      );
    orderer = await WeftNode.start(
      config('orderer0', 'OrdererOrg/orderer0', ['orderer'], `/ip4/127.0.0.1/tcp/${ordererPort}`),
    );
    peer = await WeftNode.start(
      config('org1-peer0', 'Org1/peer0', ['peer', 'gateway'], '/ip4/127.0.0.1/tcp/0'),
    );
    const alice = await loadMember(member('Org1/client0'));
    const bank = await loadMember(member('CentralBank/cb0'));
    const peerKey = (await loadMember(member('Org1/peer0'))).cert.publicKey;
    await eventually(
      () => orderer.directory.isChannelMember('weft', peerKey),
      'the orderer knows the peer',
      20_000,
    );
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
    await peer?.close();
    await orderer?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
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
