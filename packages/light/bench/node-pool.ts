import { Worker } from 'node:worker_threads';
import { type Ed25519Backend, type Ed25519PoolPort, pooledEd25519 } from '@weft/core';
import type { CheckAll } from '../src/auditor/lookahead.js';
import { type VsccPort, vsccWorkerPool } from '../src/auditor/vscc-pool.js';

/**
 * The client's worker pools in Node, on worker_threads: core's
 * pooledEd25519 for signatures (header sync, block signatures,
 * attestations) and the auditor's VSCC pool. The light client stays
 * isomorphic and takes them as its backend and checkAll.
 */
export async function nodeWorkerPools(
  local: Ed25519Backend,
  verifierCount: number,
  checkerCount: number,
): Promise<{ backend: Ed25519Backend; checkAll?: CheckAll; close(): Promise<void> }> {
  const file = new URL('./pool-worker.node.ts', import.meta.url);
  // The workers run TypeScript through tsx, as this process does.
  const start = () => new Worker(file, { execArgv: ['--import', 'tsx'] });
  const verifiers = Array.from({ length: verifierCount }, start);
  const checkers = Array.from({ length: checkerCount }, start);
  const all = [...verifiers, ...checkers];
  await Promise.all(all.map((w) => new Promise((resolve) => w.once('online', resolve))));
  // One protocol per worker, so each port sees only its own pool's answers.
  const verifyPort = (w: Worker): Ed25519PoolPort => ({
    post: (batch, transfer) => w.postMessage(batch, transfer),
    listen: (onVerdicts, onError) => {
      w.on('message', onVerdicts);
      w.on('error', onError);
    },
  });
  const vsccPort = (w: Worker): VsccPort => ({
    post: (message, transfer) => w.postMessage(message, transfer),
    listen: (onMessage, onError) => {
      w.on('message', onMessage);
      w.on('error', onError);
    },
  });
  return {
    backend: verifiers.length ? pooledEd25519({ ports: verifiers.map(verifyPort), local }) : local,
    checkAll: checkers.length ? vsccWorkerPool(checkers.map(vsccPort)) : undefined,
    close: async () => {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
