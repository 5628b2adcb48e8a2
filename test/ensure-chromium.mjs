// Finds the Chromium the browser tests drive: CHROME_PATH, else
// /usr/bin/chromium. When neither exists and we run as root on a machine with
// apt-get, installs Debian's `chromium`; otherwise stops with instructions.
// Test tools never download a browser of their own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DEFAULT_CHROMIUM as DEFAULT_PATH, isExecutable } from './support/chromium.js';

export class ChromiumMissingError extends Error {}

function hasAptGet() {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    throw new ChromiumMissingError(
      `\`${command} ${args.join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
  }
}

const HOW_TO = [
  'The browser tests need Chromium. Either:',
  '  - install Debian/Ubuntu Chromium: sudo apt-get install -y chromium   (gives /usr/bin/chromium), or',
  '  - point CHROME_PATH at a Chromium or Chrome binary: CHROME_PATH=/path/to/chrome pnpm test',
].join('\n');

/** Returns the path of a usable Chromium, installing it when allowed; throws ChromiumMissingError otherwise. */
export function ensureChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new ChromiumMissingError(`CHROME_PATH=${fromEnv} is not an executable file.\n${HOW_TO}`);
  }
  if (isExecutable(DEFAULT_PATH)) return DEFAULT_PATH;

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !hasAptGet()) {
    const why = isRoot ? 'apt-get is not available' : 'not running as root, so not installing it';
    throw new ChromiumMissingError(`No Chromium found at ${DEFAULT_PATH} (${why}).\n${HOW_TO}`);
  }
  console.log(`No Chromium at ${DEFAULT_PATH}; installing Debian's chromium with apt-get.`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', 'chromium']);
  if (!existsSync(DEFAULT_PATH)) {
    throw new ChromiumMissingError(
      `apt-get installed chromium but ${DEFAULT_PATH} is missing.\n${HOW_TO}`,
    );
  }
  return DEFAULT_PATH;
}

// As a script: print the path, or the instructions and exit 1.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(`Chromium: ${ensureChromium()}`);
  } catch (err) {
    if (!(err instanceof ChromiumMissingError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
  }
}
