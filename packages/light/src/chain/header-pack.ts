import type { BlockHeader, BlockSignature, ChainTip } from '@weft/core';

/**
 * Headers to verify, packed into one transferable buffer for a worker:
 * every field as the page holds it (numbers as float64, so any JS number
 * crosses exactly; byte strings with their lengths), never re-encoded as
 * CBOR, so the worker pays no decoding and the page no encoding. Views a
 * transport hands out may pin a large buffer, which structured cloning
 * would copy whole; this copies only the bytes each field covers.
 */

/** One header's check: core's verifyHeader inputs, less the channel and backend. */
export interface PackedHeaderCheck {
  header: BlockHeader;
  signatures: readonly BlockSignature[];
  previous: ChainTip;
  /** blockHash(header), computed by the page. */
  hash: Uint8Array;
}

/** The header checks back to back; `channels[i]` is header i's channel name. */
export interface HeaderPack {
  buffer: ArrayBuffer;
  channels: string[];
}

const NUMBERS = 5;

function size(c: PackedHeaderCheck): number {
  let n = NUMBERS * 8 + 4 * 4 + c.header.previousHash.length + c.header.dataHash.length;
  n += c.previous.hash.length + c.hash.length + 4;
  for (const s of c.signatures) n += 8 + s.signer.length + s.signature.length;
  return n;
}

export function packHeaderChecks(checks: readonly PackedHeaderCheck[]): HeaderPack {
  const bytes = new Uint8Array(checks.reduce((n, c) => n + size(c), 0));
  const view = new DataView(bytes.buffer);
  let at = 0;
  const number = (n: number) => {
    view.setFloat64(at, n, true);
    at += 8;
  };
  const field = (b: Uint8Array) => {
    view.setUint32(at, b.length, true);
    bytes.set(b, at + 4);
    at += 4 + b.length;
  };
  for (const { header, signatures, previous, hash } of checks) {
    number(header.number);
    number(header.timestamp);
    number(header.lastConfig);
    number(previous.number);
    number(previous.timestamp);
    field(header.previousHash);
    field(header.dataHash);
    field(previous.hash);
    field(hash);
    view.setUint32(at, signatures.length, true);
    at += 4;
    for (const s of signatures) {
      field(s.signer);
      field(s.signature);
    }
  }
  return { buffer: bytes.buffer, channels: checks.map((c) => c.header.channel) };
}

/** The checks packHeaderChecks packed, byte fields as views into `buffer` (no copies). */
export function unpackHeaderChecks(pack: HeaderPack): PackedHeaderCheck[] {
  const bytes = new Uint8Array(pack.buffer);
  const view = new DataView(pack.buffer);
  let at = 0;
  const number = () => {
    at += 8;
    return view.getFloat64(at - 8, true);
  };
  const field = () => {
    const length = view.getUint32(at, true);
    at += 4 + length;
    return bytes.subarray(at - length, at);
  };
  return pack.channels.map((channel) => {
    const [n, timestamp, lastConfig, previousNumber, previousTimestamp] = [
      number(),
      number(),
      number(),
      number(),
      number(),
    ];
    const previousHash = field();
    const dataHash = field();
    const previous = { number: previousNumber, hash: field(), timestamp: previousTimestamp };
    const hash = field();
    const signatures: BlockSignature[] = [];
    const count = view.getUint32(at, true);
    at += 4;
    for (let i = 0; i < count; i++) signatures.push({ signer: field(), signature: field() });
    return {
      header: { channel, number: n, previousHash, dataHash, lastConfig, timestamp },
      signatures,
      previous,
      hash,
    };
  });
}
