// The CA service on generated material (the org root key read from
// root.key) and a real database: who may register, proof of possession,
// wrong org, wrong, reused and expired secrets, stale and malformed or
// oversized requests, rate limits, and certificates the channel's MSP
// accepts as clients.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type CaRequest,
  type Channel,
  concatBytes,
  decodeEnrollResponse,
  decodeRegisterResponse,
  ENROLL_MAX_SKEW_MS,
  ENROLL_NONCE_BYTES,
  type EnrollBody,
  encode,
  encodeCaRequest,
  enrollSignedBytes,
  issueCertificate,
  MAX_ENROLL_REQUEST_BYTES,
  type RegisterBody,
  type Registration,
  type Signer,
  signCaRequest,
  signerFromSecret,
} from '@weft/core';
import { devSecret } from '@weft/core/dev';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import { CERT_BACKDATE_MS, EnrollService } from '../../src/ca/index.js';
import { DEFAULT_CA } from '../../src/config/index.js';
import { type NodeDatabase, openNodeDatabase } from '../../src/ledger/index.js';
import {
  createChannelGenesis,
  generateMaterial,
  type LoadedMember,
  loadMember,
  loadOrgRootSigner,
  validateNetworkSpec,
} from '../../src/material/index.js';

const DAY = 86_400_000;
const wallet = await signerFromSecret(devSecret('enroll-service-test', 'wallet'));
const thief = await signerFromSecret(devSecret('enroll-service-test', 'thief'));
/** The admin CLI's connection key (a light client's PeerId key). */
const CONN = new Uint8Array(32).fill(0xc0);
const caller = (key = CONN, peer = 'peer-a') => ({ peer, publicKey: key });

