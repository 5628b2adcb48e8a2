import { fromHex, toHex } from '../bytes.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from '../crypto/ed25519.js';
import { type Signer, verifyDomain } from '../crypto/signing.js';
import { type CborValue, decode, encode } from '../encoding/cbor.js';
import {
  readArray,
  readBytes,
  readEnum,
  readRecord,
  readString,
  readUint,
  schemaError,
} from '../encoding/fields.js';
import { CodecError } from '../errors.js';
import {
  type Certificate,
  certificateBodyBytes,
  certificateToCbor,
  NAME_PATTERN,
  readCertificate,
} from '../identity/certificate.js';

/**
 * `/weft/enroll/1.0.0`: enrollment after fabric-ca. An org admin registers
 * one-time secrets with a node that runs its org's CA (`register`); a
 * wallet then proves possession of its key and of one secret to that node
 * (`enroll`) and receives a `client` certificate signed by the org root.
 * One request per stream, one DATA frame in answer; canonical CBOR read
 * back strictly with a size bound, like every protocol message.
 *
 * Both requests are signed, domain 'enroll', over the canonical CBOR of the
 * request without its `signature` (`enrollSignedBytes`); the `type` field is
 * inside what is signed, so an enroll signature can never pass as a
 * register one or the reverse. The secret itself travels in the request:
 * the stream is Noise-encrypted to the node's PeerId, and the node keeps
 * only a salted hash of it.
 */

/** Enrollment ids: what the admin and the wallet holder name a registration by. */
export const ENROLL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The secrets nodes generate: 160 random bits. */
export const ENROLL_SECRET_BYTES = 20;
/** Shortest and longest secrets the protocol carries (at least 128 bits). */
export const MIN_ENROLL_SECRET_BYTES = 16;
export const MAX_ENROLL_SECRET_BYTES = 64;
export const ENROLL_NONCE_BYTES = 16;
/** Registrations one register request may ask for. */
export const MAX_ENROLL_REGISTRATIONS = 32;
/** A register request carries an admin certificate (at most 512 bytes) and little else. */
export const MAX_ENROLL_REQUEST_BYTES = 1024;
export const MAX_ENROLL_RESPONSE_BYTES = 8 * 1024;
/** How far a request's `time` may be from the node's clock. */
export const ENROLL_MAX_SKEW_MS = 5 * 60_000;

// --- requests ----------------------------------------------------------------

/** What a wallet signs with the key it wants certified. */
export interface EnrollBody {
  type: 'enroll';
  /** The org whose CA is asked (the node's own org). */
  org: string;
  id: string;
  secret: Uint8Array;
  /** The key to certify; it signs the request (proof of possession). */
  publicKey: Uint8Array;
  /** Milliseconds since the Unix epoch; within ENROLL_MAX_SKEW_MS of the node's clock. */
  time: number;
  nonce: Uint8Array;
}

/** What an org admin signs with its admin member key. */
export interface RegisterBody {
  type: 'register';
  org: string;
  /** The admin's certificate: role 'admin' of `org`, signed by that org's root. */
  admin: Certificate;
  /**
   * The requester's connection key (its libp2p PeerId key). The node answers
   * only on a connection authenticated with this key, so a captured request
   * replayed by anyone else yields no secret.
   */
  peer: Uint8Array;
  /** Registrations to create (1..MAX_ENROLL_REGISTRATIONS). */
  count: number;
  /** Lifetime of each secret, ms; 0 asks for the node's default. */
  ttlMs: number;
  time: number;
  nonce: Uint8Array;
}

export type EnrollRequest = EnrollBody & { signature: Uint8Array };
export type RegisterRequest = RegisterBody & { signature: Uint8Array };
export type CaRequest = EnrollRequest | RegisterRequest;

function bodyToCbor(b: EnrollBody | RegisterBody): Record<string, CborValue> {
  if (b.type === 'enroll') {
    return {
      type: b.type,
      org: b.org,
      id: b.id,
      secret: b.secret,
      publicKey: b.publicKey,
      time: b.time,
      nonce: b.nonce,
    };
  }
  return {
    type: b.type,
    org: b.org,
    admin: certificateToCbor(b.admin),
    peer: b.peer,
    count: b.count,
    ttlMs: b.ttlMs,
    time: b.time,
    nonce: b.nonce,
  };
}

