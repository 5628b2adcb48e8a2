// The CA's registration store on a real database (memory-level, and
// classic-level on disk for reopening): secrets kept only as salted hashes,
// single use under concurrent redemption, expiry, pruning, corrupt records.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ENROLL_SECRET_BYTES, encode, toHex, utf8 } from '@weft/core';
import { after, assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import {
  CA_NAMESPACE,
  REGISTRATIONS_TABLE,
  RegistrationStore,
  SALT_BYTES,
  secretHash,
} from '../../src/ca/index.js';
import { type NodeDatabase, openNodeDatabase } from '../../src/ledger/index.js';

const NOW = 1_750_000_000_000;
const REGISTRAR = new Uint8Array(32).fill(0xad);
const KEY = new Uint8Array(32).fill(0x11);

async function everything(db: NodeDatabase): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const [k, v] of db.iterator()) out.push(k, v);
  return out;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return toHex(haystack).includes(toHex(needle));
}

/** Registers `count` Org1 secrets, expiring at `expiresAt`, by REGISTRAR at NOW. */
const register = (store: RegistrationStore, count = 1, expiresAt = NOW + 60_000) =>
  store.register({ org: 'Org1', count, expiresAt, registrar: REGISTRAR, now: NOW });

const issued = (serial: number) => async () => ({
  value: `cert ${serial}`,
  publicKey: KEY,
  serial,
});

