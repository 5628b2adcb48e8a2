import { basename, dirname, join, resolve } from 'node:path';
import {
  type Certificate,
  certificateBodyBytes,
  type Ed25519Backend,
  equalBytes,
  type Signer,
  signerFromSecret,
  toHex,
  verifyDomain,
} from '@weft/core';
import { peerIdOf } from '../config/multiaddr.js';
import { MaterialError } from './errors.js';
import {
  CERT_FILE,
  exists,
  KEY_FILE,
  ROOT_KEY_FILE,
  ROOT_PUB_FILE,
  readCertFile,
  readRootPubFile,
  readSecretFile,
} from './files.js';

export interface LoadedMember {
  /** The member directory, absolute. */
  dir: string;
  /** The directory's name, e.g. peer0. */
  name: string;
  cert: Certificate;
  secretKey: Uint8Array;
  signer: Signer;
  /** The libp2p PeerId of this member's key (a node's libp2p key is its certificate key). */
  peerId: string;
  /** Problems worth logging that do not make the material unusable (e.g. a readable key file). */
  warnings: string[];
}

export interface LoadMemberOptions {
  /**
   * The org root to check the certificate against. By default the loader
   * uses `../root.pub` when the member sits in the generated layout, and
   * skips the check when it does not (a member dir copied alone to a host).
   */
  rootKey?: Uint8Array;
  backend?: Ed25519Backend;
}

async function checkRootSigned(
  cert: Certificate,
  rootKey: Uint8Array,
  file: string,
  backend?: Ed25519Backend,
): Promise<void> {
  const ok = await verifyDomain({
    publicKey: rootKey,
    domain: 'cert',
    bytes: certificateBodyBytes(cert),
    signature: cert.signature,
    backend,
  });
  if (!ok) {
    throw new MaterialError(
      'MATERIAL_CERT_ROOT',
      `${file}: certificate (${cert.org}.${cert.role}, serial ${cert.serial}) is not signed by root ${toHex(rootKey)}`,
      { file },
    );
  }
}

/**
 * Loads a member's certificate and secret key and checks they belong
 * together: the key derives the certificate's public key, and the org root
 * (when known) signed the certificate. Every failure names the file.
 */
export async function loadMember(
  dir: string,
  options: LoadMemberOptions = {},
): Promise<LoadedMember> {
  const abs = resolve(dir);
  const certFile = join(abs, CERT_FILE);
  const keyFile = join(abs, KEY_FILE);
  const cert = await readCertFile(certFile);
  const { secretKey, insecureMode } = await readSecretFile(keyFile);
  const signer = await signerFromSecret(secretKey, options.backend);
  if (!equalBytes(signer.publicKey, cert.publicKey)) {
    throw new MaterialError(
      'MATERIAL_KEY_MISMATCH',
      `${keyFile}: this key's public key ${toHex(signer.publicKey)} is not the one in ${certFile} (${toHex(cert.publicKey)})`,
      { file: keyFile },
    );
  }
  let rootKey = options.rootKey;
  const rootFile = join(dirname(abs), ROOT_PUB_FILE);
  // Any root.pub beside the member dir is checked, whatever the folder is
  // called: the signature, not the folder name, says which org this is.
  if (!rootKey && (await exists(rootFile))) rootKey = await readRootPubFile(rootFile);
  if (rootKey) await checkRootSigned(cert, rootKey, certFile, options.backend);
  const warnings = insecureMode ? [`${keyFile} is readable by group or others; chmod 600 it`] : [];
  return {
    dir: abs,
    name: basename(abs),
    cert,
    secretKey,
    signer,
    peerId: peerIdOf(cert.publicKey),
    warnings,
  };
}

export interface OrgRoot {
  name: string;
  rootKey: Uint8Array;
}

/** An org's public root, from `<orgDir>/root.pub`; the org name is the folder name. */
export async function loadOrgRoot(orgDir: string): Promise<OrgRoot> {
  const abs = resolve(orgDir);
  return { name: basename(abs), rootKey: await readRootPubFile(join(abs, ROOT_PUB_FILE)) };
}

/**
 * An org's root signer, for issuing certificates later (enrolment): reads
 * `root.key` and checks it derives `root.pub`.
 */
export async function loadOrgRootSigner(
  orgDir: string,
  options: { backend?: Ed25519Backend } = {},
): Promise<OrgRoot & { secretKey: Uint8Array; signer: Signer; warnings: string[] }> {
  const root = await loadOrgRoot(orgDir);
  const keyFile = join(resolve(orgDir), ROOT_KEY_FILE);
  const { secretKey, insecureMode } = await readSecretFile(keyFile);
  const signer = await signerFromSecret(secretKey, options.backend);
  if (!equalBytes(signer.publicKey, root.rootKey)) {
    throw new MaterialError(
      'MATERIAL_KEY_MISMATCH',
      `${keyFile}: this root key does not match ${ROOT_PUB_FILE} (${toHex(root.rootKey)})`,
      { file: keyFile },
    );
  }
  const warnings = insecureMode ? [`${keyFile} is readable by group or others`] : [];
  return { ...root, secretKey, signer, warnings };
}
