// core's pooledEd25519 over in-process "workers" (ports that answer with
// answerEd25519Batch on a later task): the same verdicts as the backend it
// spreads, batched, and a lost worker never turns into a rejected signature.
import { assert, describe, it } from '@weft/test/harness';
import type { Ed25519Backend } from '../../src/crypto/ed25519.js';
import { nobleEd25519 } from '../../src/crypto/noble.js';
import {
  answerEd25519Batch,
  type Ed25519PoolBatch,
  type Ed25519PoolPort,
  type Ed25519PoolVerdicts,
  pooledEd25519,
} from '../../src/crypto/pooled.js';
import { signerFromSecret, verifyStrict } from '../../src/crypto/signing.js';

const signer = await signerFromSecret(new Uint8Array(32).fill(7), nobleEd25519);
const other = await signerFromSecret(new Uint8Array(32).fill(8), nobleEd25519);
const messages = Array.from({ length: 40 }, (_, i) => Uint8Array.of(i, i + 1, i + 2));
const signatures = await Promise.all(
  messages.map((m) => nobleEd25519.sign(new Uint8Array(32).fill(7), m)),
);

/** A worker in this thread: answers each batch on a later task, or dies when told to. */
function fakeWorker(backend: Ed25519Backend, o: { dieAfter?: number } = {}) {
  const batches: number[] = [];
  let answer: ((v: Ed25519PoolVerdicts) => void) | undefined;
  let die: ((err: unknown) => void) | undefined;
  const port: Ed25519PoolPort = {
    post(batch: Ed25519PoolBatch, transfer) {
      assert.deepEqual(transfer, [batch.buffer]);
      batches.push(batch.ends.length);
      if (o.dieAfter !== undefined && batches.length > o.dieAfter) {
        setTimeout(() => die?.(new Error('worker died')), 0);
        return;
      }
      setTimeout(async () => answer?.(await answerEd25519Batch(batch, backend)), 0);
    },
    listen(onVerdicts, onError) {
      answer = onVerdicts;
      die = onError;
    },
  };
  return { port, batches };
}

describe('crypto/pooled: Ed25519 verification on workers', () => {
  it('reaches the verdicts of its backend, in batches spread over the workers', async () => {
    const a = fakeWorker(nobleEd25519);
    const b = fakeWorker(nobleEd25519);
    const pool = pooledEd25519({ ports: [a.port, b.port], local: nobleEd25519, batchSize: 8 });
    assert.equal(pool.name, 'noble-pool');
    const checks = messages.map((m, i) =>
      // Every third one is tampered with: a wrong key, a wrong message or a wrong signature.
      i % 3 === 1
        ? pool.verify(other.publicKey, m, signatures[i]!)
        : i % 3 === 2
          ? pool.verify(signer.publicKey, Uint8Array.of(9), signatures[i]!)
          : pool.verify(signer.publicKey, m, signatures[i]!),
    );
    const verdicts = await Promise.all(checks);
    assert.deepEqual(
      verdicts,
      messages.map((_, i) => i % 3 === 0),
    );
    assert.equal(a.batches.length + b.batches.length, 5);
    assert.isAbove(a.batches.length, 0);
    assert.isAbove(b.batches.length, 0);
    // A lone verification goes on the next task rather than waiting for a full batch.
    assert.isTrue(await pool.verify(signer.publicKey, messages[0]!, signatures[0]!));
    assert.isTrue(await verifyStrict(signer.publicKey, messages[0]!, signatures[0]!, pool));
  });

  it('verifies here what a dead worker left unanswered, and stops using it', async () => {
    const dying = fakeWorker(nobleEd25519, { dieAfter: 0 });
    const pool = pooledEd25519({ ports: [dying.port], local: nobleEd25519, batchSize: 4 });
    const first = await Promise.all(
      messages.slice(0, 6).map((m, i) => pool.verify(signer.publicKey, m, signatures[i]!)),
    );
    assert.deepEqual(first, [true, true, true, true, true, true]);
    const posted = dying.batches.length;
    assert.isFalse(await pool.verify(other.publicKey, messages[0]!, signatures[0]!));
    assert.equal(dying.batches.length, posted, 'nothing more was posted to the dead worker');
  });

  it('signs and derives keys with the local backend, and refuses malformed lengths unasked', async () => {
    const idle = fakeWorker(nobleEd25519);
    const pool = pooledEd25519({ ports: [idle.port], local: nobleEd25519 });
    const seed = new Uint8Array(32).fill(7);
    assert.deepEqual(await pool.getPublicKey(seed), signer.publicKey);
    assert.deepEqual(await pool.sign(seed, messages[0]!), signatures[0]);
    assert.isFalse(await pool.verify(signer.publicKey.subarray(1), messages[0]!, signatures[0]!));
    assert.deepEqual(idle.batches, []);
  });
});
