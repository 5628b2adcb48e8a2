import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  type Block,
  type Channel,
  type ChannelConfig,
  createGenesisBlock,
  decodeBlock,
  type Ed25519Backend,
  encodeBlock,
  MAX_BLOCK_BYTES,
  openGenesis,
  toHex,
  WeftError,
} from '@weft/core';
import { peerIdOf } from '../config/multiaddr.js';
import { MaterialError } from './errors.js';
import {
  CERT_FILE,
  ORGS_DIR,
  ROOT_PUB_FILE,
  readBounded,
  readCertFile,
  readRootPubFile,
} from './files.js';
import { memberNames } from './generate.js';
import { findChannelSpec, type NetworkSpec } from './spec.js';

export interface ChannelConfigOptions {
  spec: NetworkSpec;
  /** The outDir given to generateMaterial. */
  materialDir: string;
  channel: string;
}

/**
 * The channel config a spec and its generated material describe: org roots
 * from root.pub, orderers from their certificates, each orderer address
 * completed with /p2p/<PeerId> so peers can dial it authenticated.
 */
export async function buildChannelConfig(options: ChannelConfigOptions): Promise<ChannelConfig> {
  const { spec } = options;
  const ch = findChannelSpec(spec, options.channel);
  const orgsDir = join(resolve(options.materialDir), ORGS_DIR);
  const orgs: ChannelConfig['orgs'] = [];
  const orderers: ChannelConfig['orderers'] = [];
  for (const name of ch.orgs) {
    const org = spec.orgs.find((o) => o.name === name)!;
    const rootKey = await readRootPubFile(join(orgsDir, name, ROOT_PUB_FILE));
    orgs.push({ name, rootKey });
    const ordererDirs = memberNames(org).filter((m) => m.role === 'orderer');
    for (const [i, m] of ordererDirs.entries()) {
      const file = join(orgsDir, name, m.name, CERT_FILE);
      const cert = await readCertFile(file);
      if (cert.org !== name || cert.role !== 'orderer') {
        throw new MaterialError(
          'MATERIAL_CERT_ROOT',
          `${file}: a ${cert.org}.${cert.role} certificate where ${name}.orderer belongs`,
          { file },
        );
      }
      orderers.push({ cert, address: `${org.addresses[i]}/p2p/${peerIdOf(cert.publicKey)}` });
    }
  }
  return {
    channel: ch.name,
    orgs,
    orderers,
    ordering: { ...ch.ordering },
    policies: { ...ch.policies },
    fabcoin: {
      centralBanks: [...ch.fabcoin.centralBanks],
      mintThreshold: ch.fabcoin.mintThreshold,
    },
  };
}

export interface ChannelGenesisOptions extends ChannelConfigOptions {
  /** Genesis header time (ms); defaults to now. */
  timestamp?: number;
  /** Where to write the encoded block; nothing is written when absent. */
  out?: string;
  /** Replace an existing `out` file. */
  force?: boolean;
  backend?: Ed25519Backend;
}

export interface ChannelGenesis {
  block: Block;
  /** encodeBlock(block): the file's exact content. */
  bytes: Uint8Array;
  /** The block hash: the channel's trust anchor, handed out of band. */
  hash: Uint8Array;
  hashHex: string;
  channel: Channel;
  /** The absolute path written, or null. */
  file: string | null;
}

function genesisFailure(err: unknown, what: string, file?: string): never {
  if (err instanceof WeftError && !(err instanceof MaterialError)) {
    throw new MaterialError('MATERIAL_GENESIS', `${what}: ${err.code}: ${err.message}`, {
      file,
      cause: err,
    });
  }
  throw err;
}

/**
 * Builds the channel's genesis block (core's createGenesisBlock), accepts it
 * the way a joining peer would (core's openGenesis) and optionally writes it.
 */
export async function createChannelGenesis(
  options: ChannelGenesisOptions,
): Promise<ChannelGenesis> {
  const config = await buildChannelConfig(options);
  const block = createGenesisBlock({ config, timestamp: options.timestamp ?? Date.now() });
  let opened: Awaited<ReturnType<typeof openGenesis>>;
  try {
    opened = await openGenesis(block, { backend: options.backend });
  } catch (err) {
    genesisFailure(err, `channel ${options.channel}`);
  }
  const bytes = encodeBlock(block);
  let file: string | null = null;
  if (options.out !== undefined) {
    file = resolve(options.out);
    await mkdir(dirname(file), { recursive: true });
    try {
      await writeFile(file, bytes, { flag: options.force ? 'w' : 'wx' });
    } catch (err) {
      const code =
        (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'MATERIAL_EXISTS' : 'MATERIAL_IO';
      throw new MaterialError(code, `${file}: ${(err as Error).message}`, { file, cause: err });
    }
  }
  return {
    block,
    bytes,
    hash: opened.hash,
    hashHex: toHex(opened.hash),
    channel: opened.channel,
    file,
  };
}

/**
 * Reads a genesis file and accepts it against the trust anchor when one is
 * given (a node's config may pin the hash): decode, structure, config.
 */
export async function readGenesisFile(
  file: string,
  options: { expectedHash?: Uint8Array; backend?: Ed25519Backend } = {},
): Promise<{ block: Block; hash: Uint8Array; hashHex: string; channel: Channel }> {
  const bytes = await readBounded(file, MAX_BLOCK_BYTES);
  try {
    const block = decodeBlock(bytes);
    const { channel, hash } = await openGenesis(block, options);
    return { block, hash, hashHex: toHex(hash), channel };
  } catch (err) {
    if ((err as WeftError).code === 'BLOCK_GENESIS_MISMATCH') {
      throw new MaterialError('MATERIAL_GENESIS_MISMATCH', `${file}: ${(err as Error).message}`, {
        file,
        cause: err,
      });
    }
    genesisFailure(err, file, file);
  }
}
