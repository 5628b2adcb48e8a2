import { assert, describe, it, throwsWithCode } from '@weft/test/harness';
import * as fc from 'fast-check';
import { concatBytes, equalBytes, toHex } from '../../src/bytes.js';
import { signerFromSecret } from '../../src/crypto/signing.js';
import { createDevNetwork, devSecret, issueDevMember } from '../../src/dev/index.js';
import { type CborValue, decode, encode } from '../../src/encoding/cbor.js';
import { CodecError } from '../../src/errors.js';
import { issueCertificate } from '../../src/identity/certificate.js';
import {
  type CaRequest,
  caRequestSignerKey,
  decodeCaRequest,
  decodeEnrollResponse,
  decodeRegisterResponse,
  ENROLL_NONCE_BYTES,
  ENROLL_SECRET_BYTES,
  type EnrollBody,
  encodeCaRequest,
  encodeEnrollResponse,
  encodeRegisterResponse,
  enrolledCertificateProblem,
  enrollSignedBytes,
  formatEnrollSecret,
  MAX_ENROLL_REGISTRATIONS,
  MAX_ENROLL_REQUEST_BYTES,
  MAX_ENROLL_RESPONSE_BYTES,
  MAX_ENROLL_SECRET_BYTES,
  parseEnrollSecret,
  type RegisterBody,
  type Registration,
  signCaRequest,
  verifyCaRequest,
} from '../../src/protocol/enroll.js';
import { PROTOCOLS } from '../../src/protocol/ids.js';

const net = await createDevNetwork({ seed: 'enroll-test' });
const org1 = net.orgs.find((o) => o.name === 'Org1')!;
const admin = await issueDevMember({
  org: org1,
  role: 'admin',
  name: 'admin0',
  seed: 'enroll-test',
  notBefore: net.time - 1000,
  notAfter: net.time + 1000,
});
const wallet = await signerFromSecret(devSecret('enroll-test', 'wallet'));

const filled = (n: number, b: number) => new Uint8Array(n).fill(b);

const enrollBody: EnrollBody = {
  type: 'enroll',
  org: 'Org1',
  id: 'user-0a1b2c',
  secret: filled(ENROLL_SECRET_BYTES, 7),
  publicKey: wallet.publicKey,
  time: net.time,
  nonce: filled(ENROLL_NONCE_BYTES, 9),
};
const registerBody: RegisterBody = {
  type: 'register',
  org: 'Org1',
  admin: admin.cert,
  peer: filled(32, 3),
  count: 2,
  ttlMs: 60_000,
  time: net.time,
  nonce: filled(ENROLL_NONCE_BYTES, 4),
};
const enrollReq = await signCaRequest(wallet, enrollBody);
const registerReq = await signCaRequest(admin.signer, registerBody);

type Obj = Record<string, CborValue>;
const DROP = Symbol('drop');

/** Re-encodes `bytes` with one top-level field set (or dropped): only the schema is wrong. */
function edit(bytes: Uint8Array, field: string, value: CborValue | typeof DROP): Uint8Array {
  const root = structuredClone(decode(bytes, { maxBytes: 1 << 20 })) as Obj;
  if (value === DROP) delete root[field];
  else root[field] = value;
  return encode(root);
}

function codecError(fn: () => unknown, what: string, code = 'CODEC_SCHEMA'): void {
  try {
    fn();
  } catch (err) {
    assert.instanceOf(err, CodecError, `${what}: ${String(err)}`);
    assert.equal((err as CodecError).code, code, `${what}: ${String(err)}`);
    return;
  }
  assert.fail(`${what}: decoded without an error`);
}

