import { assert, describe, it, runtime } from '@weft/test/harness';
import { equalBytes, toHex, utf8 } from '../../src/bytes.js';
import type { Ed25519Backend } from '../../src/crypto/ed25519.js';
import { nobleEd25519 } from '../../src/crypto/noble.js';
import { signerFromSecret, verifyDomain, verifyStrict } from '../../src/crypto/signing.js';
import { strictPrecheck } from '../../src/crypto/strict.js';
import { webCryptoEd25519 } from '../../src/crypto/webcrypto.js';
import { type Ed25519Vector, loadEd25519Vectors } from '../vectors/ed25519.js';

// Wycheproof results are 'valid' or 'invalid' here; the loader rejects any other (such as
// 'acceptable'), which would need a deliberate decision before backends could be held to it.
const files = await loadEd25519Vectors();
const wycheproof: Ed25519Vector[] = files.wycheproof.vectors;
const strict: Ed25519Vector[] = files.strict.vectors;

const webcrypto = await webCryptoEd25519();
const backends: Ed25519Backend[] = webcrypto ? [nobleEd25519, webcrypto] : [nobleEd25519];

/** Names of the vectors whose verdict through verifyStrict differs from the expected one. */
async function mismatches(vectors: Ed25519Vector[], backend: Ed25519Backend): Promise<string[]> {
  const wrong: string[] = [];
  for (const v of vectors) {
    const got = await verifyStrict(v.publicKey, v.message, v.signature, backend);
    if (got !== v.valid) wrong.push(`${v.name}: got ${got}`);
  }
  return wrong;
}

async function rawVerify(backend: Ed25519Backend, v: Ed25519Vector): Promise<boolean> {
  try {
    return await backend.verify(v.publicKey, v.message, v.signature);
  } catch {
    return false;
  }
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

describe('Ed25519 backends', () => {
  it('the vector files hold what they claim', () => {
    assert.lengthOf(wycheproof, 151);
    assert.equal(files.wycheproof.numberOfTests, 151);
    assert.lengthOf(strict, files.strict.numberOfTests);
  });

  it(`WebCrypto Ed25519 is available in ${runtime}`, () => {
    assert.isDefined(webcrypto, 'Node 20 and Chromium both ship WebCrypto Ed25519');
  });

  it('every backend signs the same bytes (Ed25519 is deterministic)', async () => {
    const seed = randomBytes(32);
    const message = randomBytes(100);
    const sigs = await Promise.all(backends.map((b) => b.sign(seed, message)));
    const keys = await Promise.all(backends.map((b) => b.getPublicKey(seed)));
    for (let i = 1; i < backends.length; i++) {
      assert.equal(toHex(sigs[i]!), toHex(sigs[0]!), backends[i]!.name);
      assert.equal(toHex(keys[i]!), toHex(keys[0]!), backends[i]!.name);
    }
  });

  for (const backend of backends) {
    describe(backend.name, () => {
      it('gives the expected verdict on all 151 Wycheproof vectors', async () => {
        assert.deepEqual(await mismatches(wycheproof, backend), []);
      });

      it("gives the expected verdict on Weft's strict vectors", async () => {
        assert.deepEqual(await mismatches(strict, backend), []);
      });

      it('is lenient only where the precheck already rejects', async () => {
        // Whatever a backend lets through on its own must be stopped by the shared precheck,
        // or backends could disagree.
        const uncovered: string[] = [];
        for (const v of [...wycheproof, ...strict]) {
          const raw = await rawVerify(backend, v);
          if (raw !== v.valid && strictPrecheck(v.publicKey, v.signature)) {
            uncovered.push(v.name);
          }
        }
        assert.deepEqual(uncovered, []);
      });

      it('round-trips sign and verify, and agrees with every other backend', async () => {
        for (let i = 0; i < 8; i++) {
          const seed = randomBytes(32);
          const message = randomBytes(i * 37);
          const publicKey = await backend.getPublicKey(seed);
          const signature = await backend.sign(seed, message);
          for (const other of backends) {
            assert.isTrue(await verifyStrict(publicKey, message, signature, other), other.name);
          }
        }
      });

      it('keeps domains apart', async () => {
        const signer = await signerFromSecret(randomBytes(32), backend);
        const bytes = utf8('block header bytes');
        const signature = await signer.sign('block', bytes);
        const claim = { publicKey: signer.publicKey, bytes, signature, backend };
        assert.isTrue(await verifyDomain({ ...claim, domain: 'block' }));
        assert.isFalse(await verifyDomain({ ...claim, domain: 'endorsement' }));
        assert.isFalse(await verifyStrict(signer.publicKey, bytes, signature, backend));
      });

      it('rejects a flipped bit in the message, the signature or the key', async () => {
        const seed = randomBytes(32);
        const message = utf8('pay 10 FBC to bob');
        const publicKey = await backend.getPublicKey(seed);
        const signature = await backend.sign(seed, message);
        for (let bit = 0; bit < message.length * 8; bit += 7) {
          assert.isFalse(await verifyStrict(publicKey, flipBit(message, bit), signature, backend));
        }
        for (let bit = 0; bit < 512; bit += 3) {
          assert.isFalse(
            await verifyStrict(publicKey, message, flipBit(signature, bit), backend),
            `signature bit ${bit}`,
          );
        }
        for (let bit = 0; bit < 256; bit += 5) {
          assert.isFalse(
            await verifyStrict(flipBit(publicKey, bit), message, signature, backend),
            `key bit ${bit}`,
          );
        }
      });

      it('signs with the current contents of a reused seed array', async () => {
        // Backends may cache parsed private keys per seed array; a seed rewritten in place
        // must not keep signing with the old key.
        const seed = randomBytes(32);
        const message = utf8('m');
        const first = await backend.sign(seed, message);
        seed.set(randomBytes(32));
        const second = await backend.sign(seed, message);
        assert.isFalse(equalBytes(first, second));
        const publicKey = await nobleEd25519.getPublicKey(seed);
        assert.isTrue(await verifyStrict(publicKey, message, second, nobleEd25519));
      });
    });
  }
});
