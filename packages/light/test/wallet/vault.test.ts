import { type CborValue, decode, encode } from '@weft/core';
import { assert, describe, it, rejectsWithCode, runtime } from '@weft/test/harness';
import {
  createVault,
  DEFAULT_PBKDF2_ITERATIONS,
  deriveVaultKey,
  MIN_PBKDF2_ITERATIONS,
  openVault,
  openVaultWithKey,
  readVaultHeader,
  sealVault,
  type VaultContents,
} from '../../src/wallet/index.js';
import { ABANDON_12, FAST } from './helpers.js';

const PASS = 'correct horse battery staple';

const CONTENTS: VaultContents = {
  mnemonic: ABANDON_12,
  bip39Passphrase: '',
  accounts: [{ name: 'Main', nextIndex: 3 }],
  labels: ['FBC', 'USD'],
  createdAt: 1_700_000_000_000,
};

type Rec = Record<string, CborValue> & {
  kdf: Record<string, CborValue>;
  cipher: Record<string, CborValue>;
};

const parse = (bytes: Uint8Array) => decode(bytes, { maxBytes: 1 << 20 }) as Rec;

/** Re-encodes a record after `edit` changed its decoded form. */
function edited(bytes: Uint8Array, edit: (r: Rec) => void): Uint8Array {
  const r = parse(bytes);
  edit(r);
  return encode(r);
}

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  out[at]! ^= 0x01;
  return out;
}

