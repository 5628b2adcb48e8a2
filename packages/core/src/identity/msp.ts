import { equalBytes, toHex } from '../bytes.js';
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

/** A root-signature verdict and the certificate it is about, copied (callers may reuse arrays). */
interface Verified extends Certificate {
  /** toHex(publicKey), once: every identity of this certificate carries it. */
  id: string;
  verdict: Promise<boolean>;
  /** The verdict once known, so a repeat certificate costs no promise at all. */
  settled: boolean | undefined;
}

function sameCertificate(v: Verified, c: Certificate): boolean {
  return (
    v.org === c.org &&
    v.role === c.role &&
    v.notBefore === c.notBefore &&
    v.notAfter === c.notAfter &&
    v.serial === c.serial &&
    equalBytes(v.signature, c.signature) &&
    equalBytes(v.publicKey, c.publicKey)
  );
}

/**
 * A small number from the signature's first bytes: signatures are all
 * but unique per certificate, so this spreads the cache's buckets without
 * building a key; the bucket's entries are then compared field by field.
 */
function bucketOf(signature: Uint8Array): number {
  return (
    ((signature[0]! | (signature[1]! << 8) | (signature[2]! << 16)) ^ (signature[63]! << 22)) >>> 0
  );
}

/**
 * The membership service of one channel: org roots in, verified identities
 * out. Root signatures are checked once per distinct certificate and cached
 * (the verdict depends only on the bytes and the roots), while validity
 * windows, roles and orgs are checked on every call.
 */
export class Msp {
  readonly #roots: Map<string, Uint8Array>;
  readonly #backend: Ed25519Backend | undefined;
  readonly #verified = new Map<number, Verified[]>();
  #cached = 0;

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
    const entry = this.#check(cert, options);
    if (!(entry.settled ?? (await entry.verdict))) throw badSignature(cert);
    return identityOf(cert, entry);
  }

  /**
   * `identify` without waiting, for the certificates seen before (a
   * channel's orderers and peers, over and over): the identity, or the same
   * MembershipError `identify` throws, once the root signature's verdict is
   * known; undefined while it is not (then call `identify`).
   */
  identifyKnown(cert: Certificate, options: IdentifyOptions): Identity | undefined {
    const entry = this.#check(cert, options);
    if (entry.settled === undefined) return undefined;
    if (!entry.settled) throw badSignature(cert);
    return identityOf(cert, entry);
  }

  /** Everything but the root signature's verdict, which the returned entry holds. */
  #check(cert: Certificate, options: IdentifyOptions): Verified {
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
    return this.#rootSigned(cert, root);
  }

  #rootSigned(cert: Certificate, root: Uint8Array): Verified {
    const bucket = bucketOf(cert.signature);
    const entries = this.#verified.get(bucket);
    if (entries) for (const v of entries) if (sameCertificate(v, cert)) return v;
    if (this.#cached >= CACHE_LIMIT) {
      this.#verified.clear();
      this.#cached = 0;
    }
    const v: Verified = {
      org: cert.org,
      role: cert.role,
      // Copies, plain: a Buffer's slice would be a view its owner could change.
      publicKey: new Uint8Array(cert.publicKey),
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      serial: cert.serial,
      signature: new Uint8Array(cert.signature),
      id: toHex(cert.publicKey),
      verdict: verifyDomain({
        publicKey: root,
        domain: 'cert',
        bytes: certificateBodyBytes(cert),
        signature: cert.signature,
        backend: this.#backend,
      }),
      settled: undefined,
    };
    v.verdict.then(
      (ok) => {
        v.settled = ok;
      },
      // A verdict that rejects reaches identify's caller, who awaits it; here it is only not settled.
      () => {},
    );
    if (entries && this.#verified.get(bucket) === entries) entries.push(v);
    else this.#verified.set(bucket, [v]);
    this.#cached++;
    return v;
  }
}

function badSignature(cert: Certificate): MembershipError {
  return new MembershipError(
    'CERT_BAD_SIGNATURE',
    `certificate not signed by the ${cert.org} root`,
  );
}

function identityOf(cert: Certificate, entry: Verified): Identity {
  return { org: cert.org, role: cert.role, publicKey: cert.publicKey, id: entry.id, cert };
}
