import { chmod, copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCertificate, encodeCertificate, equalBytes, toHex } from '@weft/core';
import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { peerIdOf } from '../../src/config/multiaddr.js';
import {
  generateMaterial,
  loadMember,
  loadOrgRoot,
  loadOrgRootSigner,
  type MaterialError,
  type MaterialManifest,
} from '../../src/material/index.js';
import { smallSpec, tempDir } from './fixture.js';

const spec = smallSpec();
const dir = await tempDir();
const manifest = await generateMaterial({ spec, outDir: dir });
const org1 = join(dir, 'orgs', 'Org1');

async function rejectsForFile(fn: () => Promise<unknown>, code: string, file: string) {
  let caught: MaterialError | undefined;
  try {
    await fn();
  } catch (err) {
    caught = err as MaterialError;
  }
  assert.equal(caught?.code, code, String(caught));
  assert.equal(caught?.file, file);
  assert.include(caught?.message, file);
}

/** A copy of Org1's peer0 whose files the test may damage. */
async function scratchMember(): Promise<string> {
  const scratch = await tempDir('weft-member-');
  const member = join(scratch, 'Org1', 'peer0');
  await mkdir(member, { recursive: true });
  await copyFile(join(org1, 'root.pub'), join(scratch, 'Org1', 'root.pub'));
  for (const f of ['cert', 'key']) await copyFile(join(org1, 'peer0', f), join(member, f));
  return member;
}

