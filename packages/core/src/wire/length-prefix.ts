import { WireError } from './frames.js';

/**
 * Unsigned-varint length prefixes (multiformats unsigned-varint: 7 bits per
 * byte, least significant group first, minimal encoding, at most 9 bytes).
 * Every Weft stream message (a request, or one response frame) travels as
 * varint(length) || bytes.
 */

export const MAX_VARINT_BYTES = 9;

export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new WireError('WIRE_MALFORMED', `cannot encode ${value} as an unsigned varint`);
  }
  const out: number[] = [];
  let v = value;
  // Division rather than shifts: JS shifts are 32-bit, lengths may not be.
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

export function encodeLengthPrefixed(message: Uint8Array): Uint8Array {
  const prefix = encodeVarint(message.length);
  const out = new Uint8Array(prefix.length + message.length);
  out.set(prefix, 0);
  out.set(message, prefix.length);
  return out;
}

export interface LengthPrefixedDecoderOptions {
  /** A declared length above this is refused as soon as the prefix shows it, before any buffering. */
  maxMessageBytes: number;
}

/**
 * Incremental decoder: feed it the chunks a transport delivers, however they
 * are cut, and it returns each complete message once. The first violation
 * (oversized declared length, non-minimal or overlong varint) throws a
 * WireError, and every later push throws the same error: a stream that broke
 * the framing once cannot be trusted to be in sync again.
 */
export class LengthPrefixedDecoder {
  readonly #max: number;
  // Prefix state.
  #length = 0;
  #prefixBytes = 0;
  // Body state: set once the prefix is complete.
  #body: Uint8Array | undefined;
  #filled = 0;
  #failure: WireError | undefined;

  constructor(options: LengthPrefixedDecoderOptions) {
    if (!Number.isSafeInteger(options.maxMessageBytes) || options.maxMessageBytes < 0) {
      throw new RangeError('maxMessageBytes must be a non-negative safe integer');
    }
    this.#max = options.maxMessageBytes;
  }

  /** True when no partial message is held: the stream may end here cleanly. */
  get atBoundary(): boolean {
    return this.#prefixBytes === 0 && this.#body === undefined;
  }

  /** Bytes held for the message being assembled (the declared length once known). */
  get pendingBytes(): number {
    return this.#body?.length ?? 0;
  }

  /** Returns the messages completed by `chunk`, in order (copies, never views into `chunk`). */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failure) throw this.#failure;
    const out: Uint8Array[] = [];
    try {
      let i = 0;
      while (i < chunk.length) {
        if (this.#body === undefined) {
          i = this.#readPrefix(chunk, i, out);
        } else {
          const take = Math.min(this.#body.length - this.#filled, chunk.length - i);
          this.#body.set(chunk.subarray(i, i + take), this.#filled);
          this.#filled += take;
          i += take;
          if (this.#filled === this.#body.length) this.#complete(out);
        }
      }
    } catch (err) {
      this.#failure = err as WireError;
      throw err;
    }
    return out;
  }

  /** Call when the transport ends: a half-received message is WIRE_TRUNCATED. */
  finish(): void {
    if (this.#failure) throw this.#failure;
    if (!this.atBoundary) {
      this.#failure = new WireError('WIRE_TRUNCATED', 'stream ended inside a message');
      throw this.#failure;
    }
  }

  #readPrefix(chunk: Uint8Array, start: number, out: Uint8Array[]): number {
    let i = start;
    while (i < chunk.length) {
      const byte = chunk[i++]!;
      this.#length += (byte & 0x7f) * 2 ** (7 * this.#prefixBytes);
      this.#prefixBytes++;
      // The partial value only grows, so it is refused the moment it passes the bound.
      if (this.#length > this.#max) {
        throw new WireError(
          'WIRE_TOO_LARGE',
          `declared length exceeds the bound of ${this.#max} bytes`,
        );
      }
      if ((byte & 0x80) === 0) {
        if (byte === 0 && this.#prefixBytes > 1) {
          throw new WireError('WIRE_MALFORMED', 'non-minimal varint length prefix');
        }
        this.#body = new Uint8Array(this.#length);
        this.#filled = 0;
        if (this.#length === 0) this.#complete(out);
        return i;
      }
      if (this.#prefixBytes >= MAX_VARINT_BYTES) {
        throw new WireError('WIRE_MALFORMED', 'varint length prefix longer than 9 bytes');
      }
    }
    return i;
  }

  #complete(out: Uint8Array[]): void {
    out.push(this.#body!);
    this.#body = undefined;
    this.#filled = 0;
    this.#length = 0;
    this.#prefixBytes = 0;
  }
}
