import os from 'node:os';
import { nobleEd25519, webCryptoEd25519 } from '@weft/core';
import { runCoreBench } from '@weft/core/bench';
import { nativeEd25519 } from '../crypto/native-ed25519.js';

// `pnpm bench:core`: the core benchmark in Node, printing one JSON document on
// stdout (progress goes to stderr). Single thread; every backend Node has.
const webcrypto = await webCryptoEd25519();
const verifyBackends = [nobleEd25519, ...(webcrypto ? [webcrypto] : []), nativeEd25519];

const report = await runCoreBench({
  runtime: `node ${process.version}`,
  verifyBackends,
  validateBackends: [nobleEd25519, nativeEd25519],
  fixtureBackend: nativeEd25519,
  log: (line) => process.stderr.write(`${line}\n`),
});

process.stdout.write(
  `${JSON.stringify({ ...report, cpu: os.cpus()[0]?.model, cores: os.availableParallelism() }, null, 2)}\n`,
);
