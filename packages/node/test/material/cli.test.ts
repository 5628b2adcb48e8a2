import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assert, describe, it } from '@weft/test/harness';
import { Command } from 'commander';
import { registerChannelCommands } from '../../src/cli/commands/channel.js';
import { registerCryptoCommands } from '../../src/cli/commands/crypto.js';
import { formatNetworkSpec, readGenesisFile } from '../../src/material/index.js';
import { smallSpec, tempDir } from './fixture.js';

/** Runs `weft <args>` in-process, returning what it printed and its exit status. */
async function weft(...args: string[]) {
  const io = { out: '', err: '', code: 0 };
  const program = new Command('weft').exitOverride();
  const sink = {
    out: (t: string) => {
      io.out += t;
    },
    err: (t: string) => {
      io.err += t;
    },
    setExitCode: (c: number) => {
      io.code = c;
    },
  };
  registerCryptoCommands(program, sink);
  registerChannelCommands(program, sink);
  await program.parseAsync(args, { from: 'user' });
  return io;
}

const dir = await tempDir('weft-cli-');
const specFile = join(dir, 'network.yaml');
await writeFile(specFile, formatNetworkSpec(smallSpec()));
const material = join(dir, 'material');

describe('weft crypto / weft channel (in-process)', () => {
  it('crypto generate, channel create prints the hash, channel inspect agrees', async () => {
    const gen = await weft('crypto', 'generate', '--spec', specFile, '--out', material);
    assert.equal(gen.code, 0, gen.err);
    assert.include(gen.out, 'generated 4 orgs, 10 members');
    assert.include(gen.out, 'Org1 (peer): admin0 peer0 client0');

    const block = join(dir, 'weft.block');
    const create = await weft(
      'channel',
      'create',
      '--spec',
      specFile,
      '--material',
      material,
      '--channel',
      'weft',
      '--out',
      block,
      '--timestamp',
      '2026-01-02T00:00:00Z',
    );
    assert.equal(create.code, 0, create.err);
    const hash = create.out.trim();
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal((await readGenesisFile(block)).hashHex, hash);

    const inspect = await weft('channel', 'inspect', block, '--expect-hash', hash);
    const report = JSON.parse(inspect.out);
    assert.equal(report.hash, hash);
    assert.equal(report.timestamp, Date.UTC(2026, 0, 2));
    assert.deepEqual(report.orgs, ['Org1', 'Org2', 'OrdererOrg', 'CentralBank']);
  });

  it('--json reports, and typed errors become one line with the code and exit status 1', async () => {
    const again = await weft('crypto', 'generate', '--spec', specFile, '--out', material);
    assert.equal(again.code, 1);
    assert.match(again.err, /^error \[MATERIAL_EXISTS\]: .*material/);

    const json = await weft(
      'channel',
      'create',
      '--spec',
      specFile,
      '--material',
      material,
      '--channel',
      'weft',
      '--out',
      join(dir, 'b2.block'),
      '--json',
    );
    const report = JSON.parse(json.out);
    assert.equal(report.channel, 'weft');
    assert.match(report.orderers[0], /\/p2p\/12D3KooW/);

    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'orgs: []\nchannels: []\n');
    const failed = await weft('crypto', 'generate', '--spec', bad, '--out', join(dir, 'x'));
    assert.equal(failed.code, 1);
    assert.include(failed.err, 'error [MATERIAL_SPEC]');
    assert.include(failed.err, 'orgs: needs at least 1');

    const mismatch = await weft(
      'channel',
      'inspect',
      join(dir, 'b2.block'),
      '--expect-hash',
      '0'.repeat(64),
    );
    assert.include(mismatch.err, 'MATERIAL_GENESIS_MISMATCH');
  });
});
