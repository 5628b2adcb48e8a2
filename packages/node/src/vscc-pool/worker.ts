import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import {
  type Channel,
  checkTx,
  decode,
  domainMessage,
  loadChannel,
  MAX_BLOCK_BYTES,
  readChannelConfig,
  type TxCheck,
  unpackEnvelopes,
  verifyStrict,
  WeftError,
} from '@weft/core';
import { installNativeCrypto } from '../crypto/install.js';
import { nativeEd25519 } from '../crypto/native-ed25519.js';
import {
  type FromWorker,
  Lru,
  type ToWorker,
  WORKER_CHANNEL_CACHE,
  type WorkerFault,
} from './protocol.js';

// One VSCC worker: runs core's stateless checkTx over chunks of a block with
// Node's native Ed25519 and SHA-256, keeping each channel (its MSP and that
// MSP's certificate cache) loaded across blocks.

if (!parentPort) throw new Error('vscc-pool/worker.ts runs only as a worker thread');
const port = parentPort;
const init = workerData as { testHooks?: boolean } | undefined;
installNativeCrypto();

const channels = new Lru<Promise<Channel>>(WORKER_CHANNEL_CACHE);
let armed: { fault: WorkerFault; afterTxs: number } | undefined;

function post(msg: FromWorker): void {
  port.postMessage(msg);
}

function fire(fault: WorkerFault): Promise<never> {
  if (fault === 'exit') process.exit(70);
  if (fault === 'throw') {
    setImmediate(() => {
      throw new Error('fault injected by a test: uncaught error in a VSCC worker');
    });
  } else {
    // Stuck, as a worker in an endless loop would be: only terminate() ends it.
    for (;;);
  }
  return new Promise(() => {});
}

async function checkChunk(msg: Extract<ToWorker, { type: 'check' }>): Promise<void> {
  const channel = channels.get(msg.config);
  if (!channel) {
    post({
      type: 'failed',
      id: msg.id,
      code: 'VSCC_POOL_UNKNOWN_CONFIG',
      message: `worker has no channel config ${msg.config}`,
    });
    return;
  }
  const ctx = { channel: await channel, at: msg.at, backend: nativeEd25519 };
  const fault = armed;
  armed = undefined;
  const checks: TxCheck[] = [];
  // One at a time: native verification is synchronous under its promise, so
  // nothing would overlap anyway, and a test fault lands at an exact envelope.
  for (const bytes of unpackEnvelopes(msg.buffer, msg.ends)) {
    if (fault && checks.length === fault.afterTxs) await fire(fault.fault);
    checks.push(await checkTx(bytes, ctx));
  }
  post({ type: 'checked', id: msg.id, checks });
}

async function verifyRate(id: number, ms: number): Promise<void> {
  const secret = randomBytes(32);
  const publicKey = await nativeEd25519.getPublicKey(secret);
  // The shape VSCC verifies: a domain-separated message of endorsement size.
  const message = domainMessage('endorsement', new Uint8Array(64).fill(7));
  const signature = await nativeEd25519.sign(secret, message);
  const batch = 32;
  const run = async (until: number) => {
    let count = 0;
    while (performance.now() < until) {
      for (let i = 0; i < batch; i++) {
        if (!(await verifyStrict(publicKey, message, signature, nativeEd25519))) {
          throw new Error('native Ed25519 rejected a valid signature');
        }
      }
      count += batch;
    }
    return count;
  };
  await run(performance.now() + ms / 5); // warm-up: JIT and the parsed-key cache
  const start = performance.now();
  const count = await run(start + ms);
  post({ type: 'rate', id, count, ms: performance.now() - start });
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'config': {
      const loaded = (async () => {
        const config = readChannelConfig(decode(msg.bytes, { maxBytes: MAX_BLOCK_BYTES }));
        return loadChannel(config, nativeEd25519);
      })();
      loaded.catch(() => {}); // reported to the chunk that needs it
      channels.set(msg.hash, loaded);
      return;
    }
    case 'check':
      return checkChunk(msg);
    case 'rate':
      return verifyRate(msg.id, msg.ms);
    case 'fault':
      if (init?.testHooks) armed = { fault: msg.fault, afterTxs: msg.afterTxs };
      return;
  }
}

// Chunks run one after another, so the first one queued finishes first.
let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: ToWorker) => {
  queue = queue.then(() =>
    handle(msg).catch((err: unknown) => {
      if (msg.type !== 'check' && msg.type !== 'rate') return;
      post({
        type: 'failed',
        id: msg.id,
        code: err instanceof WeftError ? err.code : 'VSCC_POOL_TASK_FAILED',
        message: err instanceof Error ? err.message : String(err),
      });
    }),
  );
});
post({ type: 'ready' });
