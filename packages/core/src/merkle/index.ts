export {
  type InclusionClaim,
  inclusionProof,
  inclusionProofs,
  MerkleError,
  rootFromInclusionProof,
  verifyInclusion,
} from './proof.js';
export {
  EMPTY_ROOT,
  leafHash,
  merkleLevels,
  merkleRoot,
  merkleRootFromLeafHashes,
  nodeHash,
} from './tree.js';