describe('ca registration store', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('stores a salted hash, never the secret, under !ca!!registrations!org/id', async () => {
    const db = await openNodeDatabase();
    const store = new RegistrationStore(db);
    const [a, b] = await register(store, 2);
    assert.isDefined(a);
    assert.isDefined(b);
    assert.equal(a!.secret.length, ENROLL_SECRET_BYTES);
    assert.match(a!.record.id, /^user-[0-9a-f]{10}$/);
    assert.notEqual(a!.record.id, b!.record.id);
    assert.notEqual(toHex(a!.secret), toHex(b!.secret));
    assert.notEqual(toHex(a!.record.salt), toHex(b!.record.salt));
    assert.equal(a!.record.salt.length, SALT_BYTES);
    assert.deepEqual(a!.record.hash, secretHash(a!.record.salt, a!.secret));
    assert.isNull(a!.record.used);

    const raw = await everything(db);
    assert.equal(raw.length, 4);
    const keys = [raw[0]!, raw[2]!].map((k) => new TextDecoder().decode(k)).sort();
    assert.deepEqual(
      keys,
      [a!.record.id, b!.record.id]
        .sort()
        .map((id) => `!${CA_NAMESPACE}!!${REGISTRATIONS_TABLE}!Org1/${id}`),
    );
    for (const bytes of raw) {
      assert.isFalse(contains(bytes, a!.secret), 'secret a stored');
      assert.isFalse(contains(bytes, b!.secret), 'secret b stored');
      // Nor a bare hash of it, which would be as good as the secret for a known-hash lookup.
      assert.isFalse(contains(bytes, secretHash(new Uint8Array(SALT_BYTES), a!.secret)));
    }
    assert.deepEqual(await store.get('Org1', a!.record.id), a!.record);
    assert.lengthOf(await store.list('Org1'), 2);
    assert.lengthOf(await store.list('Org2'), 0);
    await db.close();
  });

  it('redeems a secret once; a wrong secret, an unknown id or another org get the same refusal', async () => {
    const db = await openNodeDatabase();
    const store = new RegistrationStore(db);
    const [reg] = await register(store);
    const { id } = reg!.record;
    const wrong = reg!.secret.slice();
    wrong[0]! ^= 1;
    const tries: [string, string, Uint8Array][] = [
      ['wrong secret', id, wrong],
      ['unknown id', 'user-0000000000', reg!.secret],
      ['short secret', id, reg!.secret.subarray(0, 16)],
    ];
    for (const [what, tryId, secret] of tries) {
      await rejectsWithCode(
        () => store.redeem({ org: 'Org1', id: tryId, secret, now: NOW, issue: issued(1) }),
        'ENROLL_BAD_SECRET',
      );
      assert.isNull((await store.get('Org1', id))!.used, what);
    }
    await rejectsWithCode(
      () => store.redeem({ org: 'Org2', id, secret: reg!.secret, now: NOW, issue: issued(1) }),
      'ENROLL_BAD_SECRET',
    );
    const got = await store.redeem({
      org: 'Org1',
      id,
      secret: reg!.secret,
      now: NOW + 5,
      issue: issued(42),
    });
    assert.equal(got, 'cert 42');
    assert.deepEqual((await store.get('Org1', id))!.used, {
      at: NOW + 5,
      publicKey: KEY,
      serial: 42,
    });
    await rejectsWithCode(
      () => store.redeem({ org: 'Org1', id, secret: reg!.secret, now: NOW, issue: issued(43) }),
      'ENROLL_SECRET_USED',
    );
    await db.close();
  });

  it('exactly one of many concurrent redemptions of one secret succeeds, on disk too', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-ca-store-'));
    dirs.push(dir);
    const db = await openNodeDatabase({ path: dir });
    // Two store objects over one database share the registration locks.
    const stores = [new RegistrationStore(db), new RegistrationStore(db)];
    const [reg] = await register(stores[0]!);
    let issuedCount = 0;
    const attempts = Array.from({ length: 24 }, (_, i) =>
      stores[i % 2]!.redeem({
        org: 'Org1',
        id: reg!.record.id,
        secret: reg!.secret,
        now: NOW,
        issue: async () => {
          issuedCount++;
          // Yield, so a racing redemption would have its chance to read the record unused.
          await new Promise((r) => setTimeout(r, 2));
          return { value: i, publicKey: KEY, serial: i };
        },
      }),
    );
    const results = await Promise.allSettled(attempts);
    const ok = results.filter((r) => r.status === 'fulfilled');
    assert.lengthOf(ok, 1);
    assert.equal(issuedCount, 1);
    for (const r of results) {
      if (r.status === 'rejected')
        assert.equal((r.reason as { code: string }).code, 'ENROLL_SECRET_USED');
    }
    const winner = (ok[0] as PromiseFulfilledResult<number>).value;
    await db.close();

    // Reopened: still used, by the winner's certificate.
    const again = await openNodeDatabase({ path: dir });
    const rec = await new RegistrationStore(again).get('Org1', reg!.record.id);
    assert.deepEqual(rec!.used, { at: NOW, publicKey: KEY, serial: winner });
    await again.close();
  });

  it('a failed issue leaves the secret unused', async () => {
    const db = await openNodeDatabase();
    const store = new RegistrationStore(db);
    const [reg] = await register(store);
    const redeem = (
      issue: () => Promise<{ value: string; publicKey: Uint8Array; serial: number }>,
    ) => store.redeem({ org: 'Org1', id: reg!.record.id, secret: reg!.secret, now: NOW, issue });
    let err: unknown;
    try {
      await redeem(async () => {
        throw new Error('signing failed');
      });
    } catch (e) {
      err = e;
    }
    assert.equal((err as Error).message, 'signing failed');
    assert.isNull((await store.get('Org1', reg!.record.id))!.used);
    assert.equal(await redeem(issued(7)), 'cert 7');
    await db.close();
  });

  it('refuses an expired secret (only to one who knows it), and prunes long-expired records', async () => {
    const db = await openNodeDatabase();
    const store = new RegistrationStore(db);
    const [old] = await register(store, 1, NOW + 1000);
    const [fresh] = await register(store, 1, NOW + 10_000);
    const at = (now: number, reg = old!) =>
      store.redeem({ org: 'Org1', id: reg.record.id, secret: reg.secret, now, issue: issued(1) });
    await rejectsWithCode(() => at(NOW + 1001), 'ENROLL_SECRET_EXPIRED');
    const wrong = new Uint8Array(ENROLL_SECRET_BYTES);
    await rejectsWithCode(
      () =>
        store.redeem({
          org: 'Org1',
          id: old!.record.id,
          secret: wrong,
          now: NOW + 1001,
          issue: issued(1),
        }),
      'ENROLL_BAD_SECRET',
    );
    assert.equal(await at(NOW + 1000), 'cert 1', 'usable up to and including expiresAt');
    assert.equal(await store.prune(NOW + 5000), 1);
    assert.isUndefined(await store.get('Org1', old!.record.id));
    assert.isDefined(await store.get('Org1', fresh!.record.id));
    assert.equal(await store.prune(NOW), 0);
    await db.close();
  });

  it('reports a record that does not decode as CA_STORE_CORRUPT, naming it', async () => {
    const db = await openNodeDatabase();
    const store = new RegistrationStore(db);
    const table = db.sublevel<Uint8Array, Uint8Array>([CA_NAMESPACE, REGISTRATIONS_TABLE], {
      keyEncoding: 'view',
      valueEncoding: 'view',
    });
    await table.put(utf8('Org1/user-bad'), encode({ org: 'Org1', id: 'user-bad' }));
    await rejectsWithCode(() => store.get('Org1', 'user-bad'), 'CA_STORE_CORRUPT');
    await rejectsWithCode(() => store.list('Org1'), 'CA_STORE_CORRUPT');
    await table.put(utf8('Org1/user-bad'), Uint8Array.of(0xff, 0x00));
    let message = '';
    try {
      await store.get('Org1', 'user-bad');
    } catch (e) {
      message = (e as Error).message;
    }
    assert.include(message, 'Org1/user-bad');
    await db.close();
  });
});
