// Wallet enrollment (fabric-ca's enroll) over /weft/enroll/1.0.0.
export { EnrollError, type EnrollOptions, type EnrollTransport, enroll } from './enroll.js';
