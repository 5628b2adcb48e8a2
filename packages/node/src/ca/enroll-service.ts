import {
  type CaRequest,
  type Certificate,
  decodeCaRequest,
  type Ed25519Backend,
  ENROLL_MAX_SKEW_MS,
  type EnrollRequest,
  encodeEnrollResponse,
  encodeRegisterResponse,
  equalBytes,
  issueCertificate,
  MembershipError,
  Msp,
  type RegisterRequest,
  type Registration,
  type Signer,
  toHex,
  verifyCaRequest,
} from '@weft/core';
import type { Logger } from 'pino';
import type { CaConfig } from '../config/index.js';
import type { NodeDatabase } from '../ledger/database.js';
import { loadOrgRootSigner } from '../material/member.js';
import { silentLogger } from '../ops/logger.js';
import { CaError } from './errors.js';
import { RateLimiter } from './rate-limit.js';
import { RegistrationStore } from './registration-store.js';

/** Issued certificates start this long before the moment of issue, for clock skew (as fabric-ca's backdate). */
export const CERT_BACKDATE_MS = 5 * 60_000;
/** Registrations are kept this long after they expire (who enrolled which key), then pruned on start. */
export const REGISTRATION_RETENTION_MS = 30 * 86_400_000;
/** Serials of issued certificates: random, above the small ones material generation gives out. */
const SERIAL_MIN = 2 ** 32;

export interface EnrollServiceOptions {
  db: NodeDatabase;
  /** The org root: its name is the CA's org, its signer issues the certificates. */
  root: { name: string; rootKey: Uint8Array; signer: Signer };
  limits: Omit<CaConfig, 'orgDir'>;
  log?: Logger;
  now?: () => number;
  backend?: Ed25519Backend;
}

/** Who sent a request: the connection's authenticated key and PeerId (the RPC context). */
export interface CaCaller {
  peer: { toString(): string };
  publicKey?: Uint8Array;
}

function randomSerial(): number {
  const bits = crypto.getRandomValues(new Uint32Array(2));
  // 53 random bits, brought into [SERIAL_MIN, MAX_SAFE_INTEGER].
  const n = (bits[0]! & 0x1fffff) * 2 ** 32 + bits[1]!;
  return SERIAL_MIN + (n % (Number.MAX_SAFE_INTEGER - SERIAL_MIN));
}

/**
 * An org's CA on a node, after fabric-ca: admins of the org register
 * one-time secrets, and a wallet that shows one (and proves it holds the
 * key it names) receives a `client` certificate signed by the org root.
 * Secrets are stored as salted hashes (RegistrationStore), used once,
 * and expire.
 */
export class EnrollService {
  readonly org: string;
  readonly store: RegistrationStore;
  readonly #root: EnrollServiceOptions['root'];
  readonly #limits: EnrollServiceOptions['limits'];
  readonly #msp: Msp;
  readonly #rate: RateLimiter;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #backend: Ed25519Backend | undefined;

