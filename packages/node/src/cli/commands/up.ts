import { ORDERING_TYPES, type OrderingType } from '@weft/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type CliIo, processIo, runCommand } from './io.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError('expected 1..16');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1024 || n > 60_000)
    throw new InvalidArgumentError('expected a port in 1024..60000');
  return n;
}

/** `weft up`: the whole dev network on this machine, one process per node. */
export function registerUpCommand(program: Command, io: CliIo = processIo): Command {
  return program
    .command('up')
    .description(
      'run a local dev network (a solo orderer, or 3 orderers on a 3-server NATS JetStream log; N orgs x M peers with gateways, a central bank) until Ctrl-C; resumes from --dir',
    )
    .option('--dir <path>', 'where material, ledgers and logs live', '.weft')
    .option('--orgs <n>', 'peer organisations', count, 2)
    .option('--peers <n>', 'peers per organisation', count, 2)
    .option('--base-port <port>', 'first TCP port (WebSockets +100, ops +2000)', port, 7050)
    .option('--channel <name>', 'channel name', 'weft')
    .addOption(
      new Option(
        '--orderer <type>',
        'ordering of a new network (default solo): solo, or jetstream (3 orderers on a 3-server NATS cluster at base port +3000; nats-server from PATH, installed with apt-get when root); an existing network keeps its own',
      ).choices(ORDERING_TYPES),
    )
    .option('--coins <amount>', 'FBC minted to each demo client on first start', '1000')
    .option('--ui-port <port>', 'HTTP port of the wallet UI (default base port + 1000)', port)
    .option('--no-ui', 'do not serve the wallet UI')
    .action(
      (opts: {
        dir: string;
        orgs: number;
        peers: number;
        basePort: number;
        channel: string;
        orderer?: OrderingType;
        coins: string;
        uiPort?: number;
        ui: boolean;
      }) =>
        runCommand(io, async () => {
          const { up } = await import('../../up/up.js');
          const network = await up({
            dir: opts.dir,
            orgs: opts.orgs,
            peersPerOrg: opts.peers,
            basePort: opts.basePort,
            channel: opts.channel,
            ...(opts.orderer ? { ordering: opts.orderer } : {}),
            startingCoins: BigInt(opts.coins),
            ...(opts.ui ? { ui: { port: opts.uiPort ?? opts.basePort + 1000 } } : {}),
            out: (line) => io.out(line),
          });
          await new Promise<void>((resolve) => {
            const stop = () => {
              io.out('stopping...\n');
              void network.stop().then(resolve);
            };
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
        }),
    );
}
