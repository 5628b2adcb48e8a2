export {
  type Availability,
  evaluatePolicy,
  isSatisfiable,
  policyPrincipals,
  type Signer,
} from './evaluate.js';
export { formatPolicy } from './format.js';
export {
  assertPolicy,
  isRole,
  MAX_POLICY_DEPTH,
  MAX_POLICY_LENGTH,
  MAX_POLICY_PRINCIPALS,
  type OutOfPolicy,
  type Policy,
  PolicyError,
  type PolicyErrorCode,
  type PrincipalPolicy,
  parsePolicy,
  ROLES,
  type Role,
} from './parse.js';
export { EVALUATION_BUDGET } from './solver.js';
