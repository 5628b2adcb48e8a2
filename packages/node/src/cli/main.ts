import '../net/polyfill.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runLedgerBench } from '../bench/ledger-bench.js';
import { runValidateBench } from '../bench/validate-bench.js';
import { installNativeCrypto } from '../crypto/install.js';
import { registerCaCommands } from './commands/ca.js';
import { registerChannelCommands } from './commands/channel.js';
import { registerCryptoCommands } from './commands/crypto.js';
import { registerNodeCommands } from './commands/node.js';
import { registerTxCommands } from './commands/tx.js';
import { registerUpCommand } from './commands/up.js';

// The `weft` command line (`pnpm weft ...` from the repository root).
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
  .option('--json', 'print only the JSON report')
  .action(
    async (opts: {
      kind: 'spend' | 'mint';
      txs: number;
      blockSize: number;
      workers?: number;
      dir?: string;
      json?: boolean;
    }) => {
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
      const report = await runLedgerBench({
        ...opts,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${JSON.stringify(report, null, opts.json ? 0 : 2)}\n`);
    },
  );

await program.parseAsync(process.argv);
