import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { OrdererError } from '../errors.js';

/** Debian's package: nats-server 2.9.x with JetStream, what `weft up` and the tests run. */
const PACKAGE = 'nats-server';
const BINARY = 'nats-server';

export const NATS_INSTALL_HINT = [
  'JetStream ordering needs nats-server (2.9 or later) on PATH. Either:',
  '  - on Debian/Ubuntu: sudo apt-get install -y nats-server, or',
  '  - download a release from https://github.com/nats-io/nats-server/releases and put',
  '    nats-server on PATH, or set WEFT_NATS_SERVER=/path/to/nats-server.',
].join('\n');

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` on PATH (the directories Debian puts packages in included), or undefined. */
export function findOnPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  // A root shell started by a service manager may lack sbin and /usr/bin on PATH.
  for (const extra of ['/usr/local/bin', '/usr/bin', '/usr/sbin', '/bin']) {
    if (!dirs.includes(extra)) dirs.push(extra);
  }
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function run(command: string, args: string[], log: (line: string) => void): void {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    const why = result.error?.message ?? `exit ${result.status}: ${result.stderr.trim()}`;
    throw new OrdererError(
      'ORDERER_NATS_MISSING',
      `\`${command} ${args.join(' ')}\` failed (${why}).\n${NATS_INSTALL_HINT}`,
    );
  }
}

/**
 * The nats-server binary to run: WEFT_NATS_SERVER, else nats-server on PATH,
 * else (as root on a machine with apt-get) Debian's package installed now.
 * Otherwise ORDERER_NATS_MISSING saying how to install it. Two test files
 * may call this at once: apt waits for the other's dpkg lock rather than
 * failing, and the second finds the binary afterwards.
 */
export function ensureNatsServer(options: { log?: (line: string) => void } = {}): string {
  const log = options.log ?? ((line: string) => console.error(line));
  const fromEnv = process.env.WEFT_NATS_SERVER;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new OrdererError(
      'ORDERER_NATS_MISSING',
      `WEFT_NATS_SERVER=${fromEnv} is not an executable file.\n${NATS_INSTALL_HINT}`,
    );
  }
  const found = findOnPath(BINARY);
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !findOnPath('apt-get')) {
    const why = isRoot ? 'apt-get is not available' : 'not running as root, so not installing it';
    throw new OrdererError(
      'ORDERER_NATS_MISSING',
      `nats-server is not on PATH (${why}).\n${NATS_INSTALL_HINT}`,
    );
  }
  log(`nats-server is not on PATH; installing Debian's ${PACKAGE} with apt-get.`);
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  run('apt-get', [...lock, 'update'], log);
  run('apt-get', [...lock, 'install', '-y', '--no-install-recommends', PACKAGE], log);
  const installed = findOnPath(BINARY);
  if (!installed) {
    throw new OrdererError(
      'ORDERER_NATS_MISSING',
      `apt-get installed ${PACKAGE} but no ${BINARY} is on PATH.\n${NATS_INSTALL_HINT}`,
    );
  }
  return installed;
}
