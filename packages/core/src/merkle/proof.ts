import { equalBytes } from '../bytes.js';
import { HASH_LENGTH } from '../crypto/hash.js';
import { WeftError } from '../errors.js';
import { EMPTY_ROOT, leafHash, merkleLevels, nodeHash } from './tree.js';

/** A caller asked for something the tree cannot give (e.g. a proof for a missing leaf). */
export class MerkleError extends WeftError {}

function proofFromLevels(levels: readonly Uint8Array[][], index: number): Uint8Array[] {
  const path: Uint8Array[] = [];
  let i = index;
  for (let d = 0; d < levels.length - 1; d++) {
    const level = levels[d]!;
    const sibling = i % 2 === 0 ? i + 1 : i - 1;
    // A node with no right sibling is carried up as-is and adds no path entry.
    if (sibling < level.length) path.push(level[sibling]!);
    i = Math.floor(i / 2);
  }
  return path;
}

function checkIndex(index: number, size: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new MerkleError(
      'MERKLE_INDEX_RANGE',
      `leaf index ${index} is outside a tree of ${size} leaves`,
    );
  }
}

/** Audit path PATH(m, D[n]) of RFC 6962 §2.1.1, deepest sibling first. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  checkIndex(index, leaves.length);
  return proofFromLevels(merkleLevels(leaves.map(leafHash)), index);
}

/**
 * The root and every leaf's audit path in one pass: the levels are hashed once
 * (n - 1 node hashes), after which each path is O(log n) lookups.
 */
export function inclusionProofs(leaves: readonly Uint8Array[]): {
  root: Uint8Array;
  proofs: Uint8Array[][];
} {
  if (leaves.length === 0) return { root: EMPTY_ROOT.slice(), proofs: [] };
  const levels = merkleLevels(leaves.map(leafHash));
  const proofs = leaves.map((_, i) => proofFromLevels(levels, i));
  return { root: levels[levels.length - 1]![0]!, proofs };
}

interface InclusionCommon {
  index: number;
  treeSize: number;
  proof: readonly Uint8Array[];
}

export type InclusionClaim = InclusionCommon &
  ({ leafData: Uint8Array; leafHash?: never } | { leafHash: Uint8Array; leafData?: never });

function isHash(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array && x.length === HASH_LENGTH;
}

// A tree of at most 2^53 leaves never needs a longer path; refusing early
// keeps hostile inputs from costing more than a handful of hashes.
const MAX_PROOF_LENGTH = 53;

/**
 * The root implied by an audit path (RFC 9162 §2.1.3.2), or null when the
 * claim is malformed or the path has the wrong shape for (index, treeSize).
 * Never throws.
 */
export function rootFromInclusionProof(claim: InclusionClaim): Uint8Array | null {
  if (typeof claim !== 'object' || claim === null) return null;
  const { index, treeSize, proof } = claim;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize)) return null;
  if (index < 0 || index >= treeSize) return null;
  if (!Array.isArray(proof) || proof.length > MAX_PROOF_LENGTH) return null;
  const hasData = claim.leafData !== undefined;
  const hasHash = claim.leafHash !== undefined;
  if (hasData === hasHash) return null;
  let r: Uint8Array;
  if (hasData) {
    if (!(claim.leafData instanceof Uint8Array)) return null;
    r = leafHash(claim.leafData);
  } else {
    if (!isHash(claim.leafHash)) return null;
    r = claim.leafHash;
  }
  let fn = index;
  let sn = treeSize - 1;
  for (const p of proof) {
    if (!isHash(p) || sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // Skip the levels where this node had no right sibling and was carried up.
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.3.2 inclusion check. Any malformed input gives false, never an exception. */
export function verifyInclusion(claim: InclusionClaim & { root: Uint8Array }): boolean {
  if (typeof claim !== 'object' || claim === null || !isHash(claim.root)) return false;
  const computed = rootFromInclusionProof(claim);
  return computed !== null && equalBytes(computed, claim.root);
}
