import { encodeCertificate, toHex } from '@weft/core';
import { createMnemonic, type FabcoinWallet, WalletSession } from '@weft/light';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  DATA_ENV,
  DEFAULT_DATA_DIR,
  type GlobalOptions,
  networkSettings,
  openData,
  openWallet,
} from './context.js';
import { openEnrollTransport } from './enroll-transport.js';
import { formatBalance, formatCoins, formatHistory, formatSpend } from './format.js';
import { type CliIo, processIo, runCommand, toJson } from './output.js';
import { mnemonicInput, passphrase } from './prompt.js';

/** Exit status of `send` when the spend is submitted but not yet verified valid or invalid. */
export const EXIT_UNSETTLED = 3;

function amount(value: string): bigint {
  if (!/^[0-9]{1,20}$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return BigInt(value);
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > 3600) throw new InvalidArgumentError('1..3600');
  return n;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The `weft-wallet` commands (`pnpm wallet <command>` from the repository root). */
export function registerWalletCommands(program: Command, io: CliIo = processIo): Command {
  program
    .option(
      '--data <dir>',
      `data directory (vaults, verified headers; $${DATA_ENV})`,
      process.env[DATA_ENV] ?? DEFAULT_DATA_DIR,
    )
    .option('--wallet <name>', 'wallet name in the data directory', 'default')
    .option('--genesis <hash>', "the channel's genesis block hash, hex (remembered)")
    .option('--peer <multiaddr>', 'a full node with /p2p, repeatable (remembered)', collect)
    .option('--channel <name>', 'channel name (remembered; default weft)')
    .option('--json', 'print JSON');

  /** An action with the global options, errors reported as `error [CODE]`. */
  const action =
    <T>(body: (o: GlobalOptions & T) => Promise<void>) =>
    (_opts: T, cmd: Command) =>
      runCommand(io, () => body(cmd.optsWithGlobals<GlobalOptions & T>()));

  /** Runs `body` on the unlocked, connected wallet, and closes everything after. */
  const withWallet = async (
    o: GlobalOptions,
    body: (w: FabcoinWallet) => Promise<void>,
    followMs?: number,
  ) => {
    const opened = await openWallet(o, followMs ? { timeoutMs: followMs } : undefined);
    try {
      await body(opened.wallet);
    } finally {
      await opened.close();
    }
  };

  const createVault = async (o: GlobalOptions & { label?: string[] }, mnemonic: string) => {
    const { db, store } = await openData(o.data);
    try {
      await networkSettings(o);
      const session = await WalletSession.create({
        store,
        name: o.wallet,
        passphrase: await passphrase({ confirm: true }),
        mnemonic,
        labels: o.label ?? [],
        idleTimeoutMs: Number.POSITIVE_INFINITY,
      });
      session.lock();
    } finally {
      await db.close();
    }
  };

  const labelOption = () =>
    new Option('--label <label>', 'a label to follow (repeatable)').argParser(collect);

  program
    .command('create')
    .description('create a wallet; prints its recovery words once')
    .addOption(new Option('--words <n>', 'mnemonic length').choices(['12', '24']).default('24'))
    .addOption(labelOption())
    .action(
      action<{ words: string; label?: string[] }>(async (o) => {
        const mnemonic = createMnemonic(Number(o.words) as 12 | 24);
        await createVault(o, mnemonic);
        if (o.json) return io.out(`${toJson({ wallet: o.wallet, mnemonic })}\n`);
        io.out(
          `created wallet "${o.wallet}" in ${o.data}\n\nrecovery words (write them down; they are not shown again):\n\n  ${mnemonic}\n\n`,
        );
      }),
    );

  program
    .command('restore')
    .description('restore a wallet from its recovery words ($WEFT_WALLET_MNEMONIC or a prompt)')
    .addOption(labelOption())
    .action(
      action<{ label?: string[] }>(async (o) => {
        await createVault(o, await mnemonicInput());
        if (o.json) return io.out(`${toJson({ wallet: o.wallet, restored: true })}\n`);
        io.out(`restored wallet "${o.wallet}"; run balance to find its coins\n`);
      }),
    );

  program
    .command('enroll')
    .description("get a client certificate from an org's CA with a one-time id and secret")
    .requiredOption('--org <org>', 'the organisation whose CA enrolls the wallet')
    .requiredOption('--id <id>', 'enrollment id the org admin registered')
    .requiredOption('--secret <hex>', 'its one-time secret')
    .option('--ca <multiaddr>', 'the CA node (default: the first --peer)')
    .action(
      action<{ org: string; id: string; secret: string; ca?: string }>(async (o) =>
        withWallet(o, async (wallet) => {
          const node = o.ca ?? (await networkSettings(o))!.peers[0]!;
          const transport = await openEnrollTransport(node);
          try {
            const cert = await wallet.enroll({ transport, org: o.org, id: o.id, secret: o.secret });
            if (o.json)
              return io.out(
                `${toJson({ certificate: encodeCertificate(cert), org: cert.org, role: cert.role, notAfter: cert.notAfter })}\n`,
              );
            io.out(
              `enrolled as ${cert.org}.${cert.role} until ${new Date(cert.notAfter).toISOString()}\n`,
            );
          } finally {
            await transport.close();
          }
        }),
      ),
    );

  program
    .command('send')
    .description(
      'pay an owner key; follows the spend to a verified verdict (exit 3: not yet settled)',
    )
    .requiredOption('--to <ownerKey>', "the recipient's owner key (hex)")
    .requiredOption('--label <label>', 'the coin label, e.g. USD')
    .requiredOption('--amount <n>', 'a whole number', amount)
    .option('--timeout <s>', 'how long to follow the spend', seconds, 60)
    .action(
      action<{ to: string; label: string; amount: bigint; timeout: number }>(async (o) =>
        withWallet(
          o,
          async (wallet) => {
            const r = await wallet.spend({ to: o.to, label: o.label, amount: o.amount });
            const { verdict: _v, ...shown } = r;
            io.out(o.json ? `${toJson(shown)}\n` : formatSpend(r, o));
            if (r.status === 'invalid' || r.status === 'unverifiable') io.setExitCode(1);
            else if (r.status !== 'valid') io.setExitCode(EXIT_UNSETTLED);
          },
          o.timeout * 1000,
        ),
      ),
    );

  /** A command that only shows something: JSON with --json, else `human`. */
  const report = <T>(
    name: string,
    description: string,
    fetch: (w: FabcoinWallet) => Promise<T>,
    human: (value: T) => string,
  ) =>
    program
      .command(name)
      .description(description)
      .action(
        action(async (o) =>
          withWallet(o, async (wallet) => {
            const value = await fetch(wallet);
            io.out(o.json ? `${toJson(value)}\n` : human(value));
          }),
        ),
      );

  report(
    'receive',
    'a fresh owner key to be paid on (and the client certificate, once enrolled)',
    async (w) => {
      const r = await w.receive();
      const certificate = r.certificate && encodeCertificate(r.certificate);
      return { index: r.index, ownerKey: r.ownerKey, ...(certificate ? { certificate } : {}) };
    },
    (r) => `${r.ownerKey}\n${r.certificate ? `certificate ${toHex(r.certificate)}\n` : ''}`,
  );
  report(
    'balance',
    'per label: spendable (attested valid), locked, pending, unverifiable',
    (w) => w.balance(),
    formatBalance,
  );
  report(
    'coins',
    "the wallet's coins, each with its verification status",
    (w) => w.coins(),
    formatCoins,
  );
  report(
    'history',
    "this wallet's payments (awaiting a verdict, settled) and the coins it received, with their verified status",
    async (w) => {
      // A scan settles pending spends and records newly received coins.
      await w.coins();
      return w.history();
    },
    formatHistory,
  );
  return program;
}
