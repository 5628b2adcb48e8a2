import type { Command } from 'commander';
import { loadNodeConfig } from '../../config/index.js';
import { Shutdown } from '../../ops/index.js';
import { type CliIo, processIo, runCommand } from './io.js';

/** `weft node start`: one node process, running until SIGINT/SIGTERM. */
export function registerNodeCommands(program: Command, io: CliIo = processIo): Command {
  const node = program.command('node').description('run a full node');
  node
    .command('start')
    .description('start a node (orderer, peer and/or gateway per channel) from its config file')
    .requiredOption('--config <file>', 'node config (YAML)')
    .action((opts: { config: string }) =>
      runCommand(io, async () => {
        const config = await loadNodeConfig(opts.config);
        const { WeftNode } = await import('../../node/weft-node.js');
        const running = await WeftNode.start(config);
        const shutdown = new Shutdown({ logger: running.log }).install();
        shutdown.add('node', () => running.close());
      }),
    );
  return node;
}
