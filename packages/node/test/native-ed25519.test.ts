import { nobleEd25519, strictPrecheck, toHex, verifyStrict } from '@weft/core';
import { assert, describe, it } from '@weft/test/harness';
import { type Ed25519Vector, loadEd25519Vectors } from '../../core/test/vectors/ed25519.js';
import { nativeEd25519 } from '../src/index.js';

const files = await loadEd25519Vectors();
const wycheproof: Ed25519Vector[] = files.wycheproof.vectors;
const strict: Ed25519Vector[] = files.strict.vectors;

async function mismatches(list: Ed25519Vector[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const v of list) {
    const got = await verifyStrict(v.publicKey, v.message, v.signature, nativeEd25519);
    if (got !== v.valid) wrong.push(`${v.name}: got ${got}`);
  }
  return wrong;
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

describe('native Ed25519 backend (node:crypto)', () => {
  it('gives the expected verdict on all 151 Wycheproof vectors', async () => {
    assert.lengthOf(wycheproof, 151);
    assert.deepEqual(await mismatches(wycheproof), []);
  });

  it("gives the expected verdict on Weft's strict vectors", async () => {
    assert.deepEqual(await mismatches(strict), []);
  });

  it('is lenient only where the precheck already rejects', async () => {
    const uncovered: string[] = [];
    for (const v of [...wycheproof, ...strict]) {
      const raw = await nativeEd25519.verify(v.publicKey, v.message, v.signature);
      if (raw !== v.valid && strictPrecheck(v.publicKey, v.signature)) uncovered.push(v.name);
    }
    assert.deepEqual(uncovered, []);
  });

  it('agrees with noble on random keys, messages and tampered signatures', async () => {
    for (let i = 0; i < 40; i++) {
      const seed = randomBytes(32);
      const message = randomBytes(i * 13);
      const publicKey = await nativeEd25519.getPublicKey(seed);
      assert.equal(toHex(publicKey), toHex(await nobleEd25519.getPublicKey(seed)));
      const signature = await nativeEd25519.sign(seed, message);
      assert.equal(toHex(signature), toHex(await nobleEd25519.sign(seed, message)));
      assert.isTrue(await verifyStrict(publicKey, message, signature, nativeEd25519));

      const tampered = signature.slice();
      tampered[i % 64]! ^= 1 << (i % 8);
      const native = await verifyStrict(publicKey, message, tampered, nativeEd25519);
      const noble = await verifyStrict(publicKey, message, tampered, nobleEd25519);
      assert.isFalse(native);
      assert.equal(native, noble);
    }
  });

  it('verifies with a cached key as with a fresh one', async () => {
    // The first round parses each key, the second finds it in the cache.
    const signed = await Promise.all(
      Array.from({ length: 64 }, async () => {
        const seed = randomBytes(32);
        const message = randomBytes(32);
        return {
          publicKey: await nativeEd25519.getPublicKey(seed),
          message,
          signature: await nativeEd25519.sign(seed, message),
        };
      }),
    );
    for (let round = 0; round < 2; round++) {
      for (const s of signed) {
        assert.isTrue(await nativeEd25519.verify(s.publicKey, s.message, s.signature));
        assert.isFalse(await nativeEd25519.verify(s.publicKey, randomBytes(32), s.signature));
      }
    }
  });

  it('signs with the current contents of a reused seed array', async () => {
    const seed = randomBytes(32);
    const message = new Uint8Array([1, 2, 3]);
    const first = await nativeEd25519.sign(seed, message);
    seed.set(randomBytes(32));
    const second = await nativeEd25519.sign(seed, message);
    assert.notEqual(toHex(first), toHex(second));
    assert.equal(toHex(second), toHex(await nobleEd25519.sign(seed, message)));
  });

  it('returns plain Uint8Arrays, not Buffers', async () => {
    const seed = randomBytes(32);
    const signature = await nativeEd25519.sign(seed, new Uint8Array(0));
    const publicKey = await nativeEd25519.getPublicKey(seed);
    assert.equal(Object.getPrototypeOf(signature), Uint8Array.prototype);
    assert.equal(Object.getPrototypeOf(publicKey), Uint8Array.prototype);
    assert.lengthOf(signature, 64);
    assert.lengthOf(publicKey, 32);
  });
});
