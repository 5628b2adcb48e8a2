import { toHex } from '../bytes.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { verifyDomain } from '../crypto/signing.js';
import { WeftError } from '../errors.js';
import { type Certificate, certificateBodyBytes, type Role } from './certificate.js';

/** Why a certificate does not identify a member. */
export class MembershipError extends WeftError {}

export interface OrgRoot {
  name: string;
  rootKey: Uint8Array;
}

/** A verified signer: who the MSP says the holder of `publicKey` is. */
export interface Identity {
  org: string;
  role: Role;
  publicKey: Uint8Array;
  /** Hex of the public key: the identity's stable id (policy evaluation dedups on it). */
  id: string;
  cert: Certificate;
}

export interface IdentifyOptions {
  /** The time (ms since epoch) the certificate must be valid at; validation uses the block's. */
  at: number;
  roles?: readonly Role[];
  org?: string;
}

const CACHE_LIMIT = 10_000;

/**
 * The membership service of one channel: org roots in, verified identities
 * out. Root signatures are checked once per distinct certificate and cached
 * (the verdict depends only on the bytes and the roots), while validity
 * windows, roles and orgs are checked on every call.
 */
export class Msp {
  readonly #roots: Map<string, Uint8Array>;
  readonly #backend: Ed25519Backend | undefined;
  readonly #verified = new Map<string, Promise<boolean>>();

  constructor(options: { orgs: readonly OrgRoot[]; backend?: Ed25519Backend }) {
    this.#roots = new Map(options.orgs.map((o) => [o.name, o.rootKey]));
    this.#backend = options.backend;
  }

  hasOrg(name: string): boolean {
    return this.#roots.has(name);
  }

  get orgNames(): string[] {
    return [...this.#roots.keys()];
  }

  async identify(cert: Certificate, options: IdentifyOptions): Promise<Identity> {
    const root = this.#roots.get(cert.org);
    if (!root) throw new MembershipError('CERT_UNKNOWN_ORG', `unknown organisation ${cert.org}`);
    if (options.org !== undefined && cert.org !== options.org) {
      throw new MembershipError(
        'CERT_WRONG_ORG',
        `certificate of ${cert.org}, expected ${options.org}`,
      );
    }
    if (options.roles && !options.roles.includes(cert.role)) {
      throw new MembershipError(
        'CERT_WRONG_ROLE',
        `certificate role ${cert.role}, expected ${options.roles.join(' or ')}`,
      );
    }
    if (cert.notAfter < cert.notBefore) {
      throw new MembershipError('CERT_BAD_VALIDITY', 'certificate validity window is empty');
    }
    if (options.at < cert.notBefore) {
      throw new MembershipError(
        'CERT_NOT_YET_VALID',
        `certificate serial ${cert.serial} not yet valid`,
      );
    }
    if (options.at > cert.notAfter) {
      throw new MembershipError('CERT_EXPIRED', `certificate serial ${cert.serial} expired`);
    }
    if (!(await this.#rootSigned(cert, root))) {
      throw new MembershipError(
        'CERT_BAD_SIGNATURE',
        `certificate not signed by the ${cert.org} root`,
      );
    }
    return {
      org: cert.org,
      role: cert.role,
      publicKey: cert.publicKey,
      id: toHex(cert.publicKey),
      cert,
    };
  }

  #rootSigned(cert: Certificate, root: Uint8Array): Promise<boolean> {
    // Every field, verbatim: a cheaper exact key than hashing the re-encoded certificate.
    const key = `${cert.org}|${cert.role}|${toHex(cert.publicKey)}|${cert.notBefore}|${cert.notAfter}|${cert.serial}|${toHex(cert.signature)}`;
    let verdict = this.#verified.get(key);
    if (!verdict) {
      if (this.#verified.size >= CACHE_LIMIT) this.#verified.clear();
      verdict = verifyDomain({
        publicKey: root,
        domain: 'cert',
        bytes: certificateBodyBytes(cert),
        signature: cert.signature,
        backend: this.#backend,
      });
      this.#verified.set(key, verdict);
    }
    return verdict;
  }
}
