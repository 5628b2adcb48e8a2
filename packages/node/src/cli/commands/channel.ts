import { fromHex } from '@weft/core';
import { type Command, InvalidArgumentError } from 'commander';
import { createChannelGenesis, readGenesisFile } from '../../material/genesis.js';
import { loadNetworkSpec } from '../../material/spec.js';
import { type CliIo, processIo, runCommand } from './io.js';

function timestamp(value: string): number {
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(t) || t < 0) {
    throw new InvalidArgumentError('expected milliseconds since the epoch or an ISO 8601 time');
  }
  return t;
}

function hash32(value: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw new InvalidArgumentError('expected 64 hex digits');
  return value.toLowerCase();
}

/** `weft channel ...`: genesis blocks, the trust anchors of channels. */
export function registerChannelCommands(program: Command, io: CliIo = processIo): Command {
  const channel = program.command('channel').description('channel genesis blocks');
  channel
    .command('create')
    .description(
      'build, check and write a channel genesis block; prints its hash (the trust anchor)',
    )
    .requiredOption('--spec <file>', 'network spec (YAML)')
    .requiredOption('--material <dir>', 'material directory from `weft crypto generate`')
    .requiredOption('--channel <name>', 'channel of the spec')
    .requiredOption('--out <file>', 'genesis block file to write')
    .option('--timestamp <time>', 'genesis time, ms or ISO 8601 (default: now)', timestamp)
    .option('--force', 'replace an existing genesis file')
    .option('--json', 'print a JSON report')
    .action(
      (opts: {
        spec: string;
        material: string;
        channel: string;
        out: string;
        timestamp?: number;
        force?: boolean;
        json?: boolean;
      }) =>
        runCommand(io, async () => {
          const spec = await loadNetworkSpec(opts.spec);
          const g = await createChannelGenesis({
            spec,
            materialDir: opts.material,
            channel: opts.channel,
            out: opts.out,
            timestamp: opts.timestamp,
            force: opts.force,
          });
          const config = g.channel.config;
          if (opts.json) {
            const report = {
              channel: config.channel,
              hash: g.hashHex,
              file: g.file,
              bytes: g.bytes.length,
              timestamp: g.block.header.timestamp,
              orgs: config.orgs.map((o) => o.name),
              orderers: config.orderers.map((o) => o.address),
              policies: config.policies,
            };
            io.out(`${JSON.stringify(report)}\n`);
            return;
          }
          // Hash alone on stdout so scripts can capture it; the rest is for people.
          io.out(`${g.hashHex}\n`);
          io.err(
            `wrote genesis of channel ${config.channel} to ${g.file} (${g.bytes.length} bytes)\n`,
          );
        }),
    );
  channel
    .command('inspect')
    .description('check a genesis block file and print its hash and config')
    .argument('<file>', 'genesis block file')
    .option('--expect-hash <hex>', 'fail unless the block has this hash', hash32)
    .action((file: string, opts: { expectHash?: string }) =>
      runCommand(io, async () => {
        const g = await readGenesisFile(file, {
          expectedHash: opts.expectHash === undefined ? undefined : fromHex(opts.expectHash),
        });
        const c = g.channel.config;
        const report = {
          channel: c.channel,
          hash: g.hashHex,
          timestamp: g.block.header.timestamp,
          orgs: c.orgs.map((o) => o.name),
          orderers: c.orderers.map((o) => ({ org: o.cert.org, address: o.address })),
          ordering: c.ordering,
          policies: c.policies,
          fabcoin: c.fabcoin,
        };
        io.out(`${JSON.stringify(report, null, 2)}\n`);
      }),
    );
  return channel;
}
