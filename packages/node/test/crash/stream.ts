// The block stream file the crash test hands its child: every block as
// core's encodeBlock, each preceded by its length (4 bytes, big-endian).
import { type Block, decodeBlock, encodeBlock } from '@weft/core';

export function writeBlockStream(blocks: readonly Block[]): Uint8Array {
  const parts = blocks.map((b) => {
    const bytes = encodeBlock(b);
    const record = new Uint8Array(4 + bytes.length);
    new DataView(record.buffer).setUint32(0, bytes.length);
    record.set(bytes, 4);
    return record;
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function readBlockStream(bytes: Uint8Array): Block[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: Block[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (at + 4 > bytes.length) throw new Error(`block stream truncated at byte ${at}`);
    const length = view.getUint32(at);
    const end = at + 4 + length;
    if (end > bytes.length) throw new Error(`block stream truncated in block ${blocks.length}`);
    // A copy, so the decoded block does not pin the whole file.
    blocks.push(decodeBlock(bytes.slice(at + 4, end)));
    at = end;
  }
  return blocks;
}
