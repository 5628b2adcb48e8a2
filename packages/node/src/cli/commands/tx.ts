import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fromHex, type TxStatus, toHex, txCodeName, WeftError } from '@weft/core';
import { type Command, InvalidArgumentError } from 'commander';
import type { GatewayClient } from '../../client/gateway-client.js';
import { mintProposal, planSpend, signFabcoinProposal } from '../../client/proposals.js';
import { loadMember } from '../../material/member.js';
import { NETWORK_FILE, type NetworkInfo } from '../../up/dev-network.js';
import { type CliIo, processIo, runCommand } from './io.js';

interface CommonOptions {
  network: string;
  gateway?: string[];
  channel?: string;
  json?: boolean;
}

function amount(value: string): bigint {
  if (!/^[1-9][0-9]{0,19}$/.test(value))
    throw new InvalidArgumentError('expected a positive integer');
  return BigInt(value);
}

async function networkOf(o: CommonOptions): Promise<NetworkInfo | undefined> {
  try {
    return JSON.parse(await readFile(path.join(o.network, NETWORK_FILE), 'utf8')) as NetworkInfo;
  } catch {
    return undefined;
  }
}

async function connect(o: CommonOptions): Promise<{ client: GatewayClient; info?: NetworkInfo }> {
  const info = await networkOf(o);
  const gateways = o.gateway?.length ? o.gateway : (info?.gateways ?? []);
  const channel = o.channel ?? info?.channel;
  if (gateways.length === 0 || !channel) {
    throw new WeftError(
      'CLI_NO_NETWORK',
      `no gateway/channel: pass --gateway and --channel, or run weft up (--network ${o.network})`,
    );
  }
  const { GatewayClient } = await import('../../client/gateway-client.js');
  return { client: await GatewayClient.connect({ gateways, channel }), info };
}

/** Runs `fn` with a connected client, closing it afterwards whatever happens. */
async function withClient<T>(
  o: CommonOptions,
  fn: (client: GatewayClient, info: NetworkInfo | undefined) => Promise<T>,
): Promise<T> {
  const { client, info } = await connect(o);
  try {
    return await fn(client, info);
  } finally {
    await client.close();
  }
}

/** `Org/member` under the network's material, or a member directory path. */
async function member(info: NetworkInfo | undefined, ref: string) {
  const dir =
    info && /^[A-Za-z][\w-]*\/[\w-]+$/.test(ref) ? path.join(info.materialDir, 'orgs', ref) : ref;
  return loadMember(dir);
}

/** A 64-hex public key, or `Org/member` whose key it is. */
async function ownerKey(info: NetworkInfo | undefined, ref: string): Promise<Uint8Array> {
  if (/^[0-9a-f]{64}$/i.test(ref)) return fromHex(ref.toLowerCase());
  return (await member(info, ref)).cert.publicKey;
}

function printStatus(io: CliIo, s: TxStatus, json?: boolean): void {
  if (json) {
    io.out(
      `${JSON.stringify({ ...s, txid: toHex(s.txid), code: s.status === 'committed' ? txCodeName(s.code) : undefined })}\n`,
    );
    return;
  }
  const where =
    s.status === 'committed' ? ` ${txCodeName(s.code)} in block ${s.block} (index ${s.index})` : '';
  io.out(`${toHex(s.txid)} ${s.status}${where}\n`);
  if (s.status === 'committed' && txCodeName(s.code) !== 'VALID') io.setExitCode(2);
}