describe('ca enroll service', () => {
  let dir: string;
  let db: NodeDatabase;
  let ca: EnrollService;
  let channel: Channel;
  let admin: LoadedMember;
  let org2Admin: LoadedMember;
  let client: LoadedMember;
  let clock = Date.now();
  const limits = { ...DEFAULT_CA, secretTtlMs: DAY, maxSecretTtlMs: 2 * DAY };

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'weft-ca-service-'));
    const spec = validateNetworkSpec({
      version: 1,
      validity: { days: 2 },
      orgs: [
        { name: 'Org1', kind: 'peer', peers: 1, clients: 1, admins: 1 },
        { name: 'Org2', kind: 'peer', peers: 1, admins: 1 },
        { name: 'OrdererOrg', kind: 'orderer', orderers: 1, addresses: ['/ip4/127.0.0.1/tcp/1'] },
        { name: 'CentralBank', kind: 'bank', centralBanks: 1 },
      ],
      channels: [{ name: 'weft', orgs: ['Org1', 'Org2', 'OrdererOrg', 'CentralBank'] }],
    });
    const materialDir = path.join(dir, 'material');
    await generateMaterial({ spec, outDir: materialDir });
    channel = (await createChannelGenesis({ spec, materialDir, channel: 'weft' })).channel;
    const orgs = path.join(materialDir, 'orgs');
    admin = await loadMember(path.join(orgs, 'Org1', 'admin0'));
    org2Admin = await loadMember(path.join(orgs, 'Org2', 'admin0'));
    client = await loadMember(path.join(orgs, 'Org1', 'client0'));
    db = await openNodeDatabase();
    await rejectsWithCode(
      () =>
        EnrollService.open({
          db,
          ca: { orgDir: path.join(orgs, 'Org2'), ...limits },
          nodeOrg: 'Org1',
        }),
      'CA_CONFIG',
    );
    ca = await EnrollService.open({
      db,
      ca: { orgDir: path.join(orgs, 'Org1'), ...limits },
      nodeOrg: 'Org1',
      now: () => clock,
    });
    assert.equal(ca.org, 'Org1');
  });

  after(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const nonce = () => crypto.getRandomValues(new Uint8Array(ENROLL_NONCE_BYTES));

  function registerBody(overrides: Partial<RegisterBody> = {}): RegisterBody {
    return {
      type: 'register',
      org: 'Org1',
      admin: admin.cert,
      peer: CONN,
      count: 1,
      ttlMs: 0,
      time: clock,
      nonce: nonce(),
      ...overrides,
    };
  }

  async function register(overrides: Partial<RegisterBody> = {}, as: Signer = admin.signer) {
    const req = await signCaRequest(as, registerBody(overrides));
    return decodeRegisterResponse(await ca.handle(encodeCaRequest(req), caller()));
  }

  function enrollBody(reg: Registration, overrides: Partial<EnrollBody> = {}): EnrollBody {
    return {
      type: 'enroll',
      org: 'Org1',
      id: reg.id,
      secret: reg.secret,
      publicKey: wallet.publicKey,
      time: clock,
      nonce: nonce(),
      ...overrides,
    };
  }

  async function enroll(reg: Registration, overrides: Partial<EnrollBody> = {}, as = wallet) {
    const req = await signCaRequest(as, enrollBody(reg, overrides));
    return decodeEnrollResponse(await ca.handle(encodeCaRequest(req), caller(undefined, 'w')));
  }

  it('an admin of the org registers secrets; the wallet enrolls; the channel MSP accepts it as a client', async () => {
    const list = await register({ count: 3 });
    assert.lengthOf(list, 3);
    for (const g of list) assert.equal(g.expiresAt, clock + DAY, 'the default lifetime');
    const cert = await enroll(list[0]!);
    assert.equal(cert.org, 'Org1');
    assert.equal(cert.role, 'client');
    assert.deepEqual(cert.publicKey, wallet.publicKey);
    assert.equal(cert.notBefore, clock - CERT_BACKDATE_MS);
    assert.equal(cert.notAfter, clock + DEFAULT_CA.certValidityMs);
    assert.isAtLeast(cert.serial, 2 ** 32);
    const who = await channel.msp.identify(cert, { at: clock, roles: ['client'] });
    assert.equal(who.org, 'Org1');
    const rec = await ca.store.get('Org1', list[0]!.id);
    assert.deepEqual(rec!.used, { at: clock, publicKey: wallet.publicKey, serial: cert.serial });
    assert.deepEqual(rec!.registrar, admin.cert.publicKey);
    const ttl = await register({ ttlMs: 2 * DAY });
    assert.equal(ttl[0]!.expiresAt, clock + 2 * DAY);
  });

  it('a reused, wrong or expired secret is refused', async () => {
    const [g] = await register();
    await enroll(g!);
    await rejectsWithCode(() => enroll(g!), 'ENROLL_SECRET_USED');
    const [h] = await register({ ttlMs: 60_000 });
    const wrong = h!.secret.slice();
    wrong[3]! ^= 0x80;
    await rejectsWithCode(() => enroll({ ...h!, secret: wrong }), 'ENROLL_BAD_SECRET');
    await rejectsWithCode(() => enroll({ ...h!, id: 'user-ffffffffff' }), 'ENROLL_BAD_SECRET');
    // Someone else's valid secret under this id is still the wrong secret.
    const [other] = await register();
    await rejectsWithCode(() => enroll({ ...h!, secret: other!.secret }), 'ENROLL_BAD_SECRET');
    const saved = clock;
    clock += 60_001;
    try {
      await rejectsWithCode(() => enroll(h!), 'ENROLL_SECRET_EXPIRED');
    } finally {
      clock = saved;
    }
    await enroll(h!);
  });

  it('proof of possession: a request not signed by the key it names is refused and spends nothing', async () => {
    const [g] = await register();
    // The thief knows the secret but not the wallet key: it signs for the wallet's key itself.
    const body = enrollBody(g!);
    const forged: CaRequest = {
      ...body,
      signature: await thief.sign('enroll', enrollSignedBytes(body)),
    };
    await rejectsWithCode(() => ca.handle(encodeCaRequest(forged), caller()), 'ENROLL_BAD_PROOF');
    // A signature by the right key over other bytes (another nonce) does not pass either.
    const other = await signCaRequest(wallet, enrollBody(g!));
    await rejectsWithCode(
      () => ca.handle(encodeCaRequest({ ...other, nonce: nonce() }), caller()),
      'ENROLL_BAD_PROOF',
    );
    // A register signature cannot be passed off as an enroll one (the type is signed).
    const reg = await signCaRequest(admin.signer, registerBody());
    await rejectsWithCode(
      () =>
        ca.handle(
          encodeCaRequest({ ...body, publicKey: admin.cert.publicKey, signature: reg.signature }),
          caller(),
        ),
      'ENROLL_BAD_PROOF',
    );
    assert.isNull((await ca.store.get('Org1', g!.id))!.used);
    const cert = await enroll(g!);
    assert.deepEqual(cert.publicKey, wallet.publicKey);
  });

  it('a request for another org, or far from the clock, is refused', async () => {
    const [g] = await register();
    await rejectsWithCode(() => enroll(g!, { org: 'Org2' }), 'ENROLL_WRONG_ORG');
    await rejectsWithCode(
      () => register({ org: 'Org2', admin: org2Admin.cert }, org2Admin.signer),
      'ENROLL_WRONG_ORG',
    );
    await rejectsWithCode(
      () => enroll(g!, { time: clock - ENROLL_MAX_SKEW_MS - 1 }),
      'ENROLL_STALE',
    );
    await rejectsWithCode(
      () => enroll(g!, { time: clock + ENROLL_MAX_SKEW_MS + 1 }),
      'ENROLL_STALE',
    );
    await rejectsWithCode(() => register({ time: clock - DAY }), 'ENROLL_STALE');
    assert.isNull((await ca.store.get('Org1', g!.id))!.used);
    await enroll(g!, { time: clock + ENROLL_MAX_SKEW_MS });
  });

  it('only an admin of the org, with a valid root-signed certificate, may register', async () => {
    await rejectsWithCode(
      () => register({ admin: client.cert }, client.signer),
      'ENROLL_FORBIDDEN',
    );
    await rejectsWithCode(
      () => register({ admin: org2Admin.cert }, org2Admin.signer),
      'ENROLL_FORBIDDEN',
    );
    const org1Root = await loadOrgRootSigner(path.dirname(admin.dir));
    const expired = await issueCertificate(org1Root.signer, {
      ...admin.cert,
      notBefore: clock - 2 * DAY,
      notAfter: clock - DAY,
    });
    await rejectsWithCode(() => register({ admin: expired }), 'ENROLL_FORBIDDEN');
    // An "admin certificate" for the thief's key, signed by the thief, not the org root.
    const selfMade = await issueCertificate(thief, { ...admin.cert, publicKey: thief.publicKey });
    await rejectsWithCode(() => register({ admin: selfMade }, thief), 'ENROLL_FORBIDDEN');
    // The real admin certificate, signed by someone else.
    const body = registerBody();
    const bad: CaRequest = {
      ...body,
      signature: await thief.sign('enroll', enrollSignedBytes(body)),
    };
    await rejectsWithCode(() => ca.handle(encodeCaRequest(bad), caller()), 'ENROLL_BAD_SIGNATURE');
  });

  it('register answers only on the connection it names, and within the maximum lifetime', async () => {
    const req = await signCaRequest(admin.signer, registerBody());
    const bytes = encodeCaRequest(req);
    await rejectsWithCode(
      () => ca.handle(bytes, caller(new Uint8Array(32).fill(1))),
      'ENROLL_WRONG_PEER',
    );
    await rejectsWithCode(() => ca.handle(bytes, { peer: 'p' }), 'ENROLL_WRONG_PEER');
    assert.lengthOf(decodeRegisterResponse(await ca.handle(bytes, caller())), 1);
    await rejectsWithCode(() => register({ ttlMs: 2 * DAY + 1 }), 'ENROLL_BAD_TTL');
  });

  it('malformed and oversized requests are codec errors, before any work', async () => {
    const good = encodeCaRequest(await signCaRequest(wallet, enrollBody((await register())[0]!)));
    const cases: [string, Uint8Array, string][] = [
      ['empty', new Uint8Array(), 'CODEC_MALFORMED'],
      ['garbage', Uint8Array.of(0xff, 0xfe, 0xfd), 'CODEC_MALFORMED'],
      ['truncated', good.subarray(0, good.length - 3), 'CODEC_MALFORMED'],
      ['trailing byte', concatBytes(good, Uint8Array.of(0)), 'CODEC_MALFORMED'],
      ['oversized', concatBytes(good, new Uint8Array(MAX_ENROLL_REQUEST_BYTES)), 'CODEC_TOO_LARGE'],
      ['a list', encode([1, 2, 3]), 'CODEC_SCHEMA'],
      ['unknown type', encode({ type: 'revoke', org: 'Org1' }), 'CODEC_SCHEMA'],
      ['missing signature', encode({ type: 'enroll', org: 'Org1', time: 1 }), 'CODEC_SCHEMA'],
    ];
    for (const [what, bytes, code] of cases) {
      let got: unknown;
      try {
        await ca.handle(bytes, caller(undefined, `malformed-${what}`));
      } catch (e) {
        got = e;
      }
      assert.equal((got as { code?: string })?.code, code, `${what}: ${String(got)}`);
    }
  });

  it('rate limits each caller and everyone together, refilling over the minute', async () => {
    const db2 = await openNodeDatabase();
    let now = clock;
    const root = await loadOrgRootSigner(path.dirname(admin.dir));
    const limited = new EnrollService({
      db: db2,
      root,
      limits: { ...limits, requestsPerPeerPerMinute: 3, requestsPerMinute: 5 },
      now: () => now,
    });
    const garbage = Uint8Array.of(0xff);
    const code = async (peer: string) => {
      try {
        await limited.handle(garbage, { peer });
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'answered';
    };
    for (let i = 0; i < 3; i++) assert.equal(await code('a'), 'CODEC_MALFORMED');
    assert.equal(await code('a'), 'ENROLL_RATE_LIMITED');
    assert.equal(await code('b'), 'CODEC_MALFORMED');
    assert.equal(await code('b'), 'CODEC_MALFORMED');
    assert.equal(await code('c'), 'ENROLL_RATE_LIMITED', 'the shared bucket is empty');
    now += 20_000; // a third of a minute: one token for a, 1.67 for everyone
    assert.equal(await code('a'), 'CODEC_MALFORMED');
    assert.equal(await code('a'), 'ENROLL_RATE_LIMITED');
    now += 60_000;
    assert.equal(await code('c'), 'CODEC_MALFORMED');
    await db2.close();
  });
});