describe('/weft/enroll/1.0.0 messages', () => {
  it('is the enroll protocol id', () => {
    assert.equal(PROTOCOLS.enroll, '/weft/enroll/1.0.0');
  });

  it('both requests round-trip to the same bytes', () => {
    for (const r of [enrollReq, registerReq] as CaRequest[]) {
      const bytes = encodeCaRequest(r);
      assert.isAtMost(bytes.length, MAX_ENROLL_REQUEST_BYTES);
      const back = decodeCaRequest(bytes);
      assert.deepEqual(back, r);
      assert.isTrue(equalBytes(encodeCaRequest(back), bytes));
    }
  });

  it('signatures verify as the key each request names, and any change breaks them', async () => {
    assert.isTrue(await verifyCaRequest(enrollReq));
    assert.isTrue(await verifyCaRequest(registerReq));
    assert.deepEqual(caRequestSignerKey(enrollReq), wallet.publicKey);
    assert.deepEqual(caRequestSignerKey(registerReq), admin.cert.publicKey);
    const changes: CaRequest[] = [
      { ...enrollReq, org: 'Org2' },
      { ...enrollReq, id: 'user-other' },
      { ...enrollReq, secret: filled(ENROLL_SECRET_BYTES, 8) },
      { ...enrollReq, time: net.time + 1 },
      { ...enrollReq, nonce: filled(ENROLL_NONCE_BYTES, 1) },
      { ...enrollReq, publicKey: net.client.cert.publicKey },
      { ...registerReq, count: 3 },
      { ...registerReq, ttlMs: 1 },
      { ...registerReq, peer: filled(32, 4) },
      { ...registerReq, org: 'Org2' },
    ];
    for (const c of changes) assert.isFalse(await verifyCaRequest(c), JSON.stringify(c.type));
  });

  it('an enroll signature never passes as a register one: the type is signed', () => {
    const e = enrollSignedBytes(enrollBody);
    const r = enrollSignedBytes(registerBody);
    assert.equal((decode(e, { maxBytes: 1024 }) as Obj).type, 'enroll');
    assert.equal((decode(r, { maxBytes: 1024 }) as Obj).type, 'register');
  });

  it('refuses to sign with a key the request does not name', async () => {
    let err: unknown;
    try {
      await signCaRequest(net.client.signer, enrollBody);
    } catch (e) {
      err = e;
    }
    assert.instanceOf(err, RangeError);
  });

  it('rejects unknown, missing and mistyped fields, and fields of the other type', () => {
    for (const r of [enrollReq, registerReq] as CaRequest[]) {
      const bytes = encodeCaRequest(r);
      codecError(() => decodeCaRequest(edit(bytes, 'extra', 1)), `${r.type} + extra`);
      for (const f of Object.keys(decode(bytes, { maxBytes: 4096 }) as Obj)) {
        codecError(() => decodeCaRequest(edit(bytes, f, DROP)), `${r.type} without ${f}`);
        codecError(() => decodeCaRequest(edit(bytes, f, [1])), `${r.type}.${f} as a list`);
      }
    }
    codecError(
      () => decodeCaRequest(edit(encodeCaRequest(enrollReq), 'count', 1)),
      'enroll with count',
    );
    codecError(
      () => decodeCaRequest(edit(encodeCaRequest(registerReq), 'secret', filled(20, 1))),
      'register with secret',
    );
    codecError(() => decodeCaRequest(edit(encodeCaRequest(enrollReq), 'type', 'revoke')), 'type');
  });

  it('checks lengths and ranges of every field', () => {
    const e = encodeCaRequest(enrollReq);
    const g = encodeCaRequest(registerReq);
    const bad: [string, Uint8Array, string, CborValue][] = [
      ['short secret', e, 'secret', filled(15, 1)],
      ['long secret', e, 'secret', filled(MAX_ENROLL_SECRET_BYTES + 1, 1)],
      ['short key', e, 'publicKey', filled(31, 1)],
      ['short nonce', e, 'nonce', filled(ENROLL_NONCE_BYTES - 1, 1)],
      ['short signature', e, 'signature', filled(63, 1)],
      ['negative time', e, 'time', -1],
      ['id with a space', e, 'id', 'user 1'],
      ['id starting with a dot', e, 'id', '.user'],
      ['long id', e, 'id', 'u'.repeat(65)],
      ['empty id', e, 'id', ''],
      ['org with a space', e, 'org', 'Org 1'],
      ['empty org', e, 'org', ''],
      ['zero count', g, 'count', 0],
      ['too many', g, 'count', MAX_ENROLL_REGISTRATIONS + 1],
      ['short peer', g, 'peer', filled(31, 1)],
      ['admin not a certificate', g, 'admin', { org: 'Org1' }],
    ];
    for (const [what, bytes, field, value] of bad)
      codecError(() => decodeCaRequest(edit(bytes, field, value)), what);
  });

  it('rejects requests over the bound before decoding, and non-canonical bytes', () => {
    const bytes = encodeCaRequest(registerReq);
    const over = concatBytes(bytes, new Uint8Array(MAX_ENROLL_REQUEST_BYTES + 1 - bytes.length));
    codecError(() => decodeCaRequest(over), 'over bound', 'CODEC_TOO_LARGE');
    codecError(
      () => decodeCaRequest(concatBytes(bytes, Uint8Array.of(0))),
      'trailing byte',
      'CODEC_MALFORMED',
    );
    codecError(
      () => decodeCaRequest(bytes.subarray(0, bytes.length - 1)),
      'truncated',
      'CODEC_MALFORMED',
    );
    codecError(() => decodeCaRequest(new Uint8Array()), 'empty', 'CODEC_MALFORMED');
    codecError(() => decodeCaRequest(encode([1, 2])), 'a list');
  });

  it('never throws anything but a CodecError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeCaRequest(bytes);
        } catch (err) {
          assert.instanceOf(err, CodecError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers round-trip within their bound', () => {
    const cert = { ...net.client.cert, role: 'client' as const };
    assert.deepEqual(decodeEnrollResponse(encodeEnrollResponse(cert)), cert);
    const list: Registration[] = Array.from({ length: MAX_ENROLL_REGISTRATIONS }, (_, i) => ({
      id: `user-${'x'.repeat(57)}${i.toString().padStart(2, '0')}`,
      secret: filled(MAX_ENROLL_SECRET_BYTES, i),
      expiresAt: Number.MAX_SAFE_INTEGER,
    }));
    const bytes = encodeRegisterResponse(list);
    assert.isAtMost(bytes.length, MAX_ENROLL_RESPONSE_BYTES);
    assert.deepEqual(decodeRegisterResponse(bytes), list);
    assert.deepEqual(decodeRegisterResponse(encodeRegisterResponse([])), []);
    codecError(
      () => decodeRegisterResponse(encodeRegisterResponse([...list, list[0]!])),
      'too many registrations',
    );
    codecError(
      () => decodeRegisterResponse(encodeRegisterResponse([{ ...list[0]!, id: 'a b' }])),
      'bad id',
    );
    codecError(
      () => decodeEnrollResponse(encode({ cert: encode(cert as unknown as CborValue) })),
      'cert as bytes',
    );
    codecError(() => decodeEnrollResponse(encode({ cert: 1, extra: 2 })), 'extra field');
  });

  it('a wallet accepts only a client certificate of its org, for its key, valid now, root-signed', async () => {
    const body = {
      org: 'Org1',
      role: 'client' as const,
      publicKey: wallet.publicKey,
      notBefore: net.time - 10,
      notAfter: net.time + 10,
      serial: 2 ** 40,
    };
    const good = await issueCertificate(org1.root, body);
    const expected = { org: 'Org1', publicKey: wallet.publicKey, at: net.time };
    assert.isUndefined(await enrolledCertificateProblem(good, expected));
    assert.isUndefined(
      await enrolledCertificateProblem(good, { ...expected, rootKey: org1.root.publicKey }),
    );
    const org2 = net.orgs.find((o) => o.name === 'Org2')!;
    const bad: [string, Promise<string | undefined>][] = [
      ['other org', enrolledCertificateProblem(good, { ...expected, org: 'Org2' })],
      [
        'peer role',
        enrolledCertificateProblem(
          await issueCertificate(org1.root, { ...body, role: 'peer' }),
          expected,
        ),
      ],
      [
        'other key',
        enrolledCertificateProblem(good, { ...expected, publicKey: admin.cert.publicKey }),
      ],
      ['expired', enrolledCertificateProblem(good, { ...expected, at: net.time + 11 })],
      ['not yet valid', enrolledCertificateProblem(good, { ...expected, at: net.time - 11 })],
      [
        'other root',
        enrolledCertificateProblem(await issueCertificate(org2.root, body), {
          ...expected,
          rootKey: org1.root.publicKey,
        }),
      ],
    ];
    for (const [what, problem] of bad) assert.isString(await problem, what);
  });

  it('secrets are shown as hex and read back from what people type', () => {
    const secret = filled(ENROLL_SECRET_BYTES, 0xab);
    const text = formatEnrollSecret(secret);
    assert.equal(text, toHex(secret));
    assert.deepEqual(parseEnrollSecret(`  ${text.toUpperCase()}\n`), secret);
    for (const bad of ['', 'ab'.repeat(15), 'ab'.repeat(65), `${text}a`, `${text.slice(2)}zz`])
      throwsWithCode(() => parseEnrollSecret(bad), 'CODEC_SCHEMA');
  });
});
