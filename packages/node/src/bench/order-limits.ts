import os from 'node:os';
import { benchVerify } from '@weft/core/bench';
import { nativeEd25519 } from '../crypto/native-ed25519.js';
import { ChannelLog } from '../orderer/jetstream/channel-log.js';

/**
 * Signatures an orderer verifies to admit one envelope: the creator's over
 * the proposal (admission.ts; endorsements are the peers' business).
 */
export const ADMISSION_SIGNATURES = 1;

/**
 * Envelopes per second the orderers' admission checks allow on this
 * machine: one thread's strict native verifications per second, times the
 * orderer processes that can verify at once (one main thread each, at
 * most one per core). Each envelope is verified once, by the orderer that
 * takes it.
 */
export async function admissionLimit(orderers: number) {
  const verifyPerSec = await benchVerify(nativeEd25519, { minMs: 1500 });
  const parallel = Math.min(orderers, os.cpus().length);
  return {
    verifyPerSecOneThread: Math.round(verifyPerSec),
    parallel,
    envelopesPerSec: Math.round((verifyPerSec * parallel) / ADMISSION_SIGNATURES),
  };
}

/**
 * Appends per second the NATS cluster takes on a scratch stream beside the
 * channel's (same servers, replicas, storage and publish path as an
 * orderer's ChannelLog), `inFlight` at a time, of the benchmark's own
 * envelopes: what JetStream alone allows, since jetstream ordering
 * appends every envelope once. The scratch stream is append-only like the
 * channel's and stays in the cluster's store.
 */
export async function logAppendRate(o: {
  servers: readonly string[];
  stream: string;
  replicas: number;
  envelopes: readonly Uint8Array[];
  inFlight: number;
}): Promise<{ stream: string; appends: number; appendsPerSec: number }> {
  const stream = `${o.stream}-bench-scratch`;
  const log = await ChannelLog.open({ servers: o.servers, stream, replicas: o.replicas });
  try {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(o.inFlight, o.envelopes.length) }, async () => {
        while (next < o.envelopes.length) await log.publish('tx', o.envelopes[next++]!);
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    return {
      stream,
      appends: o.envelopes.length,
      appendsPerSec: Math.round(o.envelopes.length / seconds),
    };
  } finally {
    await log.close();
  }
}
