import { timingSafeEqual } from 'node:crypto';
import {
  type CborValue,
  CodecError,
  concatBytes,
  decode,
  ENROLL_SECRET_BYTES,
  encode,
  HASH_LENGTH,
  PUBLIC_KEY_LENGTH,
  readBytes,
  readEnrollId,
  readRecord,
  readString,
  readUint,
  sha256,
  toHex,
  utf8,
} from '@weft/core';
import type { AbstractBatchOptions, AbstractSublevel } from 'abstract-level';
import type { LevelFormat, NodeDatabase } from '../ledger/database.js';
import { CaError } from './errors.js';

/** Top-level namespace of CA data in the node's database, beside 'ledger' and 'orderer'. See LAYOUT.md. */
export const CA_NAMESPACE = 'ca';
export const REGISTRATIONS_TABLE = 'registrations';
/** Random bytes of salt per secret. */
export const SALT_BYTES = 16;
/** Largest stored registration record (a used one is about 200 bytes). */
const MAX_RECORD_BYTES = 512;
/** Domain of the secret hash, so a stored hash is never another protocol's hash. */
const SECRET_HASH_DOMAIN = utf8('weft/v1/enroll-secret\0');
const ENCODINGS = { keyEncoding: 'view', valueEncoding: 'view' } as const;

type Table = AbstractSublevel<NodeDatabase, LevelFormat, Uint8Array, Uint8Array>;

/** What the node keeps of a registration: never the secret, only its salted hash. */
export interface RegistrationRecord {
  org: string;
  id: string;
  salt: Uint8Array;
  /** SHA-256("weft/v1/enroll-secret\0" || salt || secret). */
  hash: Uint8Array;
  createdAt: number;
  expiresAt: number;
  /** The admin key that registered it. */
  registrar: Uint8Array;
  /** Set, in the same write that redeems the secret, when it has been used. */
  used: { at: number; publicKey: Uint8Array; serial: number } | null;
}

/** A new registration: the record stored and the secret, which exists only in this answer. */
export interface NewRegistration {
  record: RegistrationRecord;
  secret: Uint8Array;
}

/** What a redeeming caller produced with the secret (a certificate), recorded as the use. */
export interface Redeemed<T> {
  value: T;
  publicKey: Uint8Array;
  serial: number;
}

export function secretHash(salt: Uint8Array, secret: Uint8Array): Uint8Array {
  return sha256(concatBytes(SECRET_HASH_DOMAIN, salt, secret));
}

function recordToCbor(r: RegistrationRecord): CborValue {
  return {
    org: r.org,
    id: r.id,
    salt: r.salt,
    hash: r.hash,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    registrar: r.registrar,
    used:
      r.used === null
        ? null
        : { at: r.used.at, publicKey: r.used.publicKey, serial: r.used.serial },
  };
}

function readRecordValue(bytes: Uint8Array): RegistrationRecord {
  const r = readRecord(decode(bytes, { maxBytes: MAX_RECORD_BYTES }), 'registration', [
    'org',
    'id',
    'salt',
    'hash',
    'createdAt',
    'expiresAt',
    'registrar',
    'used',
  ]);
  let used: RegistrationRecord['used'] = null;
  if (r.used !== null) {
    const u = readRecord(r.used, 'registration.used', ['at', 'publicKey', 'serial']);
    used = {
      at: readUint(u.at, 'registration.used.at'),
      publicKey: readBytes(u.publicKey, 'registration.used.publicKey', PUBLIC_KEY_LENGTH),
      serial: readUint(u.serial, 'registration.used.serial'),
    };
  }
  return {
    org: readString(r.org, 'registration.org', 64),
    id: readEnrollId(r.id, 'registration.id'),
    salt: readBytes(r.salt, 'registration.salt', SALT_BYTES),
    hash: readBytes(r.hash, 'registration.hash', HASH_LENGTH),
    createdAt: readUint(r.createdAt, 'registration.createdAt'),
    expiresAt: readUint(r.expiresAt, 'registration.expiresAt'),
    registrar: readBytes(r.registrar, 'registration.registrar', PUBLIC_KEY_LENGTH),
    used,
  };
}

/** `utf8(org + '/' + id)`: neither an org name nor an id can hold '/'. */
function keyOf(org: string, id: string): Uint8Array {
  return utf8(`${org}/${id}`);
}

/** A fresh enrollment id: `user-` and 10 random hex digits. */
function randomId(): string {
  return `user-${toHex(crypto.getRandomValues(new Uint8Array(5)))}`;
}

/** classic-level's option; abstract-level's types do not list it, memory-level ignores it. */
const SYNC = { sync: true } as unknown as AbstractBatchOptions<Uint8Array, Uint8Array>;

/** Per-database locks: one registration is read, checked and marked used by one caller at a time. */
const locks = new WeakMap<NodeDatabase, Map<string, Promise<void>>>();

/**
 * The CA's registrations in the node's database (`!ca!!registrations!`,
 * LAYOUT.md). A secret is single-use: redeeming it reads the record,
 * checks it and writes it back marked used while holding that
 * registration's lock, and the node's database belongs to one process
 * (LevelDB's lock), so no two redemptions of one secret can both succeed.
 */
