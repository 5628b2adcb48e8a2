import { decode, encode } from '../encoding/cbor.js';
import { readRecord, readString } from '../encoding/fields.js';
import { CodecError, WeftError } from '../errors.js';

/**
 * Weft's response framing, shared by every request/response protocol and by
 * the browser light client. A response is a sequence of frames: any number of
 * DATA frames closed by exactly one END or ERROR frame. A frame is one kind
 * byte followed by its payload; the transport (see length-prefix.ts) delimits
 * frames, so a frame carries no length of its own.
 */

export const FRAME_KIND = { DATA: 0, ERROR: 1, END: 2 } as const;

export type WireErrorCode = 'WIRE_TOO_LARGE' | 'WIRE_MALFORMED' | 'WIRE_TRUNCATED';

/** Bytes on the wire that break the framing rules, or a value that cannot be framed. */
export class WireError extends WeftError {
  declare readonly code: WireErrorCode;
  constructor(code: WireErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export type Frame =
  | { readonly kind: 'data'; readonly payload: Uint8Array }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'end' };

/** Error codes are stable identifiers (NET_FORBIDDEN, LEDGER_NOT_FOUND...), never prose. */
export const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Longer messages are cut when encoding and refused when decoding. */
export const MAX_ERROR_MESSAGE_LENGTH = 1024;
/** Bound on an ERROR frame's CBOR payload: the longest code and message with headroom. */
export const MAX_ERROR_PAYLOAD_BYTES = 4096;

/** Matches a lone surrogate (with the u flag a proper pair is one code point, so it is not matched). */
const LONE_SURROGATE = /\p{Cs}/gu;

const END_BYTES = Uint8Array.of(FRAME_KIND.END);

export function dataFrame(payload: Uint8Array): Frame {
  return { kind: 'data', payload };
}

export function errorFrame(code: string, message: string): Frame {
  return { kind: 'error', code, message };
}

export const END_FRAME: Frame = Object.freeze({ kind: 'end' });

/** Error text may come from anywhere (exceptions, peers), so it is made encodable rather than refused. */
export function sanitizeErrorMessage(message: string): string {
  let m = message.replace(LONE_SURROGATE, '\uFFFD');
  if (m.length > MAX_ERROR_MESSAGE_LENGTH) {
    m = m.slice(0, MAX_ERROR_MESSAGE_LENGTH);
    // Cutting may split a surrogate pair; drop the orphaned half so CBOR can encode it.
    m = m.replace(LONE_SURROGATE, '');
  }
  return m;
}

export function isErrorCode(code: unknown): code is string {
  return typeof code === 'string' && ERROR_CODE_PATTERN.test(code);
}

export function encodeFrame(frame: Frame): Uint8Array {
  switch (frame.kind) {
    case 'data': {
      if (!(frame.payload instanceof Uint8Array)) {
        throw new WireError('WIRE_MALFORMED', 'DATA frame payload must be a Uint8Array');
      }
      const out = new Uint8Array(frame.payload.length + 1);
      out[0] = FRAME_KIND.DATA;
      out.set(frame.payload, 1);
      return out;
    }
    case 'error': {
      if (!isErrorCode(frame.code)) {
        throw new WireError('WIRE_MALFORMED', `invalid error code ${JSON.stringify(frame.code)}`);
      }
      const payload = encode({ code: frame.code, message: sanitizeErrorMessage(frame.message) });
      const out = new Uint8Array(payload.length + 1);
      out[0] = FRAME_KIND.ERROR;
      out.set(payload, 1);
      return out;
    }
    case 'end':
      return END_BYTES.slice();
    default:
      throw new WireError('WIRE_MALFORMED', 'unknown frame kind');
  }
}

export interface DecodeFrameOptions {
  /** Bound on the whole frame (kind byte included). */
  maxBytes: number;
}

/**
 * Decodes one frame strictly: unknown kinds, an END with a payload, or an
 * ERROR whose payload is not exactly canonical `{code, message}` are all
 * WIRE_MALFORMED; nothing but a WireError escapes. A DATA payload is a view
 * into `bytes`, not a copy.
 */
export function decodeFrame(bytes: Uint8Array, options: DecodeFrameOptions): Frame {
  if (!(bytes instanceof Uint8Array)) throw new WireError('WIRE_MALFORMED', 'frame is not bytes');
  if (bytes.length > options.maxBytes) {
    throw new WireError(
      'WIRE_TOO_LARGE',
      `frame of ${bytes.length} bytes exceeds the bound of ${options.maxBytes}`,
    );
  }
  if (bytes.length === 0) throw new WireError('WIRE_MALFORMED', 'empty frame');
  const kind = bytes[0];
  const payload = bytes.subarray(1);
  switch (kind) {
    case FRAME_KIND.DATA:
      return { kind: 'data', payload };
    case FRAME_KIND.END:
      if (payload.length !== 0) throw new WireError('WIRE_MALFORMED', 'END frame with a payload');
      return END_FRAME;
    case FRAME_KIND.ERROR:
      return decodeErrorPayload(payload);
    default:
      throw new WireError('WIRE_MALFORMED', `unknown frame kind ${kind}`);
  }
}

function decodeErrorPayload(payload: Uint8Array): Frame {
  try {
    const rec = readRecord(decode(payload, { maxBytes: MAX_ERROR_PAYLOAD_BYTES }), 'error frame', [
      'code',
      'message',
    ]);
    const code = readString(rec.code, 'error frame code', 64);
    const message = readString(rec.message, 'error frame message', MAX_ERROR_MESSAGE_LENGTH);
    if (!isErrorCode(code)) throw new WireError('WIRE_MALFORMED', 'error frame code is not a code');
    return { kind: 'error', code, message };
  } catch (err) {
    if (err instanceof WireError) throw err;
    if (err instanceof CodecError) {
      throw new WireError('WIRE_MALFORMED', `bad ERROR frame: ${err.message}`, { cause: err });
    }
    throw err;
  }
}
