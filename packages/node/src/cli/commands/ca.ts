import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  encodeCertificate,
  formatEnrollSecret,
  parseEnrollSecret,
  randomSecretKey,
  signerFromSecret,
  toHex,
  WeftError,
} from '@weft/core';
import { type Command, InvalidArgumentError } from 'commander';
import type { CaClient } from '../../ca/index.js';
import {
  CERT_FILE,
  exists,
  KEY_FILE,
  writePublicFile,
  writeSecretFile,
} from '../../material/files.js';
import { loadMember, loadOrgRoot } from '../../material/member.js';
import { NETWORK_FILE, type NetworkInfo } from '../../up/dev-network.js';
import { type CliIo, processIo, runCommand } from './io.js';

interface CommonOptions {
  org: string;
  network: string;
  node?: string;
  json?: boolean;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function duration(value: string): number {
  const m = /^([1-9][0-9]{0,5})([smhd])$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected a duration such as 30m, 12h or 7d');
  return Number(m[1]) * UNITS[m[2]!]!;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > 32) throw new InvalidArgumentError('expected 1..32');
  return n;
}

async function networkOf(dir: string): Promise<NetworkInfo | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, NETWORK_FILE), 'utf8')) as NetworkInfo;
  } catch {
    return undefined;
  }
}

/** The CA node of `org`: --node, else the one `weft up` recorded. */
function caNode(o: CommonOptions, info: NetworkInfo | undefined): string {
  const node = o.node ?? info?.cas?.[o.org];
  if (!node)
    throw new WeftError(
      'CLI_NO_CA',
      `no CA node for ${o.org}: pass --node, or run weft up (--network ${o.network})`,
    );
  return node;
}

async function withCa<T>(
  o: CommonOptions,
  fn: (client: CaClient, info: NetworkInfo | undefined) => Promise<T>,
): Promise<T> {
  const info = await networkOf(o.network);
  const { CaClient } = await import('../../ca/index.js');
  const client = await CaClient.connect({ node: caNode(o, info) });
  try {
    return await fn(client, info);
  } finally {
    await client.close();
  }
}

/** `Org/member` under the network's material, or a member directory path. */
function memberDir(info: NetworkInfo | undefined, ref: string): string {
  return info && /^[A-Za-z][\w-]*\/[\w-]+$/.test(ref)
    ? path.join(info.materialDir, 'orgs', ref)
    : ref;
}

/** `weft ca register|enroll`: the org CA a node runs (fabric-ca's register and enroll). */
export function registerCaCommands(program: Command, io: CliIo = processIo): Command {
  const ca = program
    .command('ca')
    .description("an org's CA on its node: one-time enrollment secrets and client certificates");
  const common = (c: Command) =>
    c
      .requiredOption('--org <org>', 'the organisation (its CA node is asked)')
      .option('--network <dir>', 'a weft up directory (CA nodes, material)', '.weft')
      .option('--node <multiaddr>', "the CA node's WebSocket multiaddr (with /p2p)")
      .option('--json', 'print JSON');

  common(ca.command('register'))
    .description(
      'register one-time enrollment secrets (as an admin of the org); each is shown once, here',
    )
    .option('--count <n>', 'how many', count, 1)
    .option('--ttl <duration>', "lifetime, e.g. 30m, 12h, 7d (default: the CA's)", duration)
    .option('--as <admin>', 'admin member (Org/member or directory); default <org>/admin0')
    .action((o: CommonOptions & { count: number; ttl?: number; as?: string }) =>
      runCommand(io, async () => {
        await withCa(o, async (client, info) => {
          const admin = await loadMember(memberDir(info, o.as ?? `${o.org}/admin0`));
          const list = await client.register({
            org: o.org,
            admin,
            count: o.count,
            ttlMs: o.ttl ?? 0,
          });
          if (o.json) {
            io.out(
              `${JSON.stringify(list.map((g) => ({ org: o.org, id: g.id, secret: formatEnrollSecret(g.secret), expiresAt: new Date(g.expiresAt).toISOString() })))}\n`,
            );
            return;
          }
          io.out(`enrollment secrets of ${o.org} (single use; shown only now):\n`);
          const { formatRegistrations } = await import('../../ca/index.js');
          io.out(formatRegistrations(o.org, list));
        });
      }),
    );

  common(ca.command('enroll'))
    .description(
      'enroll a new key with an id and secret; writes <out>/key and <out>/cert (a member directory for weft tx --as)',
    )
    .requiredOption('--id <id>', 'enrollment id')
    .requiredOption('--secret <hex>', 'enrollment secret')
    .requiredOption('--out <dir>', 'new member directory (must not hold a key yet)')
    .action((o: CommonOptions & { id: string; secret: string; out: string }) =>
      runCommand(io, async () => {
        const out = path.resolve(o.out);
        if (await exists(path.join(out, KEY_FILE)))
          throw new WeftError('CLI_EXISTS', `${out} already holds a key`);
        const secret = parseEnrollSecret(o.secret);
        await withCa(o, async (client, info) => {
          const orgDir = info ? path.join(info.materialDir, 'orgs', o.org) : undefined;
          const root = orgDir ? await loadOrgRoot(orgDir).catch(() => undefined) : undefined;
          const secretKey = randomSecretKey();
          const signer = await signerFromSecret(secretKey);
          const cert = await client.enroll({
            org: o.org,
            id: o.id,
            secret,
            signer,
            rootKey: root?.rootKey,
          });
          await mkdir(out, { recursive: true });
          await writeSecretFile(path.join(out, KEY_FILE), secretKey);
          await writePublicFile(path.join(out, CERT_FILE), encodeCertificate(cert));
          const summary = {
            dir: out,
            org: cert.org,
            role: cert.role,
            publicKey: toHex(cert.publicKey),
            serial: cert.serial,
            notAfter: new Date(cert.notAfter).toISOString(),
          };
          io.out(
            o.json
              ? `${JSON.stringify(summary)}\n`
              : `enrolled ${summary.publicKey} as ${cert.org}.client (serial ${cert.serial}, until ${summary.notAfter}) in ${out}\n`,
          );
        });
      }),
    );
  return ca;
}
