import { type CborValue, decode, encode, utf8 } from '@weft/core';
import { assert, describe, it, rejectsWithCode, throwsWithCode } from '@weft/test/harness';
import {
  createVault,
  MAX_PBKDF2_ITERATIONS,
  MAX_VAULT_RECORD_BYTES,
  openVault,
  readVaultHeader,
  type VaultKey,
} from '../../src/wallet/index.js';
import { ABANDON_12, FAST } from './helpers.js';

// Stored records come from disk or another tab's IndexedDB: hostile. Every malformed
// one must give a typed error (WALLET_CORRUPT), before any expensive key derivation.

const PASS = 'correct horse battery staple';
const CONTENTS = {
  mnemonic: ABANDON_12,
  bip39Passphrase: '',
  accounts: [{ name: 'Main', nextIndex: 0 }],
  labels: [],
  createdAt: 0,
};

const { record, key } = await createVault(CONTENTS, PASS, FAST);
const good = decode(record, { maxBytes: 1 << 20 }) as Record<string, CborValue>;

const DROP = Symbol('drop');

/** The good record with one field (by path) replaced, or dropped with DROP. */
function variant(path: string, value: CborValue | typeof DROP): Uint8Array {
  const r = structuredClone(good) as Record<string, CborValue>;
  const keys = path.split('.');
  const last = keys.pop()!;
  let target = r;
  for (const k of keys) target = target[k] as Record<string, CborValue>;
  if (value === DROP) delete target[last];
  else target[last] = value;
  return encode(r);
}

/** A record whose ciphertext is `plaintext` properly encrypted under `key`: valid crypto, hostile contents. */
async function sealRaw(plaintext: Uint8Array, vaultKey: VaultKey): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const header = {
    v: 1,
    kdf: { name: 'PBKDF2-SHA256', iterations: vaultKey.kdf.iterations, salt: vaultKey.kdf.salt },
    cipher: { name: 'AES-256-GCM', iv },
  };
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encode(header) as Uint8Array<ArrayBuffer> },
    vaultKey.key,
    plaintext as Uint8Array<ArrayBuffer>,
  );
  return encode({ ...header, data: new Uint8Array(data) });
}

describe('wallet: hostile vault records', () => {
  it('every truncation of a record is WALLET_CORRUPT', async () => {
    for (let n = 0; n < record.length; n++) {
      throwsWithCode(() => readVaultHeader(record.subarray(0, n)), 'WALLET_CORRUPT');
    }
    await rejectsWithCode(
      () => openVault(record.subarray(0, record.length - 1), PASS, FAST),
      'WALLET_CORRUPT',
    );
  });

  it('oversized records and trailing bytes are WALLET_CORRUPT', async () => {
    const big = variant('data', new Uint8Array(MAX_VAULT_RECORD_BYTES));
    await rejectsWithCode(() => openVault(big, PASS, FAST), 'WALLET_CORRUPT');
    const trailing = new Uint8Array(record.length + 1);
    trailing.set(record);
    await rejectsWithCode(() => openVault(trailing, PASS, FAST), 'WALLET_CORRUPT');
  });

  it('non-bytes input is WALLET_CORRUPT', async () => {
    for (const input of [null, undefined, 'record', 42, [1, 2], record.buffer, {}]) {
      await rejectsWithCode(() => openVault(input as Uint8Array, PASS, FAST), 'WALLET_CORRUPT');
    }
  });

  it('wrong types, missing or extra fields and out-of-bound parameters are WALLET_CORRUPT', async () => {
    const hostile: [string, Uint8Array][] = [
      ['not a map', encode([1, 2, 3])],
      ['empty map', encode({})],
      ['v as string', variant('v', '1')],
      ['missing data', variant('data', DROP)],
      ['extra field', variant('note', 'hi')],
      ['data as string', variant('data', 'abc')],
      ['data shorter than a tag', variant('data', new Uint8Array(15))],
      ['kdf as array', variant('kdf', [])],
      ['kdf extra field', variant('kdf.hash', 'SHA-1')],
      ['iterations as string', variant('kdf.iterations', '600000')],
      ['iterations as bigint', variant('kdf.iterations', 1n << 60n)],
      ['iterations zero', variant('kdf.iterations', 0)],
      ['iterations below floor', variant('kdf.iterations', 99_999)],
      ['iterations above bound', variant('kdf.iterations', MAX_PBKDF2_ITERATIONS + 1)],
      ['negative iterations', variant('kdf.iterations', -600_000)],
      ['short salt', variant('kdf.salt', new Uint8Array(8))],
      ['huge salt', variant('kdf.salt', new Uint8Array(65))],
      ['salt as string', variant('kdf.salt', 'salt')],
      ['kdf name as bytes', variant('kdf.name', utf8('PBKDF2-SHA256'))],
      ['short iv', variant('cipher.iv', new Uint8Array(11))],
      ['long iv', variant('cipher.iv', new Uint8Array(16))],
      ['cipher missing iv', variant('cipher.iv', DROP)],
      ['cbor garbage', Uint8Array.from([0xff, 0x00, 0x13])],
      ['non-canonical integer', Uint8Array.from([0x18, 0x01])],
    ];
    for (const [what, bytes] of hostile) {
      let code: unknown;
      try {
        await openVault(bytes, PASS, FAST);
      } catch (err) {
        code = (err as { code?: unknown }).code;
      }
      assert.equal(code, 'WALLET_CORRUPT', what);
    }
  });

  it('hostile bytes never reach key derivation (they fail fast)', async () => {
    const started = performance.now();
    for (let i = 0; i < 50; i++) {
      await rejectsWithCode(
        () => openVault(variant('kdf.iterations', MAX_PBKDF2_ITERATIONS + 1), PASS, FAST),
        'WALLET_CORRUPT',
      );
    }
    assert.isBelow(performance.now() - started, 2_000);
  });

  it('authentic ciphertext of hostile contents is WALLET_CORRUPT, never accepted', async () => {
    const payloads: [string, Uint8Array][] = [
      ['not CBOR', utf8('hello')],
      ['empty', new Uint8Array(0)],
      ['bad checksum', encode({ ...CONTENTS, v: 1, mnemonic: ABANDON_12.replace('about', 'zoo') })],
      ['unknown field', encode({ ...CONTENTS, v: 1, seed: new Uint8Array(64) })],
      ['no accounts', encode({ ...CONTENTS, v: 1, accounts: [] })],
      ['future contents', encode({ ...CONTENTS, v: 2 })],
      ['bad label', encode({ ...CONTENTS, v: 1, labels: ['U$D'] })],
      [
        'nextIndex too big',
        encode({ ...CONTENTS, v: 1, accounts: [{ name: 'a', nextIndex: 2 ** 40 }] }),
      ],
      [
        'enrollment of a missing account',
        encode({ ...CONTENTS, v: 1, enrollment: { account: 3, index: 0, certificate: {} } }),
      ],
      ['oversized', encode({ ...CONTENTS, v: 1, bip39Passphrase: 'x'.repeat(13_000) })],
    ];
    for (const [what, plaintext] of payloads) {
      let code: unknown;
      try {
        await openVault(await sealRaw(plaintext, key), PASS, FAST);
      } catch (err) {
        code = (err as { code?: unknown }).code;
      }
      assert.equal(code, 'WALLET_CORRUPT', what);
    }
    // The helper itself makes openable records.
    const fine = await sealRaw(encode({ ...CONTENTS, v: 1 }), key);
    assert.equal((await openVault(fine, PASS, FAST)).contents.mnemonic, ABANDON_12);
  });
});
