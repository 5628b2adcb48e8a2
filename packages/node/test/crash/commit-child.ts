// The process kill9.test.ts kills: opens an on-disk ledger, resumes from its
// height and commits a prebuilt block stream through CommitPipeline as fast
// as it can, reporting each step on stdout, one line each, written
// synchronously so every line that was written survives a SIGKILL:
//   opening                          before the database is opened
//   ready <height>                   ledger open (and repaired); resuming from there
//   committing <n>                   commitBlock(n) entered (reads, then the batch)
//   writing                          the block's one batch handed to LevelDB
//   written <micros>                 LevelDB acknowledged it, and how long it took
//   committed <n> <height> <micros>  commitBlock(n) returned, and how long it took
//   idle <height>                    every block up to <stopAt> committed; waits to be killed
//   done <height>                    stopAt was the last block: closed cleanly, exiting
// Usage: node --import tsx commit-child.ts <dbDir> <streamFile> <attesterFile> <stopAt>
import { readFileSync, writeSync } from 'node:fs';
import { decodeCertificate, fromHex, openGenesis, signerFromSecret } from '@weft/core';
import { installNativeCrypto } from '../../src/crypto/install.js';
import { ChannelLedger, openNodeDatabase } from '../../src/ledger/index.js';
import { CommitPipeline } from '../../src/pipeline/commit-pipeline.js';
import { readBlockStream } from './stream.js';

installNativeCrypto();

const [dir, streamFile, attesterFile, stopAtArg] = process.argv.slice(2);
if (!dir || !streamFile || !attesterFile || !stopAtArg) {
  throw new Error('usage: commit-child.ts <dbDir> <streamFile> <attesterFile> <stopAt>');
}
const stopAt = Number(stopAtArg);

function out(line: string): void {
  writeSync(1, `${line}\n`);
}

const blocks = readBlockStream(readFileSync(streamFile));
const genesis = blocks[0]!;
const last = blocks.length - 1;
if (!Number.isSafeInteger(stopAt) || stopAt < 1 || stopAt > last) {
  throw new Error(`stopAt must be 1..${last}`);
}
const a = JSON.parse(readFileSync(attesterFile, 'utf8')) as { secretKey: string; cert: string };
const attester = {
  signer: await signerFromSecret(fromHex(a.secretKey)),
  cert: decodeCertificate(fromHex(a.cert)),
};
const { channel } = await openGenesis(genesis);

out('opening');
const db = await openNodeDatabase({ path: dir });
const ledger = await ChannelLedger.open({ db, channel: genesis.header.channel, genesis });
const start = ledger.info().height;
out(`ready ${start}`);

// Bracket the database's one native batch call (classic-level's _batch, which every
// sublevel batch ends in) so the parent can aim kills at LevelDB's write itself.
const root = db as unknown as { _batch(ops: unknown, options: unknown): Promise<void> };
const nativeBatch = root._batch.bind(root);
root._batch = async (ops, options) => {
  out('writing');
  const t0 = process.hrtime.bigint();
  await nativeBatch(ops, options);
  out(`written ${Number((process.hrtime.bigint() - t0) / 1000n)}`);
};

// Bracket the ledger's commit so the parent can tell a kill inside it from one elsewhere.
const commitBlock = ledger.commitBlock.bind(ledger);
ledger.commitBlock = async (options) => {
  const n = options.block.header.number;
  out(`committing ${n}`);
  const t0 = process.hrtime.bigint();
  const info = await commitBlock(options);
  const micros = Number((process.hrtime.bigint() - t0) / 1000n);
  out(`committed ${n} ${info.height} ${micros}`);
  return info;
};

const pipeline = new CommitPipeline({ ledger, channel, attester });
for (const block of blocks.slice(start, stopAt + 1)) pipeline.offer(block);
await pipeline.waitForHeight(stopAt + 1);
await pipeline.idle();

if (stopAt < last) {
  out(`idle ${ledger.info().height}`);
  // Stay alive, ledger open, until the parent's SIGKILL.
  setInterval(() => {}, 60_000);
} else {
  const height = ledger.info().height;
  await ledger.close();
  await db.close();
  out(`done ${height}`);
}
