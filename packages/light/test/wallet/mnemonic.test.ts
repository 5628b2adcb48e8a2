import { fromHex, toHex } from '@weft/core';
import { assert, describe, it, rejectsWithCode, throwsWithCode } from '@weft/test/harness';
import {
  createMnemonic,
  isValidMnemonic,
  mnemonicToSeed,
  normalizeMnemonic,
  parseMnemonic,
} from '../../src/wallet/index.js';
import { ABANDON_12 } from './helpers.js';

/**
 * BIP39's published English vectors: vectors.json of trezor/python-mnemonic (the
 * reference implementation BIP39 links to), all with the passphrase "TREZOR".
 * [entropy, mnemonic, seed]; entries 0, 1, 3, 8, 11, 16 and 23 of "english".
 */
const BIP39_VECTORS: [string, string, string][] = [
  [
    '00000000000000000000000000000000',
    ABANDON_12,
    'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
  ],
  [
    '7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f',
    'legal winner thank year wave sausage worth useful legal winner thank yellow',
    '2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607',
  ],
  [
    'ffffffffffffffffffffffffffffffff',
    'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
    'ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c6f15b11c61dee327651a14c34e18231052e48c069',
  ],
  [
    '0000000000000000000000000000000000000000000000000000000000000000',
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art',
    'bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8',
  ],
  [
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote',
    'dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e1613912f0a5b694407be899ffd31ed3992c456cdf60f5d4564b8ba3f05a69890ad',
  ],
  [
    '6d9be1ee6ebd27a258115aad99b7317b9c8d28b6d76431c3',
    'horn tenant knee talent sponsor spell gate clip pulse soap slush warm silver nephew swap uncle crack brave',
    'fd579828af3da1d32544ce4db5c73d53fc8acc4ddb1e3b251a31179cdb71e853c56d2fcb11aed39898ce6c34b10b5382772db8796e52837b54468aeb312cfc3d',
  ],
  [
    'f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f',
    'void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold',
    '01f5bced59dec48e362f2c45b5de68b9fd6c92c6634f44d6d40aab69056506f0e35524a518034ddc1192e1dacd32c1ed3eaa3c3b131c88ed8e7e54c49a5d0998',
  ],
];

describe('wallet: BIP39 mnemonic', () => {
  it('gives the published seeds for the published sentences (passphrase TREZOR)', async () => {
    for (const [entropy, sentence, seed] of BIP39_VECTORS) {
      assert.isTrue(isValidMnemonic(sentence), sentence);
      assert.equal(sentence.split(' ').length, (fromHex(entropy).length * 8 * 33) / 32 / 11);
      assert.equal(toHex(await mnemonicToSeed(sentence, 'TREZOR')), seed, sentence);
    }
  });

  it('creates 24 valid words by default, fresh each time, and other BIP39 lengths on request', () => {
    const a = createMnemonic();
    assert.lengthOf(a.split(' '), 24);
    assert.isTrue(isValidMnemonic(a));
    assert.notEqual(createMnemonic(), a);
    for (const words of [12, 15, 18, 21] as const) {
      const m = createMnemonic(words);
      assert.lengthOf(m.split(' '), words);
      assert.isTrue(isValidMnemonic(m));
    }
    throwsWithCode(() => createMnemonic(13 as 12), 'WALLET_BAD_MNEMONIC');
  });

  it('normalises what a holder types: case, spacing, line breaks', async () => {
    const typed = `  Abandon abandon\tabandon abandon abandon abandon\nabandon abandon abandon abandon ABANDON about `;
    assert.equal(normalizeMnemonic(typed), ABANDON_12);
    assert.equal(parseMnemonic(typed), ABANDON_12);
    assert.equal(toHex(await mnemonicToSeed(typed, 'TREZOR')), BIP39_VECTORS[0]![2]);
  });

  it('refuses a bad checksum, an unknown word, a wrong count and non-strings', async () => {
    const bad = [
      ABANDON_12.replace('about', 'abandon'),
      ABANDON_12.replace('about', 'aboutt'),
      ABANDON_12.split(' ').slice(1).join(' '),
      '',
      'x'.repeat(5000),
    ];
    for (const m of bad) {
      assert.isFalse(isValidMnemonic(m), m.slice(0, 40));
      throwsWithCode(() => parseMnemonic(m), 'WALLET_BAD_MNEMONIC');
      await rejectsWithCode(() => mnemonicToSeed(m), 'WALLET_BAD_MNEMONIC');
    }
    assert.isFalse(isValidMnemonic(null as unknown as string));
    throwsWithCode(() => parseMnemonic(42 as unknown as string), 'WALLET_BAD_MNEMONIC');
  });

  it('refuses a BIP39 passphrase that is not well-formed Unicode', async () => {
    await rejectsWithCode(() => mnemonicToSeed(ABANDON_12, '\ud800'), 'WALLET_BAD_MNEMONIC');
  });
});
