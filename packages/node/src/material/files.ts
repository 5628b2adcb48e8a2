import { readFile, stat, writeFile } from 'node:fs/promises';
import { type Certificate, CodecError, decodeCertificate, fromHex, toHex } from '@weft/core';
import { MaterialError } from './errors.js';

/**
 * The material layout on disk (after Fabric's cryptogen output, flattened):
 *
 *   <dir>/material.json              manifest: orgs, members, public keys, PeerIds (informational)
 *   <dir>/orgs/<Org>/root.pub        org root public key: 64 lower-case hex digits and a newline
 *   <dir>/orgs/<Org>/root.key        org root secret: 32 raw bytes, mode 0600
 *   <dir>/orgs/<Org>/<member>/cert   core encodeCertificate bytes (canonical CBOR)
 *   <dir>/orgs/<Org>/<member>/key    member secret: 32 raw bytes, mode 0600
 *
 * root.pub is text because operators paste it into other orgs' configs and
 * compare it by eye; secrets stay raw so nothing has to parse them.
 */
export const ORGS_DIR = 'orgs';
export const MANIFEST_FILE = 'material.json';
export const ROOT_PUB_FILE = 'root.pub';
export const ROOT_KEY_FILE = 'root.key';
export const CERT_FILE = 'cert';
export const KEY_FILE = 'key';

export const SECRET_BYTES = 32;
const MAX_CERT_FILE = 512;
const ROOT_PUB_RE = /^[0-9a-f]{64}\n?$/;

/** Reads a file no larger than `maxBytes`, mapping fs failures to typed errors naming it. */
export async function readBounded(file: string, maxBytes: number): Promise<Uint8Array> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new MaterialError('MATERIAL_IO', `${file} is not a file`, { file });
    if (info.size > maxBytes) {
      throw new MaterialError('MATERIAL_IO', `${file} is ${info.size} bytes, over ${maxBytes}`, {
        file,
      });
    }
    return new Uint8Array(await readFile(file));
  } catch (err) {
    if (err instanceof MaterialError) throw err;
    const code =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'MATERIAL_MISSING' : 'MATERIAL_IO';
    throw new MaterialError(code, `${file}: ${(err as Error).message}`, { file, cause: err });
  }
}

export interface SecretFile {
  secretKey: Uint8Array;
  /** Set when group or others may read the file (loaders report it; they do not refuse). */
  insecureMode: boolean;
}

export async function readSecretFile(file: string): Promise<SecretFile> {
  // Read one byte over the limit so a longer file is reported as the wrong size.
  const bytes = await readBounded(file, SECRET_BYTES + 1);
  if (bytes.length !== SECRET_BYTES) {
    throw new MaterialError(
      'MATERIAL_BAD_KEY',
      `${file}: a secret key is ${SECRET_BYTES} raw bytes, this file has ${bytes.length}`,
      { file },
    );
  }
  const mode = (await stat(file)).mode;
  return { secretKey: bytes, insecureMode: process.platform !== 'win32' && (mode & 0o077) !== 0 };
}

export async function readCertFile(file: string): Promise<Certificate> {
  const bytes = await readBounded(file, MAX_CERT_FILE);
  try {
    return decodeCertificate(bytes);
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
    throw new MaterialError('MATERIAL_BAD_CERT', `${file}: not a certificate: ${err.message}`, {
      file,
      cause: err,
    });
  }
}

export function formatRootPub(rootKey: Uint8Array): string {
  return `${toHex(rootKey)}\n`;
}

export async function readRootPubFile(file: string): Promise<Uint8Array> {
  const text = new TextDecoder().decode(await readBounded(file, 80));
  if (!ROOT_PUB_RE.test(text)) {
    throw new MaterialError(
      'MATERIAL_BAD_ROOT',
      `${file}: expected 64 lower-case hex digits (an Ed25519 public key)`,
      { file },
    );
  }
  return fromHex(text.trim());
}

/** Writes a secret readable by its owner only, refusing to replace an existing file. */
export async function writeSecretFile(file: string, secret: Uint8Array): Promise<void> {
  await writeFile(file, secret, { mode: 0o600, flag: 'wx' });
}

export async function writePublicFile(file: string, data: Uint8Array | string): Promise<void> {
  await writeFile(file, data, { mode: 0o644, flag: 'wx' });
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