/** The bytes a request's signature covers (domain 'enroll'): its body without `signature`. */
export function enrollSignedBytes(b: EnrollBody | RegisterBody): Uint8Array {
  return encode(bodyToCbor(b));
}

/** The key that must have signed a request: the enrolling key, or the admin's. */
export function caRequestSignerKey(r: EnrollBody | RegisterBody): Uint8Array {
  return r.type === 'enroll' ? r.publicKey : r.admin.publicKey;
}

/** Signs a request with `signer`, which must hold the key the request names. */
export async function signCaRequest<B extends EnrollBody | RegisterBody>(
  signer: Signer,
  body: B,
): Promise<B & { signature: Uint8Array }> {
  const key = caRequestSignerKey(body);
  if (toHex(key) !== toHex(signer.publicKey))
    throw new RangeError(`the ${body.type} request must be signed by key ${toHex(key)}`);
  const signature = await signer.sign('enroll', enrollSignedBytes(body));
  return { ...body, signature };
}

/** Whether the request's signature is by the key it names (strict Ed25519). Never throws. */
export function verifyCaRequest(r: CaRequest, backend?: Ed25519Backend): Promise<boolean> {
  const { signature, ...body } = r;
  return verifyDomain({
    publicKey: caRequestSignerKey(r),
    domain: 'enroll',
    bytes: enrollSignedBytes(body as EnrollBody | RegisterBody),
    signature,
    backend,
  });
}

export function encodeCaRequest(r: CaRequest): Uint8Array {
  return encode({ ...bodyToCbor(r), signature: r.signature });
}

const CA_FIELDS = {
  enroll: ['id', 'secret', 'publicKey'],
  register: ['admin', 'peer', 'count', 'ttlMs'],
} as const;

export function readEnrollId(value: unknown, what: string): string {
  const id = readString(value, what, 64);
  if (!ENROLL_ID_PATTERN.test(id)) schemaError(`${what}: letters, digits, . _ - (at most 64)`);
  return id;
}

function readOrg(value: unknown, what: string): string {
  const org = readString(value, what, 64);
  if (!NAME_PATTERN.test(org)) schemaError(`${what}: not an organisation name`);
  return org;
}

function readSecret(value: unknown, what: string): Uint8Array {
  const secret = readBytes(value, what, undefined, MAX_ENROLL_SECRET_BYTES);
  if (secret.length < MIN_ENROLL_SECRET_BYTES)
    schemaError(`${what}: shorter than ${MIN_ENROLL_SECRET_BYTES} bytes`);
  return secret;
}

export function decodeCaRequest(bytes: Uint8Array): CaRequest {
  const value = decode(bytes, { maxBytes: MAX_ENROLL_REQUEST_BYTES });
  const common = ['type', 'org', 'time', 'nonce', 'signature'];
  const head = readRecord(value, 'ca', common, [...CA_FIELDS.enroll, ...CA_FIELDS.register]);
  const type = readEnum(head.type, 'ca.type', ['enroll', 'register'] as const);
  const r = readRecord(value, `ca ${type}`, [...common, ...CA_FIELDS[type]]);
  const org = readOrg(r.org, 'ca.org');
  const time = readUint(r.time, 'ca.time');
  const nonce = readBytes(r.nonce, 'ca.nonce', ENROLL_NONCE_BYTES);
  const signature = readBytes(r.signature, 'ca.signature', SIGNATURE_LENGTH);
  if (type === 'enroll') {
    return {
      type,
      org,
      id: readEnrollId(r.id, 'ca.id'),
      secret: readSecret(r.secret, 'ca.secret'),
      publicKey: readBytes(r.publicKey, 'ca.publicKey', PUBLIC_KEY_LENGTH),
      time,
      nonce,
      signature,
    };
  }
  const count = readUint(r.count, 'ca.count');
  if (count < 1 || count > MAX_ENROLL_REGISTRATIONS)
    schemaError(`ca.count: 1..${MAX_ENROLL_REGISTRATIONS}`);
  return {
    type,
    org,
    admin: readCertificate(r.admin, 'ca.admin'),
    peer: readBytes(r.peer, 'ca.peer', PUBLIC_KEY_LENGTH),
    count,
    ttlMs: readUint(r.ttlMs, 'ca.ttlMs'),
    time,
    nonce,
    signature,
  };
}

