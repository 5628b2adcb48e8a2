import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type Ed25519Backend,
  encodeCertificate,
  issueCertificate,
  type Role,
  randomSecretKey,
  signerFromSecret,
  toHex,
} from '@weft/core';
import { peerIdOf } from '../config/multiaddr.js';
import { MaterialError } from './errors.js';
import {
  CERT_FILE,
  exists,
  formatRootPub,
  KEY_FILE,
  MANIFEST_FILE,
  ORGS_DIR,
  ROOT_KEY_FILE,
  ROOT_PUB_FILE,
  writePublicFile,
  writeSecretFile,
} from './files.js';
import type { NetworkSpec, OrgKind, OrgSpec } from './spec.js';

export interface ManifestMember {
  /** Folder name under the org: peer0, orderer0, client0, admin0, cb0. */
  name: string;
  role: Role;
  serial: number;
  publicKey: string;
  peerId: string;
}

export interface ManifestOrg {
  name: string;
  kind: OrgKind;
  rootKey: string;
  members: ManifestMember[];
}

/**
 * `material.json`: what was generated, for people and tools that need
 * PeerIds or public keys without parsing certificates. It is informational;
 * nothing trusts it (certificates and root.pub are the authority).
 */
export interface MaterialManifest {
  version: 1;
  generatedAt: string;
  validity: { notBefore: string; notAfter: string };
  orgs: ManifestOrg[];
}

export interface GenerateMaterialOptions {
  spec: NetworkSpec;
  outDir: string;
  /** Replace material already in outDir (its orgs/ folder and manifest). */
  force?: boolean;
  backend?: Ed25519Backend;
}

/** Member folders of an org, in issue order (serials follow it): admins first, as Fabric does. */
export function memberNames(org: OrgSpec): { name: string; role: Role }[] {
  const group = (prefix: string, role: Role, n: number) =>
    Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, role }));
  return [
    ...group('admin', 'admin', org.admins),
    ...group('peer', 'peer', org.peers),
    ...group('orderer', 'orderer', org.orderers),
    ...group('cb', 'cb', org.centralBanks),
    ...group('client', 'client', org.clients),
  ];
}

async function generateOrg(
  org: OrgSpec,
  spec: NetworkSpec,
  orgsDir: string,
  backend?: Ed25519Backend,
): Promise<ManifestOrg> {
  const dir = join(orgsDir, org.name);
  await mkdir(dir);
  const rootSecret = randomSecretKey();
  const root = await signerFromSecret(rootSecret, backend);
  await writeSecretFile(join(dir, ROOT_KEY_FILE), rootSecret);
  await writePublicFile(join(dir, ROOT_PUB_FILE), formatRootPub(root.publicKey));
  const members: ManifestMember[] = [];
  let serial = 1;
  for (const { name, role } of memberNames(org)) {
    const secretKey = randomSecretKey();
    const signer = await signerFromSecret(secretKey, backend);
    const cert = await issueCertificate(root, {
      org: org.name,
      role,
      publicKey: signer.publicKey,
      notBefore: spec.validity.notBefore,
      notAfter: spec.validity.notAfter,
      serial,
    });
    const memberDir = join(dir, name);
    await mkdir(memberDir);
    await writePublicFile(join(memberDir, CERT_FILE), encodeCertificate(cert));
    await writeSecretFile(join(memberDir, KEY_FILE), secretKey);
    members.push({
      name,
      role,
      serial,
      publicKey: toHex(signer.publicKey),
      peerId: peerIdOf(signer.publicKey),
    });
    serial++;
  }
  return { name: org.name, kind: org.kind, rootKey: toHex(root.publicKey), members };
}

/**
 * Generates fresh random keys and certificates for every org and member of
 * the spec. Everything is written to a staging folder inside outDir and
 * moved into place at the end, so a failure leaves either the old material
 * or the complete new one, never a mix.
 */
export async function generateMaterial(
  options: GenerateMaterialOptions,
): Promise<MaterialManifest> {
  const outDir = resolve(options.outDir);
  const orgsDir = join(outDir, ORGS_DIR);
  const manifestFile = join(outDir, MANIFEST_FILE);
  await mkdir(outDir, { recursive: true });
  if (!options.force) {
    for (const path of [orgsDir, manifestFile]) {
      if (await exists(path)) {
        throw new MaterialError(
          'MATERIAL_EXISTS',
          `${path} already exists; refusing to overwrite key material (use force)`,
          { file: path },
        );
      }
    }
  }
  const staging = await mkdtemp(join(outDir, '.staging-'));
  try {
    const stagedOrgs = join(staging, ORGS_DIR);
    await mkdir(stagedOrgs);
    const orgs: ManifestOrg[] = [];
    for (const org of options.spec.orgs) {
      orgs.push(await generateOrg(org, options.spec, stagedOrgs, options.backend));
    }
    const manifest: MaterialManifest = {
      version: 1,
      generatedAt: new Date().toISOString(),
      validity: {
        notBefore: new Date(options.spec.validity.notBefore).toISOString(),
        notAfter: new Date(options.spec.validity.notAfter).toISOString(),
      },
      orgs,
    };
    await writeFile(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    if (options.force) {
      await rm(orgsDir, { recursive: true, force: true });
      await rm(manifestFile, { force: true });
    }
    await rename(stagedOrgs, orgsDir);
    await rename(join(staging, MANIFEST_FILE), manifestFile);
    return manifest;
  } catch (err) {
    if (err instanceof MaterialError) throw err;
    throw new MaterialError(
      'MATERIAL_IO',
      `writing material to ${outDir}: ${(err as Error).message}`,
      {
        file: outDir,
        cause: err,
      },
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
