import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js';
import { assert, describe, it } from '@weft/test/harness';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/bytes.js';
import { nobleEd25519 } from '../../src/crypto/noble.js';
import {
  isCanonicalPointEncoding,
  isCanonicalScalar,
  isSmallOrderEncoding,
  SMALL_ORDER_ENCODINGS,
  strictPrecheck,
} from '../../src/crypto/strict.js';
import { loadEd25519Vectors } from '../vectors/ed25519.js';

const Point = ed25519.Point;
const P = Point.Fp.ORDER;
const L = Point.Fn.ORDER;
const TWO_255 = 1n << 255n;

function le(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** 32 bytes: y in the low 255 bits, the x sign in the top bit. */
function encoding(y: bigint, sign: boolean): Uint8Array {
  return le(y | (sign ? TWO_255 : 0n));
}

/** The torsion subgroup from first principles: [L]Q lies in it, and some such point has order 8. */
function deriveTorsionSubgroup(): string[] {
  for (let y = 2n; ; y++) {
    let q: InstanceType<typeof Point>;
    try {
      q = Point.fromBytes(le(y));
    } catch {
      continue; // no point has this y
    }
    const t = q.multiplyUnsafe(L - 1n).add(q);
    if (t.double().double().is0()) continue; // order below 8, cannot generate the subgroup
    const points: string[] = [];
    let acc = Point.ZERO;
    for (let i = 0; i < 8; i++) {
      points.push(toHex(acc.toBytes()));
      acc = acc.add(t);
    }
    return points.sort();
  }
}

const validKey = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const validSig = fromHex(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
);

function withR(r: Uint8Array): Uint8Array {
  const sig = validSig.slice();
  sig.set(r, 0);
  return sig;
}

describe('strict Ed25519 precheck', () => {
  it('lists exactly the canonical encodings of the torsion subgroup', () => {
    const derived = deriveTorsionSubgroup();
    assert.deepEqual([...SMALL_ORDER_ENCODINGS].sort(), derived);
    assert.deepEqual([...ED25519_TORSION_SUBGROUP].sort(), derived);
    for (const hex of SMALL_ORDER_ENCODINGS) {
      const point = Point.fromBytes(fromHex(hex));
      assert.isTrue(point.isSmallOrder(), hex);
      assert.equal(toHex(point.toBytes()), hex, 'canonical');
      assert.isTrue(isSmallOrderEncoding(fromHex(hex)));
    }
  });

  it('rejects every other encoding of a small-order point as non-canonical', () => {
    // Other encodings: y + p (when it fits in 255 bits) and the sign bit on x = 0.
    for (const hex of SMALL_ORDER_ENCODINGS) {
      const point = Point.fromBytes(fromHex(hex));
      const { x, y } = point.toAffine();
      const odd = (x & 1n) === 1n;
      const others: Uint8Array[] = [];
      if (y + P < TWO_255) others.push(encoding(y + P, odd), encoding(y + P, !odd));
      if (x === 0n) others.push(encoding(y, true));
      for (const other of others) {
        assert.isTrue(
          Point.fromBytes(other, true).isSmallOrder(),
          'small order, leniently decoded',
        );
        assert.isFalse(isCanonicalPointEncoding(other), toHex(other));
        assert.isFalse(strictPrecheck(other, validSig), `A = ${toHex(other)}`);
        assert.isFalse(strictPrecheck(validKey, withR(other)), `R = ${toHex(other)}`);
      }
    }
  });

  it('does not flag points outside the torsion subgroup', () => {
    assert.isFalse(isSmallOrderEncoding(validKey));
    assert.isFalse(isSmallOrderEncoding(Point.BASE.toBytes()));
    assert.isFalse(isSmallOrderEncoding(new Uint8Array(31)));
  });

  it('decides canonical point encodings as y < p and no sign bit on x = 0', () => {
    const near = fc.oneof(
      fc.bigInt({ min: P - 40n, max: TWO_255 - 1n }),
      fc.bigInt({ min: 0n, max: 40n }),
      fc.bigInt({ min: 0n, max: TWO_255 - 1n }),
    );
    fc.assert(
      fc.property(near, fc.boolean(), (y, sign) => {
        const expected = y < P && !(sign && (y === 1n || y === P - 1n));
        return isCanonicalPointEncoding(encoding(y, sign)) === expected;
      }),
      { numRuns: 2000 },
    );
    assert.isTrue(isCanonicalPointEncoding(encoding(P - 1n, false)));
    assert.isTrue(isCanonicalPointEncoding(encoding(0n, true)), 'y = 0 has x != 0');
    assert.isFalse(isCanonicalPointEncoding(encoding(P, false)));
    assert.isFalse(isCanonicalPointEncoding(new Uint8Array(33)));
  });

  it('decides S < L with a little-endian comparison', () => {
    const scalars = fc.oneof(
      fc.bigInt({ min: L - 300n, max: L + 300n }),
      fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
      fc.bigInt({ min: 0n, max: 15n }).map((k) => k * L),
    );
    fc.assert(
      fc.property(scalars, (s) => isCanonicalScalar(le(s)) === s < L),
      { numRuns: 2000 },
    );
  });

  it('accepts an ordinary signature and rejects wrong lengths', () => {
    assert.isTrue(strictPrecheck(validKey, validSig));
    assert.isFalse(strictPrecheck(validKey.subarray(0, 31), validSig));
    assert.isFalse(strictPrecheck(validKey, validSig.subarray(0, 63)));
    assert.isFalse(strictPrecheck(new Uint8Array(0), new Uint8Array(0)));
  });

  it('rejects small-order A and small-order R', () => {
    for (const hex of SMALL_ORDER_ENCODINGS) {
      assert.isFalse(strictPrecheck(fromHex(hex), validSig), `A = ${hex}`);
      assert.isFalse(strictPrecheck(validKey, withR(fromHex(hex))), `R = ${hex}`);
    }
  });

  it('rejects S >= L, including S + L of a valid signature', () => {
    const s = validSig.subarray(32).reduceRight((n, b) => (n << 8n) | BigInt(b), 0n);
    const malleated = validSig.slice();
    malleated.set(le(s + L), 32);
    assert.isFalse(strictPrecheck(validKey, malleated));
    malleated.set(le(L - 1n), 32);
    assert.isTrue(strictPrecheck(validKey, malleated));
  });
});

const { strict } = await loadEd25519Vectors();

// Which rule a group exercises: the precheck (bytes) or the verification equation (backend).
const PRECHECK_GROUPS = new Set([
  'small-order-A',
  'non-canonical-A',
  'non-canonical-R',
  'small-order-R',
  'non-canonical-S',
  'length',
]);

describe("Weft's strict vector file", () => {
  it('is caught by the precheck exactly in the byte-level groups', () => {
    for (const t of strict.vectors) {
      const verdict = strictPrecheck(t.publicKey, t.signature);
      assert.equal(verdict, !PRECHECK_GROUPS.has(t.group), `#${t.id} ${t.group}`);
    }
  });

  it('records truthfully which lenient verifiers accept each case', async () => {
    // The point of most invalid cases is that something lenient accepts them; check that it does.
    for (const t of strict.vectors) {
      const { publicKey, message, signature } = t;
      const accepted: string[] = [];
      if (await nobleEd25519.verify(publicKey, message, signature)) accepted.push('cofactorless');
      let zip215 = false;
      try {
        zip215 = ed25519.verify(signature, message, publicKey, { zip215: true });
      } catch {
        // wrong lengths throw
      }
      if (zip215) accepted.push('cofactored-zip215');
      assert.deepEqual(accepted, t.acceptedBy, `#${t.id} ${t.group}`);
    }
  });
});
