import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeBlock, equalBytes, fromHex, openGenesis, type Role } from '@weft/core';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { peerIdOf } from '../../src/config/multiaddr.js';
import {
  createChannelGenesis,
  defaultNetworkSpec,
  generateMaterial,
  loadMember,
  type MaterialError,
  readGenesisFile,
} from '../../src/material/index.js';
import { NOW, smallSpec, tempDir } from './fixture.js';

const spec = smallSpec();
const dir = await tempDir();
const manifest = await generateMaterial({ spec, outDir: dir });
const out = join(dir, 'weft.block');
const genesis = await createChannelGenesis({
  spec,
  materialDir: dir,
  channel: 'weft',
  timestamp: NOW,
  out,
});

describe('material: channel genesis', () => {
  it('writes encodeBlock bytes that core opens, with the reported hash', async () => {
    const bytes = new Uint8Array(await readFile(out));
    assert.isTrue(equalBytes(bytes, genesis.bytes));
    const opened = await openGenesis(decodeBlock(bytes), {
      expectedHash: fromHex(genesis.hashHex),
    });
    assert.isTrue(equalBytes(opened.hash, genesis.hash));
    assert.equal(genesis.block.header.timestamp, NOW);
    assert.equal(genesis.file, out);
    const config = opened.channel.config;
    assert.deepEqual(
      config.orgs.map((o) => o.name),
      ['Org1', 'Org2', 'OrdererOrg', 'CentralBank'],
    );
    assert.deepEqual(config.policies, spec.channels[0]!.policies);
    assert.deepEqual(config.fabcoin, { centralBanks: ['CentralBank'], mintThreshold: 1 });
    assert.equal(config.ordering.batchTimeoutMs, 200);
  });

  it("the channel's MSP identifies every generated member in its role", async () => {
    const { channel } = await readGenesisFile(out);
    for (const org of manifest.orgs) {
      for (const m of org.members) {
        const member = await loadMember(join(dir, 'orgs', org.name, m.name));
        const id = await channel.msp.identify(member.cert, { at: NOW, roles: [m.role as Role] });
        assert.equal(id.org, org.name);
        assert.equal(id.role, m.role);
        await rejectsWithCode(
          () =>
            channel.msp.identify(member.cert, {
              at: NOW,
              roles: m.role === 'peer' ? ['client'] : ['peer'],
            }),
          'CERT_WRONG_ROLE',
        );
      }
    }
  });

  it('lists the orderer with its certificate and a dialable address ending in its PeerId', async () => {
    const orderer = await loadMember(join(dir, 'orgs', 'OrdererOrg', 'orderer0'));
    const [entry] = genesis.channel.config.orderers;
    assert.isTrue(equalBytes(entry!.cert.publicKey, orderer.cert.publicKey));
    assert.equal(entry!.address, `/ip4/127.0.0.1/tcp/7050/p2p/${peerIdOf(orderer.cert.publicKey)}`);
  });

  it('never overwrites a genesis file without force; a pinned hash must match', async () => {
    await rejectsWithCode(
      () => createChannelGenesis({ spec, materialDir: dir, channel: 'weft', out }),
      'MATERIAL_EXISTS',
    );
    const again = await createChannelGenesis({
      spec,
      materialDir: dir,
      channel: 'weft',
      out,
      force: true,
    });
    assert.notEqual(again.hashHex, genesis.hashHex, 'a new timestamp, a new genesis');
    await rejectsWithCode(
      () => readGenesisFile(out, { expectedHash: genesis.hash }),
      'MATERIAL_GENESIS_MISMATCH',
    );
    await writeFile(out, genesis.bytes);
    assert.equal(
      (await readGenesisFile(out, { expectedHash: genesis.hash })).hashHex,
      genesis.hashHex,
    );
  });

  it('rejects an unknown channel, missing material and a corrupt genesis file', async () => {
    await rejectsWithCode(
      () => createChannelGenesis({ spec, materialDir: dir, channel: 'nope' }),
      'MATERIAL_SPEC',
    );
    const empty = await tempDir();
    let err: MaterialError | undefined;
    await createChannelGenesis({ spec, materialDir: empty, channel: 'weft' }).catch((e) => {
      err = e;
    });
    assert.equal(err?.code, 'MATERIAL_MISSING');
    assert.include(err?.file, join('orgs', 'Org1', 'root.pub'));
    const bad = join(empty, 'bad.block');
    await writeFile(bad, genesis.bytes.subarray(0, 40));
    await rejectsWithCode(() => readGenesisFile(bad), 'MATERIAL_GENESIS');
  });

  it('rejects an orderer certificate swapped for another role', async () => {
    const other = await tempDir();
    await generateMaterial({ spec, outDir: other });
    const ordererCert = join(other, 'orgs', 'OrdererOrg', 'orderer0', 'cert');
    await writeFile(
      ordererCert,
      await readFile(join(other, 'orgs', 'OrdererOrg', 'admin0', 'cert')),
    );
    await rejectsWithCode(
      () => createChannelGenesis({ spec, materialDir: other, channel: 'weft' }),
      'MATERIAL_CERT_ROOT',
    );
  });

  it('material from another generation fails as a genesis (orderer not signed by that root)', async () => {
    const other = await tempDir();
    await generateMaterial({ spec, outDir: other });
    const ordererCert = join(other, 'orgs', 'OrdererOrg', 'orderer0', 'cert');
    await writeFile(
      ordererCert,
      await readFile(join(dir, 'orgs', 'OrdererOrg', 'orderer0', 'cert')),
    );
    await rejectsWithCode(
      () => createChannelGenesis({ spec, materialDir: other, channel: 'weft' }),
      'MATERIAL_GENESIS',
    );
  });
});

describe('material: a jetstream channel genesis', () => {
  it('lists every orderer and the log, and opens as a valid jetstream channel', async () => {
    const jsSpec = defaultNetworkSpec({
      ordering: 'jetstream',
      natsServers: ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4223', 'nats://127.0.0.1:4224'],
      peersPerOrg: 1,
      now: NOW,
    });
    const jsDir = await tempDir();
    await generateMaterial({ spec: jsSpec, outDir: jsDir });
    const made = await createChannelGenesis({
      spec: jsSpec,
      materialDir: jsDir,
      channel: 'weft',
      timestamp: NOW,
    });
    const { channel } = await openGenesis(made.block);
    assert.equal(channel.config.ordering.type, 'jetstream');
    assert.deepEqual(channel.config.ordering.jetstream, jsSpec.channels[0]!.ordering.jetstream);
    assert.equal(channel.orderers.size, 3);
  });
});