// --- answers -----------------------------------------------------------------

/**
 * The answer to `enroll`: the new certificate. A wallet believes it after
 * checking that it certifies its own key as a `client` of the org it asked,
 * and, knowing the org root (from the channel config), its signature.
 */
export function encodeEnrollResponse(cert: Certificate): Uint8Array {
  return encode({ cert: certificateToCbor(cert) });
}

export function decodeEnrollResponse(bytes: Uint8Array): Certificate {
  const r = readRecord(decode(bytes, { maxBytes: MAX_ENROLL_RESPONSE_BYTES }), 'enrolled', [
    'cert',
  ]);
  return readCertificate(r.cert, 'enrolled.cert');
}

/**
 * What is wrong with an enroll answer, or undefined when `cert` is what was
 * asked: a `client` of `org` for `publicKey`, valid at `at`, and (when the
 * org root is known) signed by it. A wallet checks this before keeping it.
 */
export async function enrolledCertificateProblem(
  cert: Certificate,
  expected: {
    org: string;
    publicKey: Uint8Array;
    at: number;
    rootKey?: Uint8Array;
    backend?: Ed25519Backend;
  },
): Promise<string | undefined> {
  if (cert.org !== expected.org) return `a certificate of ${cert.org}, not ${expected.org}`;
  if (cert.role !== 'client') return `a certificate of role ${cert.role}, not client`;
  if (toHex(cert.publicKey) !== toHex(expected.publicKey)) return 'a certificate of another key';
  if (expected.at < cert.notBefore || expected.at > cert.notAfter)
    return 'a certificate not valid now';
  if (
    expected.rootKey &&
    !(await verifyDomain({
      publicKey: expected.rootKey,
      domain: 'cert',
      bytes: certificateBodyBytes(cert),
      signature: cert.signature,
      backend: expected.backend,
    }))
  )
    return `a certificate not signed by the ${expected.org} root`;
  return undefined;
}

/** A registration as the admin receives it: the only time its secret is shown. */
export interface Registration {
  id: string;
  secret: Uint8Array;
  /** Milliseconds since the Unix epoch after which the secret is refused. */
  expiresAt: number;
}

export function encodeRegisterResponse(list: readonly Registration[]): Uint8Array {
  return encode({
    registrations: list.map((g) => ({ id: g.id, secret: g.secret, expiresAt: g.expiresAt })),
  });
}

export function decodeRegisterResponse(bytes: Uint8Array): Registration[] {
  const r = readRecord(decode(bytes, { maxBytes: MAX_ENROLL_RESPONSE_BYTES }), 'registered', [
    'registrations',
  ]);
  return readArray(r.registrations, 'registered.registrations', MAX_ENROLL_REGISTRATIONS).map(
    (g, i) => {
      const f = readRecord(g, `registered[${i}]`, ['id', 'secret', 'expiresAt']);
      return {
        id: readEnrollId(f.id, `registered[${i}].id`),
        secret: readSecret(f.secret, `registered[${i}].secret`),
        expiresAt: readUint(f.expiresAt, `registered[${i}].expiresAt`),
      };
    },
  );
}

// --- secrets as people see them --------------------------------------------------

/** A secret as shown to people and typed back: lower-case hex. */
export function formatEnrollSecret(secret: Uint8Array): string {
  return toHex(secret);
}

/** Reads a secret typed by a person (hex, any case, surrounding spaces ignored). */
export function parseEnrollSecret(text: string): Uint8Array {
  const hex = text.trim();
  const min = MIN_ENROLL_SECRET_BYTES * 2;
  const max = MAX_ENROLL_SECRET_BYTES * 2;
  if (hex.length < min || hex.length > max || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex))
    throw new CodecError(
      'CODEC_SCHEMA',
      `an enrollment secret is ${min}..${max} hex digits (an even number)`,
    );
  return fromHex(hex);
}
