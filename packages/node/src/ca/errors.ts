import { WeftError } from '@weft/core';

/**
 * Codes the CA sends on `/weft/enroll/1.0.0` (a wallet or the admin CLI
 * branches on them):
 *
 * enroll: ENROLL_WRONG_ORG (this node's CA is another org's),
 * ENROLL_STALE (the request's time is more than ENROLL_MAX_SKEW_MS from the
 * node's clock), ENROLL_BAD_PROOF (the request is not signed by the key it
 * asks to certify), ENROLL_BAD_SECRET (no such id, or not its secret: the
 * two are not told apart), ENROLL_SECRET_USED, ENROLL_SECRET_EXPIRED (told
 * only to a caller who showed the right secret).
 *
 * register: ENROLL_FORBIDDEN (the certificate is not an admin of this CA's
 * org, signed by its root and valid now), ENROLL_BAD_SIGNATURE (the request
 * is not signed by that admin), ENROLL_WRONG_PEER (the request names another
 * connection key than the one it came on), ENROLL_BAD_TTL (a lifetime over
 * the node's maximum), ENROLL_WRONG_ORG, ENROLL_STALE.
 *
 * both: ENROLL_RATE_LIMITED (too many requests from this peer or from
 * everyone this minute: retry later), NODE_NOT_CA (the node runs no CA).
 *
 * clients (CaClient): ENROLL_BAD_CERT (the answer is not a client
 * certificate of the org for the enrolled key, valid now and, when the root
 * is known, signed by it), CA_CLIENT (the client host has no Ed25519 key).
 *
 * local: CA_STORE_CORRUPT (a stored registration does not decode),
 * CA_CONFIG (the CA's root material does not fit the node).
 */
export class CaError extends WeftError {}
