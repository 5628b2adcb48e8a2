import {
  type Certificate,
  decodeEnrollResponse,
  type Ed25519Backend,
  ENROLL_NONCE_BYTES,
  encodeCaRequest,
  enrolledCertificateProblem,
  PROTOCOLS,
  parseEnrollSecret,
  type Signer,
  signCaRequest,
  WeftError,
} from '@weft/core';

/**
 * The least a wallet needs of a transport to enroll: one request on a
 * protocol, one answer (the DATA payload; an ERROR frame rejects, with the
 * node's code). A libp2p node wrapped by the light transport, or anything
 * else that can reach a node of the org, fits.
 */
export interface EnrollTransport {
  request(protocol: string, bytes: Uint8Array): Promise<Uint8Array>;
}

export interface EnrollOptions {
  transport: EnrollTransport;
  /** The org whose CA (a node of that org) is asked. */
  org: string;
  /** The enrollment id the org admin gave out. */
  id: string;
  /** Its secret: the bytes, or the hex text the admin was shown. */
  secret: Uint8Array | string;
  /** The wallet key to certify; it signs the request (proof of possession). */
  signer: Signer;
  /**
   * The org's root public key (from the channel config). With it the
   * certificate's signature is checked too; without, only that it is a
   * client certificate of `org` for this key, valid now.
   */
  rootKey?: Uint8Array;
  /** Clock (ms since the epoch), for tests. */
  now?: () => number;
  backend?: Ed25519Backend;
}

/** Why enrolling failed on the wallet's side; the node's refusals come as the transport's errors. */
export class EnrollError extends WeftError {}

/**
 * Enrolls a wallet key with a one-time secret (fabric-ca's enroll): signs
 * `{org, id, secret, publicKey, time, nonce}` with the key (domain
 * 'enroll'), sends it on `/weft/enroll/1.0.0`, and returns the client
 * certificate once it has checked that it is what it asked for. The secret
 * is spent by the node either way once accepted; keep the certificate.
 * Isomorphic: no Node built-ins, nothing but @weft/core.
 */
export async function enroll(options: EnrollOptions): Promise<Certificate> {
  const now = options.now ?? Date.now;
  const secret =
    typeof options.secret === 'string' ? parseEnrollSecret(options.secret) : options.secret;
  const request = await signCaRequest(options.signer, {
    type: 'enroll',
    org: options.org,
    id: options.id,
    secret,
    publicKey: options.signer.publicKey,
    time: now(),
    nonce: crypto.getRandomValues(new Uint8Array(ENROLL_NONCE_BYTES)),
  });
  const answer = await options.transport.request(PROTOCOLS.enroll, encodeCaRequest(request));
  let cert: Certificate;
  try {
    cert = decodeEnrollResponse(answer);
  } catch (err) {
    throw new EnrollError('ENROLL_BAD_ANSWER', `the node's answer is not a certificate`, {
      cause: err,
    });
  }
  const problem = await enrolledCertificateProblem(cert, {
    org: options.org,
    publicKey: options.signer.publicKey,
    at: now(),
    rootKey: options.rootKey,
    backend: options.backend,
  });
  if (problem) throw new EnrollError('ENROLL_BAD_CERT', `the node answered with ${problem}`);
  return cert;
}
