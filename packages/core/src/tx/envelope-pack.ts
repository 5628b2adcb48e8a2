/**
 * Copies a chunk's envelopes into one ArrayBuffer so they cross to a worker
 * (worker_threads, Web Workers) as a single transfer; `ends[i]` is where
 * envelope i stops. The block's own arrays are never transferred: the caller
 * still needs them (and they may be views into a larger buffer).
 */
export function packEnvelopes(data: readonly Uint8Array[]): {
  buffer: ArrayBuffer;
  ends: Uint32Array;
} {
  const ends = new Uint32Array(data.length);
  let total = 0;
  for (const [i, bytes] of data.entries()) {
    total += bytes.length;
    ends[i] = total;
  }
  const packed = new Uint8Array(total);
  let offset = 0;
  for (const bytes of data) {
    packed.set(bytes, offset);
    offset += bytes.length;
  }
  return { buffer: packed.buffer, ends };
}

/** The envelopes packEnvelopes packed, as views into `buffer` (no copies). */
export function unpackEnvelopes(buffer: ArrayBuffer, ends: Uint32Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (const end of ends) {
    out.push(new Uint8Array(buffer, start, end - start));
    start = end;
  }
  return out;
}
