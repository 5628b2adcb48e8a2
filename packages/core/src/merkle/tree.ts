import { sha256 } from '../crypto/hash.js';

// RFC 6962 domain separation: distinct prefixes for leaves and interior nodes
// stop a second-preimage attack that passes an interior node off as a leaf.
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({}) of RFC 6962: the hash of the empty string. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/**
 * Where prefixed leaves and node pairs are assembled before hashing: a
 * block's tree hashes two buffers per envelope, which need not each be
 * allocated (the hash reads its input and keeps none of it).
 */
let prefixed = new Uint8Array(1 + 2 * 32);

function hashPrefixed(prefix: number, a: Uint8Array, b?: Uint8Array): Uint8Array {
  const length = 1 + a.length + (b?.length ?? 0);
  // Unusually long input gets a buffer of its own, so none is kept around.
  const buf =
    length <= 1024 ? (prefixed.length >= length ? prefixed : grow(length)) : new Uint8Array(length);
  buf[0] = prefix;
  buf.set(a, 1);
  if (b) buf.set(b, 1 + a.length);
  return sha256(buf.subarray(0, length));
}

function grow(length: number): Uint8Array {
  prefixed = new Uint8Array(length);
  return prefixed;
}

export function leafHash(data: Uint8Array): Uint8Array {
  return hashPrefixed(LEAF_PREFIX, data);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return hashPrefixed(NODE_PREFIX, left, right);
}

/**
 * Every level of the tree, leaf hashes first, root level last.
 *
 * Pairing neighbours level by level and carrying an unpaired last node up
 * unchanged builds exactly the RFC's "split at the largest power of two"
 * tree, with n - 1 hashes and no recursion.
 */
export function merkleLevels(leafHashes: readonly Uint8Array[]): Uint8Array[][] {
  const levels: Uint8Array[][] = [leafHashes.slice()];
  let level = levels[0]!;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    levels.push(next);
    level = next;
  }
  return levels;
}

/** MTH over leaves that are already leaf hashes (each H(0x00 || data)). */
export function merkleRootFromLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return EMPTY_ROOT.slice();
  const levels = merkleLevels(leafHashes);
  return levels[levels.length - 1]![0]!;
}

/** MTH(D[n]) of RFC 6962 §2.1 over raw leaf data. */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  return merkleRootFromLeafHashes(leaves.map(leafHash));
}
