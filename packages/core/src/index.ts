// @weft/core: every consensus rule once. Peers, orderers, light clients and
// the auditor import from here so they reach the same verdicts.

export * from './audit/index.js';
export * from './block/block.js';
export * from './block/genesis.js';
export * from './block/verify.js';
export * from './bytes.js';
export * from './commit/attestation.js';
export * from './commit/commit-hash.js';
export * from './config/channel.js';
export * from './config/channel-config.js';
export * from './crypto/index.js';
export * from './encoding/cbor.js';
export * from './encoding/fields.js';
export * from './errors.js';
export * from './fabcoin/chaincode.js';
export * from './fabcoin/coin.js';
export * from './fabcoin/request.js';
export * from './fabcoin/rules.js';
export * from './identity/certificate.js';
export * from './identity/msp.js';
export * from './merkle/index.js';
export * from './next-task.js';
export {
  type Availability,
  EVALUATION_BUDGET,
  evaluatePolicy,
  formatPolicy,
  isRole as isPolicyRole,
  isSatisfiable,
  MAX_POLICY_DEPTH,
  MAX_POLICY_LENGTH,
  MAX_POLICY_PRINCIPALS,
  type OutOfPolicy,
  type Policy,
  PolicyError,
  type PolicyErrorCode,
  type PrincipalPolicy,
  parsePolicy,
  policyPrincipals,
  ROLES as POLICY_ROLES,
  type Role as PolicyRole,
  type Signer as PolicySigner,
} from './policy/index.js';
export * from './promise-with-resolvers.js';
export * from './protocol/index.js';
export * from './sleep.js';
export * from './tx/endorsement.js';
export * from './tx/envelope.js';
export * from './tx/envelope-pack.js';
export * from './tx/proposal.js';
export * from './tx/rwset.js';
export * from './validate/codes.js';
export * from './validate/signers.js';
export * from './validate/state.js';
export * from './validate/validate.js';
export * from './validate/vscc.js';
export * from './wire/index.js';
