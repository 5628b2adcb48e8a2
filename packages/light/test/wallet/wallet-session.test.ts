import {
  type Ed25519Backend,
  issueCertificate,
  nobleEd25519,
  randomSecretKey,
  signerFromSecret,
  utf8,
  verifyDomain,
} from '@weft/core';
import { assert, describe, it, rejectsWithCode, throwsWithCode } from '@weft/test/harness';
import {
  type LockReason,
  readVaultHeader,
  requestPersistence,
  type VaultStore,
  WalletSession,
  type WalletSessionOptions,
} from '../../src/wallet/index.js';
import {
  ABANDON_12,
  checkStoreContract,
  FAKE_PASS,
  FAST,
  FakeTimers,
  mapStore,
} from './helpers.js';

const PASS = FAKE_PASS;

/** An Ed25519 backend that remembers the secret arrays it signed with, to see them wiped. */
function spyBackend(): Ed25519Backend & { secrets: Uint8Array[] } {
  const secrets: Uint8Array[] = [];
  return {
    name: 'spy',
    secrets,
    verify: nobleEd25519.verify,
    getPublicKey: nobleEd25519.getPublicKey,
    sign(secretKey, message) {
      secrets.push(secretKey);
      return nobleEd25519.sign(secretKey, message);
    },
  };
}

interface Fixture {
  store: VaultStore;
  timers: FakeTimers;
  locks: LockReason[];
  options: WalletSessionOptions;
}

function fixture(extra: Partial<WalletSessionOptions> = {}): Fixture {
  const store = mapStore();
  const timers = new FakeTimers();
  const locks: LockReason[] = [];
  const options: WalletSessionOptions = {
    store,
    name: 'alice',
    timers,
    idleTimeoutMs: 60_000,
    policy: FAST,
    onLock: (reason) => locks.push(reason),
    ...extra,
  };
  return { store, timers, locks, options };
}

const create = (f: Fixture, mnemonic = ABANDON_12) =>
  WalletSession.create({ ...f.options, passphrase: PASS, mnemonic, labels: ['FBC'] });

