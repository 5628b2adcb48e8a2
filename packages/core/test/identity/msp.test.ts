import { assert, describe, it, rejectsWithCode, throwsWithCode } from '@weft/test/harness';
import { devSecret } from '../../src/dev/index.js';
import {
  decodeCertificate,
  encodeCertificate,
  issueCertificate,
  Msp,
  signerFromSecret,
} from '../../src/index.js';

const root1 = await signerFromSecret(devSecret('msp', 'root1'));
const root2 = await signerFromSecret(devSecret('msp', 'root2'));
const holder = await signerFromSecret(devSecret('msp', 'holder'));
const msp = new Msp({
  orgs: [
    { name: 'Org1', rootKey: root1.publicKey },
    { name: 'Org2', rootKey: root2.publicKey },
  ],
});
const T = 1_000_000;
const body = {
  org: 'Org1',
  role: 'peer' as const,
  publicKey: holder.publicKey,
  notBefore: T,
  notAfter: T + 1000,
  serial: 7,
};
const cert = await issueCertificate(root1, body);

describe('identity: certificates and the MSP', () => {
  it('identifies a certificate signed by its org root, within its window', async () => {
    const who = await msp.identify(cert, { at: T + 500, roles: ['peer'], org: 'Org1' });
    assert.equal(who.org, 'Org1');
    assert.equal(who.role, 'peer');
    assert.deepEqual(who.publicKey, holder.publicKey);
  });

  it('the validity window is inclusive at both ends', async () => {
    await msp.identify(cert, { at: T });
    await msp.identify(cert, { at: T + 1000 });
  });

  it('rejects expired and not-yet-valid certificates', async () => {
    await rejectsWithCode(() => msp.identify(cert, { at: T + 1001 }), 'CERT_EXPIRED');
    await rejectsWithCode(() => msp.identify(cert, { at: T - 1 }), 'CERT_NOT_YET_VALID');
  });

  it('rejects the wrong org and the wrong role', async () => {
    await rejectsWithCode(() => msp.identify(cert, { at: T, org: 'Org2' }), 'CERT_WRONG_ORG');
    await rejectsWithCode(
      () => msp.identify(cert, { at: T, roles: ['client', 'admin'] }),
      'CERT_WRONG_ROLE',
    );
  });

  it('rejects a certificate signed by another org root, or claiming an unknown org', async () => {
    const byOtherRoot = await issueCertificate(root2, body);
    await rejectsWithCode(() => msp.identify(byOtherRoot, { at: T }), 'CERT_BAD_SIGNATURE');
    const unknown = await issueCertificate(root1, { ...body, org: 'Org9' });
    await rejectsWithCode(() => msp.identify(unknown, { at: T }), 'CERT_UNKNOWN_ORG');
  });

  it('rejects unsigned or altered certificates (every field is signed)', async () => {
    await rejectsWithCode(
      () => msp.identify({ ...cert, signature: new Uint8Array(64) }, { at: T }),
      'CERT_BAD_SIGNATURE',
    );
    await rejectsWithCode(
      () => msp.identify({ ...cert, role: 'admin' }, { at: T }),
      'CERT_BAD_SIGNATURE',
    );
    await rejectsWithCode(
      () => msp.identify({ ...cert, notAfter: T + 5000 }, { at: T + 2000 }),
      'CERT_BAD_SIGNATURE',
    );
    await rejectsWithCode(
      () => msp.identify({ ...cert, serial: 8 }, { at: T }),
      'CERT_BAD_SIGNATURE',
    );
    await rejectsWithCode(
      () => msp.identify({ ...cert, publicKey: root1.publicKey }, { at: T }),
      'CERT_BAD_SIGNATURE',
    );
  });

  it('a cached verdict is per exact certificate: a good cert does not vouch for a tampered twin', async () => {
    await msp.identify(cert, { at: T });
    const twin = { ...cert, serial: 99 };
    await rejectsWithCode(() => msp.identify(twin, { at: T }), 'CERT_BAD_SIGNATURE');
  });

  it('rejects an empty validity window', async () => {
    const inverted = await issueCertificate(root1, { ...body, notBefore: T + 10, notAfter: T });
    await rejectsWithCode(() => msp.identify(inverted, { at: T + 5 }), 'CERT_BAD_VALIDITY');
  });

  it('certificates round-trip through their canonical encoding and reject unknown fields', () => {
    const bytes = encodeCertificate(cert);
    assert.deepEqual(decodeCertificate(bytes), cert);
    throwsWithCode(() => decodeCertificate(bytes.slice(0, -1)), 'CODEC_MALFORMED');
  });

  it('identifyKnown waits for nothing once a verdict is known, and answers as identify does', async () => {
    const fresh = new Msp({ orgs: [{ name: 'Org1', rootKey: root1.publicKey }] });
    const c = await issueCertificate(root1, { ...body, serial: 41 });
    // Not yet verified: no answer without waiting.
    assert.isUndefined(fresh.identifyKnown(c, { at: T }));
    const viaAsync = await fresh.identify(c, { at: T, roles: ['peer'] });
    const known = fresh.identifyKnown(c, { at: T, roles: ['peer'] });
    assert.deepEqual(known, viaAsync);
    // The checks that need no signature still run every time, with identify's codes.
    throwsWithCode(() => fresh.identifyKnown(c, { at: T + 1001 }), 'CERT_EXPIRED');
    throwsWithCode(() => fresh.identifyKnown(c, { at: T, roles: ['client'] }), 'CERT_WRONG_ROLE');
    throwsWithCode(() => fresh.identifyKnown(c, { at: T, org: 'Org2' }), 'CERT_WRONG_ORG');
    // A known bad signature is known too.
    const forged = { ...c, signature: c.signature.slice() };
    forged.signature[5]! ^= 1;
    await rejectsWithCode(() => fresh.identify(forged, { at: T }), 'CERT_BAD_SIGNATURE');
    throwsWithCode(() => fresh.identifyKnown(forged, { at: T }), 'CERT_BAD_SIGNATURE');
  });

  it('a verdict is for the certificate as it was: changing a cached object in place is noticed', async () => {
    const fresh = new Msp({ orgs: [{ name: 'Org1', rootKey: root1.publicKey }] });
    const c = await issueCertificate(root1, { ...body, serial: 42 });
    await fresh.identify(c, { at: T });
    c.publicKey = c.publicKey.slice();
    c.publicKey[0]! ^= 1;
    await rejectsWithCode(() => fresh.identify(c, { at: T }), 'CERT_BAD_SIGNATURE');
    c.publicKey[0]! ^= 1;
    await fresh.identify(c, { at: T });
    c.signature[63]! ^= 1;
    await rejectsWithCode(() => fresh.identify(c, { at: T }), 'CERT_BAD_SIGNATURE');
  });

  it('certificates whose signatures share the cache bucket keep their own verdicts', async () => {
    const fresh = new Msp({ orgs: [{ name: 'Org1', rootKey: root1.publicKey }] });
    const good = await issueCertificate(root1, { ...body, serial: 43 });
    // Same first bytes and last byte (the bucket), different signatures: all forgeries.
    const twins = Array.from({ length: 5 }, (_, i) => {
      const signature = good.signature.slice();
      signature[10]! ^= i + 1;
      return { ...good, signature };
    });
    for (const twin of twins)
      await rejectsWithCode(() => fresh.identify(twin, { at: T }), 'CERT_BAD_SIGNATURE');
    const who = await fresh.identify(good, { at: T });
    assert.equal(who.org, 'Org1');
    for (const twin of twins)
      throwsWithCode(() => fresh.identifyKnown(twin, { at: T }), 'CERT_BAD_SIGNATURE');
  });
});
