/**
 * Every error Weft raises on purpose carries a stable `code`, so callers
 * (peers, light clients, UIs) branch on codes, never on message text.
 */
export class WeftError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bytes that are not a canonical, in-bounds encoding of the expected value. */
export class CodecError extends WeftError {}

/** A key, signature or backend problem (not a plain "signature invalid" verdict). */
export class CryptoError extends WeftError {}
