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
  ROLES,
  type Role,
} from './ast.js';
export {
  type Availability,
  evaluatePolicy,
  isSatisfiable,
  policyPrincipals,
  type Signer,
} from './evaluate.js';
export { formatPolicy } from './format.js';
export { parsePolicy } from './parse.js';
export { EVALUATION_BUDGET } from './solver.js';
