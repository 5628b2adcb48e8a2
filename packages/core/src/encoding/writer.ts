/** Scratch space kept between encodings; one that grew past SCRATCH_KEEP is dropped after use. */
const SCRATCH_BYTES = 1024;
const SCRATCH_KEEP = 64 * 1024;

/**
 * A growable buffer the direct encoders write canonical CBOR into. There
 * is one, reused (`withScratch`): an encoding is copied out at its exact
 * size or hashed in place, so the only allocation an encoding makes is its
 * result; buffers made and dropped were most of the cost of encoding small
 * values.
 */
export class Writer {
  bytes = new Uint8Array(SCRATCH_BYTES);
  at = 0;

  reserve(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.at + n));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
  }

  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.at++] = b;
  }

  /** A CBOR head: major type and argument (a safe integer), in the shortest form. */
  head(major: number, n: number): void {
    this.reserve(9);
    const m = major << 5;
    const b = this.bytes;
    if (n < 24) b[this.at++] = m | n;
    else if (n < 0x100) {
      b[this.at++] = m | 24;
      b[this.at++] = n;
    } else if (n < 0x10000) {
      b[this.at++] = m | 25;
      b[this.at++] = n >>> 8;
      b[this.at++] = n & 0xff;
    } else if (n < 0x1_0000_0000) {
      b[this.at++] = m | 26;
      for (let s = 24; s >= 0; s -= 8) b[this.at++] = (n >>> s) & 0xff;
    } else {
      b[this.at++] = m | 27;
      const hi = Math.floor(n / 0x1_0000_0000);
      const lo = n >>> 0;
      for (let s = 24; s >= 0; s -= 8) b[this.at++] = (hi >>> s) & 0xff;
      for (let s = 24; s >= 0; s -= 8) b[this.at++] = (lo >>> s) & 0xff;
    }
  }

  /** A head whose argument needs all 64 bits (a bigint of 2^53 or more). */
  head64(major: number, n: bigint): void {
    this.reserve(9);
    this.bytes[this.at++] = (major << 5) | 27;
    for (let s = 56n; s >= 0n; s -= 8n) this.bytes[this.at++] = Number((n >> s) & 0xffn);
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** A byte string: head and contents. */
  byteString(bytes: Uint8Array): void {
    this.head(2, bytes.length);
    this.raw(bytes);
  }

  /** Text the caller knows is ASCII: head and one byte per character. */
  asciiText(s: string): void {
    this.head(3, s.length);
    this.reserve(s.length);
    const b = this.bytes;
    for (let c = 0; c < s.length; c++) b[this.at++] = s.charCodeAt(c);
  }
}

const scratch = new Writer();
let busy = false;

/**
 * Runs `write` on the emptied scratch writer, then `take` on what it wrote
 * (a view, valid only during `take`); undefined when `write` declined.
 * Not reentrant: a nested call (a `take` that encodes again) gets a writer
 * of its own.
 */
export function withScratch<T>(
  write: (w: Writer) => boolean,
  take: (bytes: Uint8Array) => T,
): T | undefined {
  const w = busy ? new Writer() : scratch;
  const outer = !busy;
  busy = true;
  w.at = 0;
  try {
    return write(w) ? take(w.bytes.subarray(0, w.at)) : undefined;
  } finally {
    if (outer) {
      busy = false;
      if (scratch.bytes.length > SCRATCH_KEEP) scratch.bytes = new Uint8Array(SCRATCH_BYTES);
    }
  }
}

/** `take` for withScratch that keeps the encoding: a copy of its exact size. */
export const copyOut = (bytes: Uint8Array): Uint8Array => bytes.slice();

export const isAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
};
