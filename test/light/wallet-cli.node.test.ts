// `pnpm wallet` as a user runs it: each command a real child process over
// its own data directory (classic-level on disk), against a running network
// with Org1's CA. Create (recovery words shown once), enroll with a
// one-time secret, receive minted coins, send to a second wallet, check
// both balances, history and coins, restore from the words; refusals come
// back as `error [CODE]` and exit status 1.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatEnrollSecret, fromHex, toHex } from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { CaClient } from '../../packages/node/src/ca/index.js';
import { GatewayClient } from '../../packages/node/src/client/gateway-client.js';
import { mintProposal } from '../../packages/node/src/client/proposals.js';
import { until } from '../../packages/node/test/e2e/test-network.js';
import {
  type LocalNetwork,
  startLocalNetwork,
} from '../../packages/node/test/node/local-network.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const PASS = 'a long enough wallet passphrase';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

describe('wallet CLI (child processes) on a running network', () => {
  let net: LocalNetwork;
  let gateway: GatewayClient;
  let data: string;
  let enrollment: { id: string; secret: string };

  /** `node --import tsx packages/wallet-cli/src/main.ts --data <dir> <command>`, as `pnpm wallet` runs it. */
  function wallet(command: string, env: Record<string, string> = {}): Promise<Run> {
    const args = command.split(/\s+/).filter(Boolean);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/wallet-cli/src/main.ts', '--data', data, ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, WEFT_WALLET_PASSPHRASE: PASS, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const run: Run = { code: null, out: '', err: '' };
    child.stdout.on('data', (d: Buffer) => {
      run.out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      run.err += d.toString();
    });
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ ...run, code }));
    });
  }

  /** Runs a command that must succeed and print JSON. */
  async function json<T>(command: string, env?: Record<string, string>): Promise<T> {
    const r = await wallet(`${command} --json`, env);
    assert.equal(r.code, 0, `${command}: ${r.err}`);
    return JSON.parse(r.out) as T;
  }

  type Balance = { labels: Record<string, Record<string, string>>; complete: boolean };
  const usd = async (name: string) => (await json<Balance>(`--wallet ${name} balance`)).labels.USD;
  /** Asserts a wallet's USD balance: `spendable`, nothing locked, pending or unverifiable. */
  const usdIs = async (name: string, spendable: string) =>
    assert.deepEqual(await usd(name), { spendable, locked: '0', pending: '0', unverifiable: '0' });

  before(async () => {
    net = await startLocalNetwork({ ca: true });
    data = await mkdtemp(path.join(os.tmpdir(), 'weft-wallet-cli-'));
    const ca = await CaClient.connect({ node: net.peerWs });
    try {
      const [g] = await ca.register({ org: 'Org1', admin: net.admin!, count: 1 });
      enrollment = { id: g!.id, secret: formatEnrollSecret(g!.secret) };
    } finally {
      await ca.close();
    }
    gateway = await GatewayClient.connect({ gateways: [net.peerWs], channel: 'weft' });
  });

  after(async () => {
    await gateway?.close();
    await net?.stop();
    if (data) await rm(data, { recursive: true, force: true });
  });

  let mnemonic: string;
  let aliceKey: string;

  it('creates a wallet, showing its recovery words once, and remembers the network', async () => {
    const created = await json<{ wallet: string; mnemonic: string }>(
      `--wallet alice --genesis ${toHex(net.genesisHash)} --peer ${net.peerWs} create --label USD`,
    );
    mnemonic = created.mnemonic;
    assert.equal(created.wallet, 'alice');
    assert.lengthOf(mnemonic.split(' '), 24);
    const again = await wallet('--wallet alice create');
    assert.equal(again.code, 1);
    assert.include(again.err, 'error [WALLET_EXISTS]');
    const wrong = await wallet('--wallet alice balance', {
      WEFT_WALLET_PASSPHRASE: 'not the passphrase',
    });
    assert.equal(wrong.code, 1);
    assert.include(wrong.err, 'error [WALLET_BAD_PASSPHRASE]');
  });

  it('enrolls with the org CA, receives minted coins and sees them valid', async () => {
    const enrolled = await json<{ org: string; role: string }>(
      `--wallet alice enroll --org Org1 --id ${enrollment.id} --secret ${enrollment.secret}`,
    );
    assert.deepEqual([enrolled.org, enrolled.role], ['Org1', 'client']);
    const received = await json<{ index: number; ownerKey: string; certificate?: string }>(
      `--wallet alice receive`,
    );
    assert.equal(received.index, 0);
    assert.isString(received.certificate);
    aliceKey = received.ownerKey;
    const { signedProposal } = await mintProposal(
      'weft',
      [net.bank],
      [{ amount: 30n, owner: fromHex(aliceKey), label: 'USD' }],
    );
    assert.equal((await gateway.submit(signedProposal, true)).status, 'committed');
    await until(
      'the minted coin is valid',
      async () => ((await usd('alice'))?.spendable === '30' ? true : undefined),
      60_000,
    );
    const human = await wallet('--wallet alice balance');
    assert.match(human.out, /^USD +spendable 30 +locked 0 +pending 0 +unverifiable 0$/m);
  });

  it('sends to a second wallet; both balances, history and coins show the verified result', async () => {
    await json(`--wallet bob create --label USD`);
    const bobKey = (await json<{ ownerKey: string }>(`--wallet bob receive`)).ownerKey;
    const sent = await json<{ status: string; change: string; txid: string }>(
      `--wallet alice send --to ${bobKey} --label USD --amount 12`,
    );
    assert.equal(sent.status, 'valid');
    assert.equal(sent.change, '18');
    await usdIs('alice', '18');
    await usdIs('bob', '12');
    const history = await json<{
      pending: unknown[];
      history: { outcome: string; txid: string }[];
    }>(`--wallet alice history`);
    assert.isEmpty(history.pending);
    assert.deepEqual(
      history.history.map((h) => [h.outcome, h.txid]),
      [['valid', sent.txid]],
    );
    const coins = await json<{ coins: { amount: string; status: string; ownerIndex: number }[] }>(
      `--wallet alice coins`,
    );
    assert.deepEqual(
      coins.coins.map((c) => [c.amount, c.status, c.ownerIndex]),
      [['18', 'valid', 1]],
    );

    const broke = await wallet(`--wallet alice send --to ${bobKey} --label USD --amount 19`);
    assert.equal(broke.code, 1);
    assert.include(broke.err, 'error [WALLET_INSUFFICIENT_FUNDS]');
    const unenrolled = await wallet(`--wallet bob send --to ${aliceKey} --label USD --amount 1`);
    assert.equal(unenrolled.code, 1);
    assert.include(unenrolled.err, 'error [WALLET_NOT_ENROLLED]');
  });

  it('restores from the recovery words and finds the coins by scanning its keys', async () => {
    await json(`--wallet alice-restored restore --label USD`, {
      WEFT_WALLET_MNEMONIC: mnemonic,
    });
    await usdIs('alice-restored', '18');
    const next = await json<{ index: number }>(`--wallet alice-restored receive`);
    assert.equal(next.index, 2, 'keys found in use are never handed out again');
  });
});