/** `weft tx mint|spend|balance|status`: a gateway client for operators and scripts. */
export function registerTxCommands(program: Command, io: CliIo = processIo): Command {
  const tx = program
    .command('tx')
    .description('submit and inspect Fabcoin transactions through a gateway');
  const common = (c: Command) =>
    c
      .option('--network <dir>', 'a weft up directory (gateways, channel, material)', '.weft')
      .option('--gateway <multiaddr...>', 'gateway WebSocket multiaddrs (with /p2p)')
      .option('--channel <name>', 'channel')
      .option('--json', 'print JSON');

  common(tx.command('mint'))
    .description('mint new coins (signed by a central bank member)')
    .requiredOption('--amount <n>', 'amount', amount)
    .requiredOption('--to <owner>', 'owner: 64-hex public key or Org/member')
    .option('--as <member>', 'central bank member (Org/member or directory)', 'CentralBank/cb0')
    .option('--label <label>', 'currency label', 'FBC')
    .action((o: CommonOptions & { amount: bigint; to: string; as: string; label: string }) =>
      runCommand(io, async () => {
        await withClient(o, async (client, info) => {
          const bank = await member(info, o.as);
          const owner = await ownerKey(info, o.to);
          const { signedProposal } = await mintProposal(
            client.channel,
            [bank],
            [{ amount: o.amount, owner, label: o.label }],
          );
          printStatus(io, await client.submit(signedProposal, true), o.json);
        });
      }),
    );

  common(tx.command('spend'))
    .description("send coins: picks the sender's coins of the label and returns change")
    .requiredOption('--as <member>', 'the owner sending (Org/member or directory)')
    .requiredOption('--to <owner>', 'recipient: 64-hex public key or Org/member')
    .requiredOption('--amount <n>', 'amount', amount)
    .option('--label <label>', 'currency label', 'FBC')
    .action((o: CommonOptions & { as: string; to: string; amount: bigint; label: string }) =>
      runCommand(io, async () => {
        await withClient(o, async (client, info) => {
          const sender = await member(info, o.as);
          const to = await ownerKey(info, o.to);
          const coins = await client.coins(sender.cert.publicKey);
          const plan = planSpend({
            coins,
            owner: sender.cert.publicKey,
            to,
            amount: o.amount,
            label: o.label,
          });
          if (!plan)
            throw new WeftError('CLI_INSUFFICIENT_FUNDS', `not enough ${o.label} for ${o.amount}`);
          const { signedProposal } = await signFabcoinProposal({
            channel: client.channel,
            creator: sender,
            request: { type: 'spend', inputs: plan.inputs, outputs: plan.outputs },
          });
          printStatus(io, await client.submit(signedProposal, true), o.json);
        });
      }),
    );

  common(tx.command('balance'))
    .description("an owner's unspent coins and totals per label (as the gateway reports them)")
    .requiredOption('--owner <owner>', '64-hex public key or Org/member')
    .action((o: CommonOptions & { owner: string }) =>
      runCommand(io, async () => {
        await withClient(o, async (client, info) => {
          const coins = await client.coins(await ownerKey(info, o.owner));
          const totals: Record<string, bigint> = {};
          for (const c of coins) totals[c.label] = (totals[c.label] ?? 0n) + c.amount;
          if (o.json) {
            const str = (v: bigint) => v.toString();
            io.out(
              `${JSON.stringify({ coins: coins.map((c) => ({ ...c, amount: str(c.amount) })), totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, str(v)])) })}\n`,
            );
            return;
          }
          for (const [label, total] of Object.entries(totals)) io.out(`${label} ${total}\n`);
          io.out(`${coins.length} coins\n`);
        });
      }),
    );

  common(tx.command('status'))
    .description("a transaction's code and block")
    .argument('<txid>', '64-hex transaction id')
    .option('--wait', 'wait until the gateway commits it')
    .action((txid: string, o: CommonOptions & { wait?: boolean }) =>
      runCommand(io, async () => {
        if (!/^[0-9a-f]{64}$/i.test(txid))
          throw new WeftError('CLI_BAD_TXID', 'a txid is 64 hex digits');
        await withClient(o, async (client) => {
          printStatus(
            io,
            await client.status(fromHex(txid.toLowerCase()), o.wait ?? false),
            o.json,
          );
        });
      }),
    );
  return tx;
}
