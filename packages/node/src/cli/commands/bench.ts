import { type Command, InvalidArgumentError, Option } from 'commander';
import type { runE2eBench } from '../../bench/e2e-bench.js';
import { E2E_ORDERERS, type E2eOrderer } from '../../bench/e2e-orderers.js';
import type { runLedgerBench } from '../../bench/ledger-bench.js';
import type { runOrderBench } from '../../bench/order-bench.js';
import type { runValidateBench } from '../../bench/validate-bench.js';

// Benchmarks load what they run when they run (dynamic imports), and print
// their JSON report on stdout; progress goes to stderr.

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** What commander parses for a benchmark: its options but the progress log, and --json. */
type CliOptions<Run extends (options: never) => unknown> = Omit<Parameters<Run>[0], 'log'> & {
  json?: boolean;
};

function rate(value: string): number | 'max' {
  if (value === 'max') return value;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('expected transactions per second (> 0) or max');
  return n;
}

function ordererType(value: string): E2eOrderer {
  const known = E2E_ORDERERS.find((o) => o === value);
  if (!known) throw new InvalidArgumentError(`expected ${E2E_ORDERERS.join(' or ')}`);
  return known;
}

function upTo16(value: string): number {
  const n = positiveInt(value);
  if (n > 16) throw new InvalidArgumentError('expected 1..16');
  return n;
}

/** `weft bench ...`: validate, ledger, e2e and order. */
export function registerBenchCommands(program: Command): Command {
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
    .option(
      '--profile <file>',
      "write a CPU profile of the main thread's timed region (.cpuprofile)",
    )
    .option('--json', 'print only the JSON report')
    .action(async (opts: CliOptions<typeof runValidateBench>) => {
      const { runValidateBench } = await import('../../bench/validate-bench.js');
      const report = await runValidateBench({ ...opts, log: progress });
      print(report, opts.json);
      if (!report.allValid) process.exitCode = 1;
    });

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
    .action(async (opts: CliOptions<typeof runLedgerBench>) => {
      const { runLedgerBench } = await import('../../bench/ledger-bench.js');
      const report = await runLedgerBench({ ...opts, log: progress });
      print(report, opts.json);
    });

  startedNetwork(
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
      .option('--network <dir>', 'target the running network of this weft up directory instead'),
  ).action(async (opts: CliOptions<typeof runE2eBench>) => {
    const { runE2eBench } = await import('../../bench/e2e-bench.js');
    const report = await runE2eBench({ ...opts, log: progress });
    if (report.succeeded === 0) process.exitCode = 1;
    // After a run with stream resets, closed gateway clients can leave their
    // WebSocket sockets open and keep the process alive: exit once printed.
    print(report, opts.json, () => process.exit());
  });

  startedNetwork(
    bench
      .command('order')
      .description(
        "ordering alone (no peers): pre-built signed envelopes broadcast over libp2p to the started ordering service, closed loop; envelopes/s into delivered blocks, broadcast-to-ack latency, vs this machine's limits",
      )
      .option('--txs <n>', 'envelopes broadcast (timed), each once', positiveInt, 20_000)
      .option(
        '--in-flight <n>',
        'broadcasts outstanding at once, spread over every orderer (default: a full block of the default batch)',
        positiveInt,
        500,
      ),
  ).action(async (opts: CliOptions<typeof runOrderBench>) => {
    const { runOrderBench } = await import('../../bench/order-bench.js');
    const report = await runOrderBench({ ...opts, log: progress });
    if (!report.everyEnvelopeOnce || !report.agreed) process.exitCode = 1;
    print(report, opts.json, () => process.exit());
  });
  return bench;
}

/** The options of a benchmark that starts a `weft up`-style network. */
function startedNetwork(cmd: Command): Command {
  return cmd
    .option('--orgs <n>', 'peer organisations of the started network', upTo16, 2)
    .option('--peers-per-org <n>', 'peers per organisation of the started network', upTo16, 1)
    .option(
      '--orderer <type>',
      `ordering service of the started network: ${E2E_ORDERERS.join(' or ')} (3 orderers on 3 NATS servers)`,
      ordererType,
      'solo',
    )
    .option(
      '--dir <path>',
      'keep the started network here (default: a temporary directory, removed)',
    )
    .option(
      '--base-port <port>',
      'first TCP port of the started network (WebSockets +100, ops +2000, NATS +3000..+3202)',
      positiveInt,
      27050,
    )
    .option('--channel <name>', 'channel of the started network', 'weft')
    .option('--json', 'print only the JSON report');
}

/** The report on stdout: one line with --json, indented otherwise. */
function print(report: unknown, json: boolean | undefined, done?: () => void): void {
  process.stdout.write(`${JSON.stringify(report, null, json ? 0 : 2)}\n`, done);
}
