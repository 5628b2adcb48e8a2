import os from 'node:os';
import { parseArgs } from 'node:util';
import { nobleEd25519, webCryptoEd25519 } from '@weft/core';
import { runCoreBench } from '@weft/core/bench';
import { installNativeCrypto } from '../crypto/install.js';
import { nativeEd25519 } from '../crypto/native-ed25519.js';
import { findChromium, runBrowserCoreBench } from './browser-bench.js';

// `pnpm bench:core`: the core benchmark in Node (every backend Node has), then
// the same benchmark in Chromium (noble, and WebCrypto where it has Ed25519).
// Prints one JSON document { node, chromium } on stdout; progress goes to
// stderr. Single thread. `--node-only` skips Chromium.
const { values } = parseArgs({
  options: { 'node-only': { type: 'boolean', default: false } },
  strict: true,
});

const progress = (prefix: string) => (line: string) => process.stderr.write(`${prefix}${line}\n`);

// As a node runs: native SHA-256 everywhere (the Ed25519 backend is named per measurement).
installNativeCrypto();
const webcrypto = await webCryptoEd25519();
const verifyBackends = [nobleEd25519, ...(webcrypto ? [webcrypto] : []), nativeEd25519];

const nodeReport = await runCoreBench({
  runtime: `node ${process.version}`,
  verifyBackends,
  validateBackends: [nobleEd25519, nativeEd25519],
  fixtureBackend: nativeEd25519,
  log: progress(''),
});
const node = { ...nodeReport, cpu: os.cpus()[0]?.model, cores: os.availableParallelism() };

async function chromiumReport(): Promise<object> {
  if (values['node-only']) return { skipped: '--node-only' };
  const found = findChromium();
  if ('skipped' in found) {
    process.stderr.write(`chromium: skipped (${found.skipped})\n`);
    return found;
  }
  process.stderr.write(`chromium: ${found.path}\n`);
  try {
    return await runBrowserCoreBench({ executablePath: found.path, log: progress('chromium: ') });
  } catch (err) {
    // Chromium is there but the run failed: report it, keep the Node numbers, exit non-zero.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`chromium: failed: ${message}\n`);
    process.exitCode = 1;
    return { failed: message };
  }
}

const chromium = await chromiumReport();

process.stdout.write(`${JSON.stringify({ node, chromium }, null, 2)}\n`);
