import type { Command } from 'commander';
import { generateMaterial } from '../../material/generate.js';
import { loadNetworkSpec } from '../../material/spec.js';
import { type CliIo, processIo, runCommand } from './io.js';

/** `weft crypto ...`: key material for a network, after Fabric's cryptogen. */
export function registerCryptoCommands(program: Command, io: CliIo = processIo): Command {
  const crypto = program.command('crypto').description('org roots, member keys and certificates');
  crypto
    .command('generate')
    .description('generate random keys and certificates for every org and member of a network spec')
    .requiredOption('--spec <file>', 'network spec (YAML)')
    .requiredOption('--out <dir>', 'material directory to create')
    .option('--force', 'replace material already in the directory (its old keys are lost)')
    .option('--json', 'print the manifest as JSON')
    .action((opts: { spec: string; out: string; force?: boolean; json?: boolean }) =>
      runCommand(io, async () => {
        const spec = await loadNetworkSpec(opts.spec);
        const manifest = await generateMaterial({ spec, outDir: opts.out, force: opts.force });
        if (opts.json) {
          io.out(`${JSON.stringify(manifest)}\n`);
          return;
        }
        const members = manifest.orgs.reduce((n, o) => n + o.members.length, 0);
        io.out(`generated ${manifest.orgs.length} orgs, ${members} members in ${opts.out}\n`);
        for (const org of manifest.orgs) {
          io.out(`  ${org.name} (${org.kind}): ${org.members.map((m) => m.name).join(' ')}\n`);
        }
        io.out('secret keys (root.key, */key) are mode 0600: keep them off shared disks\n');
      }),
    );
  return crypto;
}