  constructor(options: EnrollServiceOptions) {
    this.org = options.root.name;
    this.#root = options.root;
    this.#limits = options.limits;
    this.#now = options.now ?? Date.now;
    this.#backend = options.backend;
    this.#log = options.log ?? silentLogger();
    this.#msp = new Msp({
      orgs: [{ name: options.root.name, rootKey: options.root.rootKey }],
      backend: options.backend,
    });
    this.#rate = new RateLimiter(
      {
        perMinute: options.limits.requestsPerMinute,
        perPeerPerMinute: options.limits.requestsPerPeerPerMinute,
      },
      this.#now,
    );
    this.store = new RegistrationStore(options.db);
  }

  /**
   * The CA of a node's config: loads the org root's secret from
   * `ca.orgDir` (checking it against root.pub), refuses another org than
   * the node's own, and prunes long-expired registrations.
   */
  static async open(options: {
    db: NodeDatabase;
    ca: CaConfig;
    nodeOrg: string;
    log?: Logger;
    now?: () => number;
    backend?: Ed25519Backend;
  }): Promise<EnrollService> {
    const root = await loadOrgRootSigner(options.ca.orgDir, { backend: options.backend });
    if (root.name !== options.nodeOrg) {
      throw new CaError(
        'CA_CONFIG',
        `ca.orgDir ${options.ca.orgDir} is the root of ${root.name}, this node is of ${options.nodeOrg}`,
      );
    }
    const { orgDir: _, ...limits } = options.ca;
    const service = new EnrollService({ ...options, root, limits });
    for (const w of root.warnings) service.#log.warn(w);
    const pruned = await service.store.prune(service.#now() - REGISTRATION_RETENTION_MS);
    service.#log.info({ org: root.name, pruned }, 'CA ready');
    return service;
  }

  /** One `/weft/enroll/1.0.0` request from `caller`: decoded, rate-limited, answered. */
  async handle(bytes: Uint8Array, caller: CaCaller): Promise<Uint8Array> {
    if (!this.#rate.take(caller.peer.toString()))
      throw new CaError('ENROLL_RATE_LIMITED', 'too many enrollment requests; retry later');
    const request: CaRequest = decodeCaRequest(bytes);
    if (request.type === 'enroll') return encodeEnrollResponse(await this.enroll(request));
    return encodeRegisterResponse(await this.register(request, caller.publicKey));
  }

  /** Checks a wallet's request and, once its secret is redeemed, certifies its key as a client. */
  async enroll(request: EnrollRequest): Promise<Certificate> {
    const now = this.#checkCommon(request);
    if (!(await verifyCaRequest(request, this.#backend)))
      throw new CaError(
        'ENROLL_BAD_PROOF',
        'the request is not signed by the key it asks to certify',
      );
    const cert = await this.store.redeem({
      org: request.org,
      id: request.id,
      secret: request.secret,
      now,
      issue: async () => {
        const serial = randomSerial();
        const value = await issueCertificate(this.#root.signer, {
          org: this.org,
          role: 'client',
          publicKey: request.publicKey,
          notBefore: Math.max(0, now - CERT_BACKDATE_MS),
          notAfter: now + this.#limits.certValidityMs,
          serial,
        });
        return { value, publicKey: request.publicKey, serial };
      },
    });
    this.#log.info(
      { id: request.id, publicKey: toHex(request.publicKey), serial: cert.serial },
      'enrolled a client',
    );
    return cert;
  }

  /**
   * An admin's request for new secrets: the certificate must be an admin
   * of this org (root-signed, valid now), the request signed by it, and
   * sent on the connection it names (`connectionKey`), so the secrets go to
   * the admin and a replayed request gets nothing.
   */
  async register(
    request: RegisterRequest,
    connectionKey: Uint8Array | undefined,
  ): Promise<Registration[]> {
    const now = this.#checkCommon(request);
    try {
      await this.#msp.identify(request.admin, { at: now, roles: ['admin'], org: this.org });
    } catch (err) {
      if (!(err instanceof MembershipError)) throw err;
      throw new CaError(
        'ENROLL_FORBIDDEN',
        `only an admin of ${this.org} may register: ${err.message}`,
      );
    }
    if (!(await verifyCaRequest(request, this.#backend)))
      throw new CaError('ENROLL_BAD_SIGNATURE', 'the request is not signed by its admin');
    if (!connectionKey || !equalBytes(connectionKey, request.peer))
      throw new CaError(
        'ENROLL_WRONG_PEER',
        'the request names another connection key than the one it came on',
      );
    const ttl = request.ttlMs === 0 ? this.#limits.secretTtlMs : request.ttlMs;
    if (ttl > this.#limits.maxSecretTtlMs)
      throw new CaError(
        'ENROLL_BAD_TTL',
        `a secret may live at most ${this.#limits.maxSecretTtlMs} ms here`,
      );
    const created = await this.store.register({
      org: this.org,
      count: request.count,
      expiresAt: now + ttl,
      registrar: request.admin.publicKey,
      now,
    });
    this.#log.info(
      {
        admin: toHex(request.admin.publicKey),
        ids: created.map((c) => c.record.id),
        expiresAt: now + ttl,
      },
      'registered enrollment secrets',
    );
    return created.map((c) => ({
      id: c.record.id,
      secret: c.secret,
      expiresAt: c.record.expiresAt,
    }));
  }

  /** The org and the clock: both request types name this CA's org and a time near ours. */
  #checkCommon(request: CaRequest): number {
    const now = this.#now();
    if (request.org !== this.org)
      throw new CaError(
        'ENROLL_WRONG_ORG',
        `this node is the CA of ${this.org}, not ${request.org}`,
      );
    if (Math.abs(request.time - now) > ENROLL_MAX_SKEW_MS)
      throw new CaError(
        'ENROLL_STALE',
        `the request's time is more than ${ENROLL_MAX_SKEW_MS} ms from the node's clock`,
      );
    return now;
  }
}
