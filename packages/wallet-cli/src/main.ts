#!/usr/bin/env node
// The `weft-wallet` command line: `pnpm wallet <command>` from the repository root.
import './polyfill.js';
import { Command } from 'commander';
import { registerWalletCommands } from './commands.js';
import { closePrompts } from './prompt.js';

const program = new Command('weft-wallet').description(
  'a Fabcoin wallet that trusts only the channel genesis hash (a @weft/light client)',
);
registerWalletCommands(program);
try {
  await program.parseAsync();
} finally {
  closePrompts();
}
