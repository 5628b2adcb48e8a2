// The page bench's limit: raw WebCrypto Ed25519 verifications per second in
// the page under test, on as many Web Workers as the app verifies on, all
// verifying at once (64 in flight each, 16 keys imported once, distinct
// 32-byte messages, as block signatures are). Nothing of the app is in it:
// it is what those workers' WebCrypto can do at best.
import type { Page } from 'playwright-core';

export interface VerifyRate {
  /** The median of the slices, verifications/s summed over the workers. */
  perSecond: number;
  slices: number[];
}

/** The rate worker: prepares signatures, then verifies them for `ms` per run message. */
const WORKER_SOURCE = `
  const alg = { name: 'Ed25519' };
  let items;
  onmessage = async ({ data }) => {
    if (data.type === 'prepare') {
      const pairs = await Promise.all(Array.from({ length: 16 }, () =>
        crypto.subtle.generateKey(alg, false, ['sign', 'verify'])));
      items = await Promise.all(Array.from({ length: 2048 }, async (_, i) => {
        const pair = pairs[i % 16];
        const msg = new Uint8Array(32);
        new DataView(msg.buffer).setUint32(0, i);
        msg.fill(0xa5, 4);
        return { key: pair.publicKey, msg, sig: await crypto.subtle.sign(alg, pair.privateKey, msg) };
      }));
      postMessage({ type: 'ready' });
      return;
    }
    let done = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < data.ms) {
      const batch = [];
      for (let j = 0; j < 64; j++) {
        const it = items[done++ % items.length];
        batch.push(crypto.subtle.verify(alg, it.key, it.sig, it.msg));
      }
      if (!(await Promise.all(batch)).every(Boolean)) throw new Error('a valid signature failed');
      elapsed = performance.now() - start;
    }
    postMessage({ type: 'rate', rate: (done * 1000) / elapsed });
  };`;

/**
 * Runs in the page (a string, so the TypeScript loader adds nothing to it):
 * `slices` runs of `ms` each, on `workers` workers at once; the summed rates.
 */
const IN_PAGE = `async ({ source, workers, ms, slices }) => {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const pool = Array.from({ length: workers }, () => new Worker(url));
  const ask = (w, message) => new Promise((resolve, reject) => {
    w.onmessage = (e) => resolve(e.data);
    w.onerror = (e) => reject(new Error('rate worker: ' + e.message));
    w.postMessage(message);
  });
  try {
    await Promise.all(pool.map((w) => ask(w, { type: 'prepare' })));
    const out = [];
    for (let s = 0; s < slices; s++) {
      const rates = await Promise.all(pool.map((w) => ask(w, { type: 'run', ms })));
      out.push(rates.reduce((sum, r) => sum + r.rate, 0));
    }
    return out;
  } finally {
    for (const w of pool) w.terminate();
    URL.revokeObjectURL(url);
  }
}`;

export async function pageVerifyRate(
  page: Page,
  o: { workers: number; ms?: number; slices?: number },
): Promise<VerifyRate> {
  const args = {
    source: WORKER_SOURCE,
    workers: o.workers,
    ms: o.ms ?? 1_000,
    slices: o.slices ?? 3,
  };
  const slices: number[] = await page.evaluate(`(${IN_PAGE})(${JSON.stringify(args)})`);
  const sorted = [...slices].sort((a, b) => a - b);
  return {
    perSecond: Math.round(sorted[Math.floor(sorted.length / 2)]!),
    slices: slices.map(Math.round),
  };
}