describe('material: generate and load', () => {
  it('writes the layout: roots, member certs and 0600 keys, and a manifest', async () => {
    assert.deepEqual((await readdir(join(dir, 'orgs'))).sort(), [
      'CentralBank',
      'OrdererOrg',
      'Org1',
      'Org2',
    ]);
    assert.deepEqual((await readdir(org1)).sort(), [
      'admin0',
      'client0',
      'peer0',
      'root.key',
      'root.pub',
    ]);
    assert.match(await readFile(join(org1, 'root.pub'), 'utf8'), /^[0-9a-f]{64}\n$/);
    for (const f of [join(org1, 'root.key'), join(org1, 'peer0', 'key')]) {
      const s = await stat(f);
      assert.equal(s.mode & 0o777, 0o600, f);
      assert.equal(s.size, 32);
    }
    const onDisk = JSON.parse(
      await readFile(join(dir, 'material.json'), 'utf8'),
    ) as MaterialManifest;
    assert.deepEqual(onDisk, manifest);
    assert.deepEqual(
      manifest.orgs.map((o) => [o.name, o.members.map((m) => `${m.name}:${m.role}:${m.serial}`)]),
      [
        ['Org1', ['admin0:admin:1', 'peer0:peer:2', 'client0:client:3']],
        ['Org2', ['admin0:admin:1', 'peer0:peer:2', 'client0:client:3']],
        ['OrdererOrg', ['admin0:admin:1', 'orderer0:orderer:2']],
        ['CentralBank', ['admin0:admin:1', 'cb0:cb:2']],
      ],
    );
    assert.isEmpty((await readdir(dir)).filter((f) => f.startsWith('.staging')));
  });

  it('loads every member back: key matches cert, root signed it, PeerId matches the manifest', async () => {
    for (const org of manifest.orgs) {
      const root = await loadOrgRoot(join(dir, 'orgs', org.name));
      assert.equal(toHex(root.rootKey), org.rootKey);
      for (const m of org.members) {
        const member = await loadMember(join(dir, 'orgs', org.name, m.name));
        assert.equal(member.cert.org, org.name);
        assert.equal(member.cert.role, m.role);
        assert.equal(member.name, m.name);
        assert.isTrue(equalBytes(member.signer.publicKey, member.cert.publicKey));
        assert.equal(member.peerId, m.peerId);
        assert.equal(member.peerId, peerIdOf(member.cert.publicKey));
        assert.deepEqual(
          [member.cert.notBefore, member.cert.notAfter],
          [spec.validity.notBefore, spec.validity.notAfter],
        );
        assert.isEmpty(member.warnings);
      }
    }
    const signer = await loadOrgRootSigner(org1);
    assert.equal(toHex(signer.signer.publicKey), manifest.orgs[0]!.rootKey);
  });

  it('keys are random: every member and root key differs', () => {
    const keys = manifest.orgs.flatMap((o) => [o.rootKey, ...o.members.map((m) => m.publicKey)]);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('refuses to overwrite material without force, and regenerates with it', async () => {
    await rejectsWithCode(() => generateMaterial({ spec, outDir: dir }), 'MATERIAL_EXISTS');
    const other = await tempDir();
    const first = await generateMaterial({ spec, outDir: other });
    const second = await generateMaterial({ spec, outDir: other, force: true });
    assert.notEqual(second.orgs[0]!.rootKey, first.orgs[0]!.rootKey);
    const reloaded = await loadOrgRoot(join(other, 'orgs', 'Org1'));
    assert.equal(toHex(reloaded.rootKey), second.orgs[0]!.rootKey);
  });

  it('a key of the wrong size, or of someone else, is rejected naming the key file', async () => {
    const member = await scratchMember();
    const keyFile = join(member, 'key');
    await writeFile(keyFile, new Uint8Array(31));
    await rejectsForFile(() => loadMember(member), 'MATERIAL_BAD_KEY', keyFile);
    await writeFile(keyFile, await readFile(join(org1, 'client0', 'key')));
    await rejectsForFile(() => loadMember(member), 'MATERIAL_KEY_MISMATCH', keyFile);
  });

  it('a corrupt or foreign certificate is rejected naming the cert file', async () => {
    const member = await scratchMember();
    const certFile = join(member, 'cert');
    const good = await readFile(certFile);
    await writeFile(certFile, good.subarray(0, good.length - 3));
    await rejectsForFile(() => loadMember(member), 'MATERIAL_BAD_CERT', certFile);
    // A re-signed body: the serial changed, the root signature no longer covers it.
    const cert = decodeCertificate(good);
    await writeFile(certFile, encodeCertificate({ ...cert, serial: cert.serial + 100 }));
    await rejectsForFile(() => loadMember(member), 'MATERIAL_CERT_ROOT', certFile);
    // An Org2 peer's own cert and key, placed under Org1's root.
    await writeFile(certFile, await readFile(join(dir, 'orgs', 'Org2', 'peer0', 'cert')));
    await writeFile(join(member, 'key'), await readFile(join(dir, 'orgs', 'Org2', 'peer0', 'key')));
    await rejectsForFile(() => loadMember(member), 'MATERIAL_CERT_ROOT', certFile);
  });

  it('missing files, a bad root.pub and a mismatched root.key are typed errors', async () => {
    const member = await scratchMember();
    await rm(join(member, 'key'));
    await rejectsForFile(() => loadMember(member), 'MATERIAL_MISSING', join(member, 'key'));
    const rootPub = join(member, '..', 'root.pub');
    await writeFile(rootPub, 'not hex\n');
    await rejectsForFile(() => loadOrgRoot(join(member, '..')), 'MATERIAL_BAD_ROOT', rootPub);
    const orgDir = join(member, '..');
    await writeFile(rootPub, await readFile(join(org1, 'root.pub')));
    await writeFile(
      join(orgDir, 'root.key'),
      await readFile(join(dir, 'orgs', 'Org2', 'root.key')),
    );
    await rejectsForFile(
      () => loadOrgRootSigner(orgDir),
      'MATERIAL_KEY_MISMATCH',
      join(orgDir, 'root.key'),
    );
  });

  it('a key readable by others loads with a warning; a member dir alone loads without a root check', async () => {
    const member = await scratchMember();
    await chmod(join(member, 'key'), 0o644);
    const loaded = await loadMember(member);
    assert.lengthOf(loaded.warnings, 1);
    assert.include(loaded.warnings[0], 'chmod 600');
    await rm(join(member, '..', 'root.pub'));
    assert.equal((await loadMember(member)).cert.org, 'Org1');
    const root = await loadOrgRoot(join(dir, 'orgs', 'Org2'));
    await rejectsWithCode(
      () => loadMember(member, { rootKey: root.rootKey }),
      'MATERIAL_CERT_ROOT',
    );
  });
});
