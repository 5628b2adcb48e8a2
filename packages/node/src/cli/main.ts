import '../net/polyfill.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { runE2eBench } from '../bench/e2e-bench.js';
import { E2E_ORDERERS } from '../bench/e2e-orderers.js';
import { installNativeCrypto } from '../crypto/install.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerCaCommands } from './commands/ca.js';
import { registerChannelCommands } from './commands/channel.js';
import { registerCryptoCommands } from './commands/crypto.js';
import { registerNodeCommands } from './commands/node.js';
import { registerTxCommands } from './commands/tx.js';
import { registerUpCommand } from './commands/up.js';

// The `weft` command line (`pnpm weft ...` from the repository root).
// Commands load what they run when they run (dynamic imports): a benchmark
// or a CLI call then carries no libp2p, no node, no other command in memory.
installNativeCrypto();

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const program = new Command('weft').description(
  'Weft: a permissioned ledger after Hyperledger Fabric',
);
registerCryptoCommands(program);
registerChannelCommands(program);
registerNodeCommands(program);
registerUpCommand(program);
registerTxCommands(program);
registerCaCommands(program);
registerAuditCommand(program);

const bench = program.command('bench').description('benchmarks that print JSON');

bench
  .command('validate')
  .description(
    "commit generated blocks to an on-disk ledger with VSCC on the worker pool, vs this machine's signature limit",
  )
  .addOption(
    new Option('--kind <kind>', 'transaction kind').choices(['spend', 'mint']).default('spend'),
  )
  .option('--txs <n>', 'transactions to commit (timed)', positiveInt, 20_000)
  .option('--block-size <n>', 'transactions per block', positiveInt, 500)
  .option('--workers <n>', 'VSCC worker threads (default: one per core)', positiveInt)
  .option('--depth <n>', 'blocks in VSCC ahead of the one committing', positiveInt, 2)
  .option('--dir <path>', 'ledger directory (default: a temporary one, removed afterwards)')
  .option('--profile <file>', "write a CPU profile of the main thread's timed region (.cpuprofile)")
  .option('--json', 'print only the JSON report')
  .action(
    async (opts: {
      kind: 'spend' | 'mint';
      profile?: string;
      txs: number;
      blockSize: number;
      workers?: number;
      dir?: string;
      json?: boolean;
    }) => {
      const { runValidateBench } = await import('../bench/validate-bench.js');
      const report = await runValidateBench({
        ...opts,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${JSON.stringify(report, null, opts.json ? 0 : 2)}\n`);
      if (!report.allValid) process.exitCode = 1;
    },
  );

bench
  .command('ledger')
  .description(
    'fill an on-disk ledger through the commit pipeline, then time txid and owner-coin lookups; reports peak RSS',
  )
  .option('--txs <n>', 'transactions to commit (single-output mints)', positiveInt, 1_000_000)
  .option('--block-size <n>', 'transactions per block', positiveInt, 500)
  .option('--owners <n>', 'distinct coin owners', positiveInt, 10_000)
  .option('--queries <n>', 'timed lookups of each kind', positiveInt, 5_000)
  .option('--page-size <n>', 'coins per owner page', positiveInt, 100)
  .option('--dir <path>', 'ledger directory (default: a temporary one, removed afterwards)')
  .option('--json', 'print only the JSON report')
  .action(
    async (opts: {
      txs: number;
      blockSize: number;
      owners: number;
      queries: number;
      pageSize: number;
      dir?: string;
      json?: boolean;
    }) => {
      const { runLedgerBench } = await import('../bench/ledger-bench.js');
      const report = await runLedgerBench({
        ...opts,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${JSON.stringify(report, null, opts.json ? 0 : 2)}\n`);
    },
  );

function rate(value: string): number | 'max' {
  if (value === 'max') return value;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('expected transactions per second (> 0) or max');
  return n;
}

function ordererType(value: string): (typeof E2E_ORDERERS)[number] {
  const known = E2E_ORDERERS.find((o) => o === value);
  if (!known)
    throw new InvalidArgumentError(
      `only ${E2E_ORDERERS.join(', ')} exists now (a jetstream orderer is planned)`,
    );
  return known;
}

function upTo16(value: string): number {
  const n = positiveInt(value);
  if (n > 16) throw new InvalidArgumentError('expected 1..16');
  return n;
}

bench
  .command('e2e')
  .description(
    'Caliper-style: signed Fabcoin spends through the gateways of a local network (started, or --network), at a fixed rate or closed loop; latency from submission to commit status, CPU per node',
  )
  .option('--duration <s>', 'seconds of load (timed)', positiveInt, 20)
  .option(
    '--rate <tps|max>',
    'transactions per second offered (open loop), or max: closed loop with --in-flight outstanding',
    rate,
    100,
  )
  .option(
    '--in-flight <n>',
    "outstanding transactions with --rate max (default: 32 per gateway, a node's concurrent streams per protocol and connection)",
    positiveInt,
  )
  .option('--clients <n>', 'gateway connections, spread over the gateways', positiveInt, 8)
  .option(
    '--txs <n>',
    'coins minted for --rate max; the run ends when all are spent (default: 1000 per second of --duration)',
    positiveInt,
  )
  .option('--orgs <n>', 'peer organisations of the started network', upTo16, 2)
  .option('--peers-per-org <n>', 'peers per organisation of the started network', upTo16, 1)
  .option('--orderer <type>', 'ordering service of the started network', ordererType, 'solo')
  .option('--network <dir>', 'target the running network of this weft up directory instead')
  .option('--dir <path>', 'keep the started network here (default: a temporary directory, removed)')
  .option(
    '--base-port <port>',
    'first TCP port of the started network (WebSockets +100, ops +2000)',
    positiveInt,
    27050,
  )
  .option('--channel <name>', 'channel of the started network', 'weft')
  .option('--json', 'print only the JSON report')
  .action(async (opts: Omit<Parameters<typeof runE2eBench>[0], 'log'> & { json?: boolean }) => {
    const { runE2eBench } = await import('../bench/e2e-bench.js');
    const report = await runE2eBench({
      ...opts,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    if (report.succeeded === 0) process.exitCode = 1;
    // After a run with stream resets, closed gateway clients can leave their
    // WebSocket sockets open and keep the process alive: exit once printed.
    process.stdout.write(`${JSON.stringify(report, null, opts.json ? 0 : 2)}\n`, () =>
      process.exit(),
    );
  });

await program.parseAsync(process.argv);
