import '../net/polyfill.js';
import { Command } from 'commander';
import { installNativeCrypto } from '../crypto/install.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerBenchCommands } from './commands/bench.js';
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
registerBenchCommands(program);

await program.parseAsync(process.argv);
