// The org CA a node may run (fabric-ca's role) on /weft/enroll/1.0.0.
// LAYOUT.md documents the registration store.
export { CaClient, type CaClientOptions, formatRegistrations } from './ca-client.js';
export {
  type CaCaller,
  CERT_BACKDATE_MS,
  EnrollService,
  type EnrollServiceOptions,
  REGISTRATION_RETENTION_MS,
} from './enroll-service.js';
export { CaError } from './errors.js';
export { RateLimiter, type RateLimits } from './rate-limit.js';
export {
  CA_NAMESPACE,
  type NewRegistration,
  REGISTRATIONS_TABLE,
  type Redeemed,
  type RegistrationRecord,
  RegistrationStore,
  SALT_BYTES,
  secretHash,
} from './registration-store.js';