export class RegistrationStore {
  readonly #table: Table;
  readonly #locks: Map<string, Promise<void>>;

  constructor(db: NodeDatabase) {
    this.#table = db.sublevel<Uint8Array, Uint8Array>(
      [CA_NAMESPACE, REGISTRATIONS_TABLE],
      ENCODINGS,
    ) as Table;
    let map = locks.get(db);
    if (!map) {
      map = new Map();
      locks.set(db, map);
    }
    this.#locks = map;
  }

  /** Creates `count` registrations of `org` with fresh random ids and secrets. */
  async register(options: {
    org: string;
    count: number;
    expiresAt: number;
    registrar: Uint8Array;
    now: number;
  }): Promise<NewRegistration[]> {
    const out: NewRegistration[] = [];
    for (let i = 0; i < options.count; i++) {
      const secret = crypto.getRandomValues(new Uint8Array(ENROLL_SECRET_BYTES));
      const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
      let record: RegistrationRecord | undefined;
      // 40 random bits: a clash is unlikely, and never an overwrite.
      while (!record) {
        const rec: RegistrationRecord = {
          org: options.org,
          id: randomId(),
          salt,
          hash: secretHash(salt, secret),
          createdAt: options.now,
          expiresAt: options.expiresAt,
          registrar: options.registrar,
          used: null,
        };
        record = await this.#locked(rec.org, rec.id, async () => {
          if (await this.get(rec.org, rec.id)) return undefined;
          await this.#put(rec);
          return rec;
        });
      }
      out.push({ record, secret });
    }
    return out;
  }

  async get(org: string, id: string): Promise<RegistrationRecord | undefined> {
    const bytes = await this.#table.get(keyOf(org, id));
    return bytes === undefined ? undefined : this.#decode(bytes, `${org}/${id}`);
  }

  /** Every registration of `org` (or of every org), in id order. */
  async list(org?: string): Promise<RegistrationRecord[]> {
    const range = org === undefined ? {} : { gte: utf8(`${org}/`), lt: utf8(`${org}0`) };
    const out: RegistrationRecord[] = [];
    for await (const [key, value] of this.#table.iterator(range)) {
      out.push(this.#decode(value, new TextDecoder().decode(key)));
    }
    return out;
  }

  /**
   * Redeems a secret: under the registration's lock, checks that it exists
   * and that `secret` is its secret (hashes compared in constant time),
   * that it is unused and unexpired at `now`, then runs `issue` and stores
   * the registration as used by what `issue` returned, in one write,
   * before answering. A failing `issue` leaves the secret unused.
   */
  async redeem<T>(options: {
    org: string;
    id: string;
    secret: Uint8Array;
    now: number;
    issue: (record: RegistrationRecord) => Promise<Redeemed<T>>;
  }): Promise<T> {
    const { org, id, secret, now } = options;
    return this.#locked(org, id, async () => {
      const rec = await this.get(org, id);
      // An unknown id costs the same hash as a wrong secret, and answers the same.
      const salt = rec?.salt ?? new Uint8Array(SALT_BYTES);
      const given = secretHash(salt, secret);
      const matches = timingSafeEqual(given, rec?.hash ?? new Uint8Array(HASH_LENGTH)) && !!rec;
      if (!rec || !matches)
        throw new CaError('ENROLL_BAD_SECRET', `no registration ${id} of ${org} with this secret`);
      if (rec.used)
        throw new CaError('ENROLL_SECRET_USED', `the secret of ${id} has been used already`);
      if (now > rec.expiresAt)
        throw new CaError(
          'ENROLL_SECRET_EXPIRED',
          `the secret of ${id} expired at ${new Date(rec.expiresAt).toISOString()}`,
        );
      const done = await options.issue(rec);
      await this.#put({
        ...rec,
        used: { at: now, publicKey: done.publicKey, serial: done.serial },
      });
      return done.value;
    });
  }

  /** Deletes registrations that expired before `before` (used or not); returns how many. */
  async prune(before: number): Promise<number> {
    const keys: Uint8Array[] = [];
    for await (const [key, value] of this.#table.iterator()) {
      if (this.#decode(value, new TextDecoder().decode(key)).expiresAt < before) keys.push(key);
    }
    if (keys.length > 0)
      await this.#table.batch(
        keys.map((key) => ({ type: 'del', key })),
        SYNC,
      );
    return keys.length;
  }

  async #put(rec: RegistrationRecord): Promise<void> {
    // fsync: an answered enrollment must never come back unused after a power cut.
    await this.#table.put(keyOf(rec.org, rec.id), encode(recordToCbor(rec)), SYNC);
  }

  #decode(bytes: Uint8Array, what: string): RegistrationRecord {
    try {
      return readRecordValue(bytes);
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      throw new CaError('CA_STORE_CORRUPT', `registration ${what}: ${err.message}`, {
        cause: err,
      });
    }
  }

  /** Runs `fn` once every earlier holder of this registration's lock is done. */
  async #locked<T>(org: string, id: string, fn: () => Promise<T>): Promise<T> {
    const key = `${org}/${id}`;
    const previous = this.#locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#locks.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    }
  }
}
