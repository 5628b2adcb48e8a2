// Wire framing shared by every Weft protocol, in Node and in browsers.

import { encodeFrame, type Frame } from './frames.js';
import { encodeLengthPrefixed } from './length-prefix.js';

export * from './frames.js';
export * from './length-prefix.js';
export * from './net-codes.js';

/** One frame as it travels on a stream: varint(length) || kind || payload. */
export function encodeFrameMessage(frame: Frame): Uint8Array {
  return encodeLengthPrefixed(encodeFrame(frame));
}
export * from './stream-reader.js';