describe('wallet: session', () => {
  it('runs over a test store that keeps the VaultStore contract', async () => {
    await checkStoreContract(mapStore());
  });

  it('create, lock, unlock: the same keys come back and sign verifiably', async () => {
    const f = fixture();
    const session = await create(f);
    assert.isFalse(session.isLocked);
    const before = await session.ownerKey(0);
    session.lock();
    assert.isTrue(session.isLocked);
    assert.deepEqual(f.locks, ['manual']);
    throwsWithCode(() => session.metadata(), 'WALLET_LOCKED');
    await rejectsWithCode(() => session.ownerKey(0), 'WALLET_LOCKED');

    const report = await new WalletSession(f.options).unlock(PASS);
    assert.deepEqual(report, { kdfUpgraded: false });
    const again = new WalletSession(f.options);
    await again.unlock(PASS);
    const after = await again.ownerKey(0);
    assert.deepEqual(after.publicKey, before.publicKey);
    const bytes = utf8('spend 5 FBC');
    const signature = await after.signer.sign('fabcoin-auth', bytes);
    assert.isTrue(
      await verifyDomain({ publicKey: after.publicKey, domain: 'fabcoin-auth', bytes, signature }),
    );
    assert.deepEqual(again.metadata().labels, ['FBC']);
    assert.notProperty(again.metadata(), 'mnemonic');
  });

  it('a wrong passphrase fails cleanly and leaves the session locked', async () => {
    const f = fixture();
    (await create(f)).lock();
    const session = new WalletSession(f.options);
    await rejectsWithCode(() => session.unlock('not the passphrase'), 'WALLET_BAD_PASSPHRASE');
    assert.isTrue(session.isLocked);
    await session.unlock(PASS);
    assert.isFalse(session.isLocked);
  });

  it('auto-locks after the idle timeout; activity restarts the countdown', async () => {
    const f = fixture();
    const session = await create(f);
    f.timers.advance(59_999);
    assert.isFalse(session.isLocked);
    const key = await session.ownerKey(1); // activity
    f.timers.advance(59_999);
    await key.signer.sign('test', utf8('still open')); // activity too
    f.timers.advance(59_999);
    assert.isFalse(session.isLocked);
    assert.deepEqual(f.locks, []);
    f.timers.advance(1);
    assert.deepEqual(f.locks, ['idle']);
    assert.isTrue(session.isLocked);
    assert.equal(f.timers.pending, 0);
    await rejectsWithCode(() => key.signer.sign('test', utf8('x')), 'WALLET_LOCKED');
  });

  it('an unlock long after the last one starts a fresh countdown', async () => {
    const f = fixture();
    const session = await create(f);
    session.lock();
    f.timers.advance(24 * 3600_000);
    await session.unlock(PASS);
    assert.isFalse(session.isLocked);
    f.timers.advance(59_999);
    assert.isFalse(session.isLocked);
    f.timers.advance(1);
    assert.isTrue(session.isLocked);
    assert.deepEqual(f.locks, ['manual', 'idle']);
  });

  it('locks on the clock even when the timer is late (a sleeping device)', async () => {
    const f = fixture();
    const session = await create(f);
    f.timers.advance(10 * 60_000, false);
    await rejectsWithCode(() => session.ownerKey(0), 'WALLET_LOCKED');
    assert.deepEqual(f.locks, ['idle']);
  });

  it('Infinity turns auto-lock off; bad timeouts are refused', async () => {
    const f = fixture({ idleTimeoutMs: Number.POSITIVE_INFINITY });
    const session = await create(f);
    f.timers.advance(365 * 24 * 3600_000);
    assert.isFalse(session.isLocked);
    for (const idleTimeoutMs of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new WalletSession({ ...f.options, idleTimeoutMs }), RangeError);
    }
  });

  it('lock zeroes the secrets and kills handed-out signers, even after a new unlock', async () => {
    const backend = spyBackend();
    const f = fixture({ backend });
    const session = await create(f);
    const key = await session.ownerKey(0);
    await key.signer.sign('test', utf8('a'));
    const secret = backend.secrets[0]!;
    assert.isTrue(secret.some((b) => b !== 0));
    session.lock();
    assert.isTrue(
      secret.every((b) => b === 0),
      'the derived secret is zeroed',
    );
    await session.unlock(PASS);
    await rejectsWithCode(() => key.signer.sign('test', utf8('b')), 'WALLET_LOCKED');
    const fresh = await session.ownerKey(0);
    assert.deepEqual(fresh.publicKey, key.publicKey);
    await fresh.signer.sign('test', utf8('c'));
  });

  it('a lock during unlock wins', async () => {
    const f = fixture();
    (await create(f)).lock();
    const session = new WalletSession(f.options);
    const pending = session.unlock(PASS);
    session.lock();
    await rejectsWithCode(() => pending, 'WALLET_LOCKED');
    assert.isTrue(session.isLocked);
  });

  it('concurrent unlocks both succeed; a key derivation cut by a lock fails', async () => {
    const f = fixture();
    (await create(f)).lock();
    const session = new WalletSession(f.options);
    const [a, b] = await Promise.all([session.unlock(PASS), session.unlock(PASS)]);
    assert.deepEqual([a, b], [{ kdfUpgraded: false }, { kdfUpgraded: false }]);
    assert.isFalse(session.isLocked);
    const pending = session.ownerKey(9);
    session.lock();
    await rejectsWithCode(() => pending, 'WALLET_LOCKED');
  });

  it('hands out fresh owner keys and remembers the next index across unlocks', async () => {
    const f = fixture();
    const session = await create(f);
    const k0 = await session.nextOwnerKey();
    const k1 = await session.nextOwnerKey();
    assert.deepEqual([k0.index, k1.index], [0, 1]);
    assert.notDeepEqual(k0.publicKey, k1.publicKey);
    session.lock();
    await session.unlock(PASS);
    assert.equal(session.metadata().accounts[0]!.nextIndex, 2);
    assert.equal((await session.nextOwnerKey()).index, 2);
    await rejectsWithCode(() => session.nextOwnerKey(5), 'WALLET_BAD_PATH');
    // Identity keys are a separate branch from owner keys.
    const id = await session.identityKey();
    assert.notDeepEqual(id.publicKey, k0.publicKey);
    assert.equal(id.path, "m/44'/2003134068'/0'/1'/0'");
  });

  it('metadata changes persist; accounts and indexes never shrink', async () => {
    const f = fixture();
    const session = await create(f);
    await session.nextOwnerKey();
    const root = await signerFromSecret(randomSecretKey());
    const identity = await session.identityKey();
    const certificate = await issueCertificate(root, {
      org: 'Org1',
      role: 'client',
      publicKey: identity.publicKey,
      notBefore: 0,
      notAfter: 2 ** 40,
      serial: 7,
    });
    await session.updateMetadata((m) => ({
      ...m,
      labels: ['FBC', 'USD'],
      accounts: [...m.accounts, { name: 'Savings', nextIndex: 0 }],
      enrollment: { account: 0, index: 0, certificate },
    }));
    session.lock();
    await session.unlock(PASS);
    const m = session.metadata();
    assert.deepEqual(m.labels, ['FBC', 'USD']);
    assert.deepEqual(m.accounts, [
      { name: 'Main', nextIndex: 1 },
      { name: 'Savings', nextIndex: 0 },
    ]);
    assert.deepEqual(m.enrollment, { account: 0, index: 0, certificate });
    await rejectsWithCode(
      () => session.updateMetadata((x) => ({ ...x, accounts: x.accounts.slice(0, 1) })),
      'WALLET_BAD_METADATA',
    );
    await rejectsWithCode(
      () =>
        session.updateMetadata((x) => ({
          ...x,
          accounts: x.accounts.map((a) => ({ ...a, nextIndex: 0 })),
        })),
      'WALLET_BAD_METADATA',
    );
    await rejectsWithCode(
      () => session.updateMetadata((x) => ({ ...x, labels: ['not a label'] })),
      'WALLET_BAD_METADATA',
    );
    assert.deepEqual(session.metadata(), m);
    // A caller scribbling on its copy changes nothing stored or held.
    (session.metadata().labels as string[]).push('EUR');
    assert.deepEqual(session.metadata().labels, ['FBC', 'USD']);
  });

  it('reveals the mnemonic only with the passphrase; changes the passphrase', async () => {
    const f = fixture();
    const session = await create(f);
    assert.equal(await session.revealMnemonic(PASS), ABANDON_12);
    await rejectsWithCode(
      () => session.revealMnemonic('guess guess guess'),
      'WALLET_BAD_PASSPHRASE',
    );
    await rejectsWithCode(
      () => session.changePassphrase('guess guess', 'new one here'),
      'WALLET_BAD_PASSPHRASE',
    );
    await rejectsWithCode(() => session.changePassphrase(PASS, 'short'), 'WALLET_WEAK_PASSPHRASE');
    await session.changePassphrase(PASS, 'a whole new passphrase');
    await session.nextOwnerKey(); // sealed under the new key
    session.lock();
    await rejectsWithCode(() => session.unlock(PASS), 'WALLET_BAD_PASSPHRASE');
    await session.unlock('a whole new passphrase');
    assert.equal(session.metadata().accounts[0]!.nextIndex, 1);
  });

  it('generates a 24-word wallet when no mnemonic is given', async () => {
    const f = fixture();
    const session = await WalletSession.create({ ...f.options, passphrase: PASS });
    assert.lengthOf((await session.revealMnemonic(PASS)).split(' '), 24);
  });

  it('upgrades the stored KDF on unlock when the policy asks for more', async () => {
    const f = fixture();
    (await create(f)).lock();
    const stronger = new WalletSession({ ...f.options, policy: { iterations: 150_000 } });
    assert.deepEqual(await stronger.unlock(PASS), { kdfUpgraded: true });
    const stored = (await f.store.get('alice'))!;
    assert.equal(readVaultHeader(stored).kdf.iterations, 150_000);
    await stronger.nextOwnerKey(); // later writes keep the upgraded parameters
    assert.equal(readVaultHeader((await f.store.get('alice'))!).kdf.iterations, 150_000);
    stronger.lock();
    assert.deepEqual(await stronger.unlock(PASS), { kdfUpgraded: false });
  });

  it('unlocks even when storing the upgrade fails, and says so', async () => {
    const f = fixture();
    (await create(f)).lock();
    const failing: VaultStore = {
      ...f.store,
      put: async () => {
        throw new Error('quota exceeded');
      },
    };
    const session = new WalletSession({
      ...f.options,
      store: failing,
      policy: { iterations: 150_000 },
    });
    const report = await session.unlock(PASS);
    assert.isFalse(report.kdfUpgraded);
    assert.match(String(report.upgradeError), /quota/);
    assert.isFalse(session.isLocked);
  });

  it('typed errors: missing, existing, hostile stored bytes, weak settings, bad names', async () => {
    const f = fixture();
    await rejectsWithCode(() => new WalletSession(f.options).unlock(PASS), 'WALLET_NOT_FOUND');
    await create(f);
    await rejectsWithCode(() => create(f), 'WALLET_EXISTS');
    for (const bytes of [new Uint8Array(0), new Uint8Array(100_000), Uint8Array.from([0xa0])]) {
      await f.store.put('mallory', bytes);
      const s = new WalletSession({ ...f.options, name: 'mallory' });
      await rejectsWithCode(() => s.unlock(PASS), 'WALLET_CORRUPT');
      assert.isTrue(s.isLocked);
    }
    await rejectsWithCode(
      () => WalletSession.create({ ...f.options, name: 'bob', passphrase: 'short' }),
      'WALLET_WEAK_PASSPHRASE',
    );
    await rejectsWithCode(
      () =>
        WalletSession.create({
          ...f.options,
          name: 'bob',
          passphrase: PASS,
          policy: { iterations: 1000 },
        }),
      'WALLET_WEAK_KDF',
    );
    await rejectsWithCode(
      () =>
        WalletSession.create({ ...f.options, name: 'bob', passphrase: PASS, mnemonic: 'zoo zoo' }),
      'WALLET_BAD_MNEMONIC',
    );
    assert.isUndefined(await f.store.get('bob'));
    throwsWithCode(() => new WalletSession({ ...f.options, name: '' }), 'WALLET_BAD_NAME');
  });

  it('requestPersistence reports instead of throwing, whatever the runtime offers', async () => {
    assert.deepEqual(await requestPersistence({}), { supported: false, persisted: false });
    assert.deepEqual(await requestPersistence(null), { supported: false, persisted: false });
    const granted = { storage: { persisted: async () => false, persist: async () => true } };
    assert.deepEqual(await requestPersistence(granted), { supported: true, persisted: true });
    const already = { storage: { persisted: async () => true, persist: async () => false } };
    assert.deepEqual(await requestPersistence(already), { supported: true, persisted: true });
    const broken = {
      storage: {
        persist: async () => {
          throw new Error('SecurityError');
        },
      },
    };
    const report = await requestPersistence(broken);
    assert.isFalse(report.persisted);
    assert.match(report.error ?? '', /SecurityError/);
    const here = await requestPersistence();
    assert.isBoolean(here.persisted);
  });
});