describe('wallet: encrypted vault', () => {
  it('round-trips contents and stores the KDF and cipher parameters beside the ciphertext', async () => {
    const { record } = await createVault(CONTENTS, PASS, FAST);
    const header = readVaultHeader(record);
    assert.equal(header.kdf.name, 'PBKDF2-SHA256');
    assert.equal(header.kdf.iterations, MIN_PBKDF2_ITERATIONS);
    assert.lengthOf(header.kdf.salt, 16);
    assert.lengthOf(header.iv, 12);
    const r = parse(record);
    assert.deepEqual(Object.keys(r).sort(), ['cipher', 'data', 'kdf', 'v']);
    assert.equal(r.cipher.name, 'AES-256-GCM');
    // Ciphertext only: the mnemonic's words appear nowhere in the record.
    assert.notInclude(new TextDecoder().decode(record), 'abandon');
    const opened = await openVault(record, PASS, FAST);
    assert.deepEqual(opened.contents, CONTENTS);
    assert.isNull(opened.upgraded);
  });

  it(`uses ${DEFAULT_PBKDF2_ITERATIONS} PBKDF2 iterations by default in ${runtime}`, async () => {
    const started = performance.now();
    const { record } = await createVault(CONTENTS, PASS);
    assert.equal(readVaultHeader(record).kdf.iterations, 600_000);
    const opened = await openVault(record, PASS);
    assert.deepEqual(opened.contents, CONTENTS);
    assert.isNull(opened.upgraded);
    await rejectsWithCode(() => openVault(record, `${PASS}!`), 'WALLET_BAD_PASSPHRASE');
    // Three derivations; logged so a slow runtime shows up in the test output.
    console.log(
      `${runtime}: 3 PBKDF2 derivations at 600,000 took ${Math.round(performance.now() - started)} ms`,
    );
  });

  it('seals each time under a fresh salt and IV', async () => {
    const a = await createVault(CONTENTS, PASS, FAST);
    const b = await createVault(CONTENTS, PASS, FAST);
    assert.notDeepEqual(readVaultHeader(a.record).kdf.salt, readVaultHeader(b.record).kdf.salt);
    const again = await sealVault(CONTENTS, a.key);
    assert.notDeepEqual(readVaultHeader(again).iv, readVaultHeader(a.record).iv);
    assert.deepEqual(await openVaultWithKey(again, a.key), CONTENTS);
  });

  it('refuses a wrong passphrase with WALLET_BAD_PASSPHRASE', async () => {
    const { record } = await createVault(CONTENTS, PASS, FAST);
    for (const wrong of ['', 'correct horse battery stapl', 'Correct horse battery staple']) {
      await rejectsWithCode(() => openVault(record, wrong, FAST), 'WALLET_BAD_PASSPHRASE');
    }
  });

  it('normalises the passphrase (NFKC), so composed and decomposed input agree', async () => {
    const { record } = await createVault(CONTENTS, 'caf\u00e9 au lait', FAST);
    assert.deepEqual((await openVault(record, 'cafe\u0301 au lait', FAST)).contents, CONTENTS);
  });

  it('detects any change to the ciphertext, tag, IV, salt or parameters', async () => {
    const { record } = await createVault(CONTENTS, PASS, FAST);
    const data = parse(record).data as Uint8Array;
    const tampered = [
      edited(record, (r) => {
        r.data = flip(data, 0);
      }),
      edited(record, (r) => {
        r.data = flip(data, data.length - 1);
      }),
      edited(record, (r) => {
        r.data = data.subarray(0, data.length - 1);
      }),
      edited(record, (r) => {
        r.cipher.iv = flip(r.cipher.iv as Uint8Array, 5);
      }),
      edited(record, (r) => {
        r.kdf.salt = flip(r.kdf.salt as Uint8Array, 0);
      }),
      edited(record, (r) => {
        r.kdf.iterations = (r.kdf.iterations as number) + 1;
      }),
    ];
    for (const bytes of tampered) {
      await rejectsWithCode(() => openVault(bytes, PASS, FAST), 'WALLET_BAD_PASSPHRASE');
    }
  });

  it('binds the header to the ciphertext: the right key does not open an altered header', async () => {
    const { record, key } = await createVault(CONTENTS, PASS, FAST);
    const raised = edited(record, (r) => {
      r.kdf.iterations = 700_000;
    });
    await rejectsWithCode(() => openVaultWithKey(raised, key), 'WALLET_BAD_PASSPHRASE');
  });

  it('reports newer formats, KDFs and ciphers as WALLET_UNSUPPORTED', async () => {
    const { record } = await createVault(CONTENTS, PASS, FAST);
    const newer = [
      edited(record, (r) => {
        r.v = 2;
        r.extra = 'field of a future format';
      }),
      edited(record, (r) => {
        r.kdf.name = 'scrypt';
      }),
      edited(record, (r) => {
        r.cipher.name = 'XChaCha20-Poly1305';
      }),
    ];
    for (const bytes of newer) {
      await rejectsWithCode(() => openVault(bytes, PASS, FAST), 'WALLET_UNSUPPORTED');
    }
  });

  it('re-encrypts a vault below the policy on open, under a new salt', async () => {
    const { record } = await createVault(CONTENTS, PASS, FAST);
    const opened = await openVault(record, PASS);
    assert.isNotNull(opened.upgraded);
    const upgraded = opened.upgraded!;
    const header = readVaultHeader(upgraded);
    assert.equal(header.kdf.iterations, DEFAULT_PBKDF2_ITERATIONS);
    assert.notDeepEqual(header.kdf.salt, readVaultHeader(record).kdf.salt);
    assert.equal(opened.key.kdf.iterations, DEFAULT_PBKDF2_ITERATIONS);
    // The new key is the one that opens the new record.
    assert.deepEqual(await openVaultWithKey(upgraded, opened.key), CONTENTS);
    // A vault above the policy is left as it is.
    assert.isNull((await openVault(upgraded, PASS, FAST)).upgraded);
  });

  it('refuses KDF parameters below the floor for new vaults, and weak passphrases', async () => {
    for (const iterations of [1, MIN_PBKDF2_ITERATIONS - 1, 1.5, 1e12]) {
      await rejectsWithCode(() => createVault(CONTENTS, PASS, { iterations }), 'WALLET_WEAK_KDF');
    }
    await rejectsWithCode(() => createVault(CONTENTS, 'short', FAST), 'WALLET_WEAK_PASSPHRASE');
    await rejectsWithCode(() => createVault(CONTENTS, '', FAST), 'WALLET_WEAK_PASSPHRASE');
  });

  it('refuses to seal contents that a later open would reject', async () => {
    const { key } = await createVault(CONTENTS, PASS, FAST);
    const bad: VaultContents[] = [
      { ...CONTENTS, mnemonic: ABANDON_12.replace('about', 'abandon') },
      { ...CONTENTS, accounts: [] },
      { ...CONTENTS, labels: ['US D'] },
      { ...CONTENTS, labels: ['USD', 'USD'] },
      { ...CONTENTS, accounts: Array.from({ length: 65 }, () => ({ name: 'a', nextIndex: 0 })) },
      { ...CONTENTS, accounts: [{ name: 'x'.repeat(65), nextIndex: 0 }] },
      { ...CONTENTS, accounts: [{ name: 'Main', nextIndex: -1 }] },
      { ...CONTENTS, createdAt: 1.5 },
    ];
    for (const contents of bad) {
      await rejectsWithCode(() => sealVault(contents, key), 'WALLET_BAD_METADATA');
    }
  });

  it('derives the same key from the same passphrase and parameters', async () => {
    const { record } = await createVault(CONTENTS, PASS, FAST);
    const key = await deriveVaultKey(PASS, readVaultHeader(record).kdf);
    assert.deepEqual(await openVaultWithKey(record, key), CONTENTS);
    // Non-extractable: page script cannot read the AES key out of a CryptoKey.
    assert.isFalse(key.key.extractable);
  });
});
