import { assert, describe, it, readJsonFixture, throwsWithCode } from '@weft/test/harness';
import fc from 'fast-check';
import { concatBytes, equalBytes, fromHex, toHex } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/hash.js';
import {
  EMPTY_ROOT,
  inclusionProof,
  inclusionProofs,
  leafHash,
  merkleRoot,
  merkleRootFromLeafHashes,
  nodeHash,
  rootFromInclusionProof,
  verifyInclusion,
} from '../../src/merkle/index.js';

// Naive reference: a literal transcription of RFC 6962 §2.1 (MTH) and §2.1.1
// (PATH), sharing no code with the implementation under test beyond sha256.
const H = (...parts: Uint8Array[]) => sha256(concatBytes(...parts));
const largestPow2Below = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
function refMth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return H();
  if (d.length === 1) return H(Uint8Array.of(0), d[0]!);
  const k = largestPow2Below(d.length);
  return H(Uint8Array.of(1), refMth(d.slice(0, k)), refMth(d.slice(k)));
}
function refPath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = largestPow2Below(d.length);
  return m < k
    ? [...refPath(m, d.slice(0, k)), refMth(d.slice(k))]
    : [...refPath(m - k, d.slice(k)), refMth(d.slice(0, k))];
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => Uint8Array.of(i));
const hexList = (xs: readonly Uint8Array[]) => xs.map(toHex);

// Computed by hand with coreutils (printf | sha256sum, xxd), not with any code here.
const HAND_ROOTS: Record<number, string> = {
  0: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  1: '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  2: 'a20bf9a7cc2dc8a08f5f415a71b19f6ac427bab54d24eec868b5d3103449953a',
  3: '3b6cccd7e3e023ff393006f030315ee7ad9eb111b022b41fba7e5b7a3973f688',
  4: '9bcd51240af4005168f033121ba85be5a6ed4f0e6a5fac262066729b8fbfdecb',
  5: 'b855b42d6c30f5b087e05266783fbd6e394f7b926013ccaa67700a8b0c5a596f',
};

interface VectorFile {
  cases: { size: number; root: string; proofs: string[][] }[];
}

describe('merkle: hashing primitives', () => {
  it('prefixes leaves with 0x00 and nodes with 0x01', () => {
    const d = Uint8Array.of(7, 8);
    assert.equal(toHex(leafHash(d)), toHex(sha256(Uint8Array.of(0, 7, 8))));
    const l = leafHash(Uint8Array.of(1));
    const r = leafHash(Uint8Array.of(2));
    assert.equal(toHex(nodeHash(l, r)), toHex(sha256(concatBytes(Uint8Array.of(1), l, r))));
  });

  it('matches the hand-computed roots', () => {
    for (const [size, hex] of Object.entries(HAND_ROOTS)) {
      assert.equal(toHex(merkleRoot(leavesOf(Number(size)))), hex, `size ${size}`);
    }
    assert.equal(toHex(EMPTY_ROOT), HAND_ROOTS[0]);
  });

  it('the empty root is a fresh copy each time', () => {
    const a = merkleRoot([]);
    a[0] = 0;
    assert.equal(toHex(merkleRoot([])), HAND_ROOTS[0]);
  });
});

describe('merkle: against the naive reference, sizes 1..17', () => {
  for (let n = 1; n <= 17; n++) {
    it(`size ${n}: root, every PATH, every proof verifies`, () => {
      const leaves = leavesOf(n);
      const root = merkleRoot(leaves);
      assert.equal(toHex(root), toHex(refMth(leaves)));
      assert.equal(toHex(merkleRootFromLeafHashes(leaves.map(leafHash))), toHex(root));
      const all = inclusionProofs(leaves);
      assert.equal(toHex(all.root), toHex(root));
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(leaves, m);
        assert.deepEqual(hexList(proof), hexList(refPath(m, leaves)), `PATH(${m})`);
        assert.deepEqual(hexList(all.proofs[m]!), hexList(proof));
        const claim = { index: m, treeSize: n, proof, root };
        assert.isTrue(verifyInclusion({ ...claim, leafData: leaves[m]! }));
        assert.isTrue(verifyInclusion({ ...claim, leafHash: leafHash(leaves[m]!) }));
      }
    });
  }
});

describe('merkle: known-answer file', () => {
  it('roots and paths equal merkle-rfc6962.json', async () => {
    const v = await readJsonFixture<VectorFile>(
      new URL('../vectors/merkle-rfc6962.json', import.meta.url),
    );
    assert.equal(v.cases.length, 18);
    for (const c of v.cases) {
      const leaves = leavesOf(c.size);
      assert.equal(toHex(merkleRoot(leaves)), c.root, `size ${c.size}`);
      assert.deepEqual(inclusionProofs(leaves).proofs.map(hexList), c.proofs);
      for (let m = 0; m < c.size; m++) {
        const proof = c.proofs[m]!.map(fromHex);
        const root = fromHex(c.root);
        assert.isTrue(
          verifyInclusion({ leafData: leaves[m]!, index: m, treeSize: c.size, proof, root }),
        );
      }
    }
  });
});

describe('merkle: rejection', () => {
  const n = 13;
  const leaves = leavesOf(n);
  const root = merkleRoot(leaves);
  const m = 6;
  const proof = inclusionProof(leaves, m);
  const ok = { leafData: leaves[m]!, index: m, treeSize: n, proof, root };

  it('accepts the honest claim', () => assert.isTrue(verifyInclusion(ok)));

  it('rejects wrong index and wrong size', () => {
    for (const index of [m - 1, m + 1, n, n + 5, -1, 1.5, Number.NaN]) {
      assert.isFalse(verifyInclusion({ ...ok, index }), `index ${index}`);
    }
    // Only sizes that change leaf 6's path shape can be caught: any size in
    // 9..16 hashes the same path the same way, so the root (signed beside the
    // size in a block header) is what binds the size.
    for (const treeSize of [7, 8, 17, 100, 0, 2 ** 60, Number.POSITIVE_INFINITY]) {
      assert.isFalse(verifyInclusion({ ...ok, treeSize }), `size ${treeSize}`);
    }
    const last = {
      ...ok,
      leafData: leaves[n - 1]!,
      index: n - 1,
      proof: inclusionProof(leaves, n - 1),
    };
    assert.isTrue(verifyInclusion(last));
    for (const treeSize of [n - 1, n + 1]) {
      assert.isFalse(verifyInclusion({ ...last, treeSize }), `last leaf, size ${treeSize}`);
    }
  });

  it('rejects a tampered, truncated, extended or reordered proof', () => {
    for (let i = 0; i < proof.length; i++) {
      const bad = proof.map((p) => p.slice());
      bad[i]![0]! ^= 1;
      assert.isFalse(verifyInclusion({ ...ok, proof: bad }));
    }
    assert.isFalse(verifyInclusion({ ...ok, proof: proof.slice(0, -1) }));
    assert.isFalse(verifyInclusion({ ...ok, proof: proof.slice(1) }));
    assert.isFalse(verifyInclusion({ ...ok, proof: [...proof, proof[0]!] }));
    assert.isFalse(verifyInclusion({ ...ok, proof: [...proof].reverse() }));
    assert.isFalse(verifyInclusion({ ...ok, proof: [] }));
  });

  it('rejects a swapped leaf and a wrong root', () => {
    assert.isFalse(verifyInclusion({ ...ok, leafData: leaves[m + 1]! }));
    assert.isFalse(verifyInclusion({ ...ok, root: merkleRoot(leavesOf(n + 1)) }));
    // An interior node presented as leaf data must not verify (domain separation).
    const interior = nodeHash(leafHash(leaves[6]!), leafHash(leaves[7]!));
    const up = inclusionProof(leaves, m).slice(1);
    assert.isFalse(verifyInclusion({ leafData: interior, index: 3, treeSize: 7, proof: up, root }));
  });

  it('rejects wrong hash lengths and hostile shapes without throwing', () => {
    const short = proof.map((p, i) => (i === 0 ? p.subarray(0, 31) : p));
    assert.isFalse(verifyInclusion({ ...ok, proof: short }));
    assert.isFalse(verifyInclusion({ ...ok, root: root.subarray(0, 31) }));
    assert.isFalse(verifyInclusion({ ...ok, root: concatBytes(root, Uint8Array.of(0)) }));
    const { leafData: _d, ...noLeaf } = ok;
    assert.isFalse(verifyInclusion({ ...noLeaf, leafHash: new Uint8Array(33) }));
    const hostile = [
      null,
      {},
      { ...ok, proof: null },
      { ...ok, proof: ['00'.repeat(32)] },
      { ...ok, proof: new Array(1000).fill(new Uint8Array(32)) },
      { ...ok, leafData: 'x' },
      { ...ok, leafHash: leafHash(leaves[m]!) },
      { ...noLeaf },
    ];
    for (const h of hostile) {
      assert.isFalse(verifyInclusion(h as unknown as Parameters<typeof verifyInclusion>[0]));
      assert.isNull(
        rootFromInclusionProof(h as unknown as Parameters<typeof rootFromInclusionProof>[0]),
      );
    }
  });

  it('refuses to build a proof for a missing leaf', () => {
    throwsWithCode(() => inclusionProof(leaves, n), 'MERKLE_INDEX_RANGE');
    throwsWithCode(() => inclusionProof(leaves, -1), 'MERKLE_INDEX_RANGE');
    throwsWithCode(() => inclusionProof([], 0), 'MERKLE_INDEX_RANGE');
  });

  it('empty tree: no proofs, nothing verifies', () => {
    assert.deepEqual(inclusionProofs([]).proofs, []);
    assert.isFalse(
      verifyInclusion({
        leafData: new Uint8Array(0),
        index: 0,
        treeSize: 0,
        proof: [],
        root: EMPTY_ROOT,
      }),
    );
  });
});

describe('merkle: scale', () => {
  it('10,000 leaves: root and all proofs in linear work', () => {
    const leaves = Array.from({ length: 10_000 }, (_, i) => Uint8Array.of(i & 0xff, i >> 8));
    const { root, proofs } = inclusionProofs(leaves);
    assert.isTrue(equalBytes(root, merkleRoot(leaves)));
    for (const i of [0, 1, 4095, 8191, 8192, 9998, 9999]) {
      const claim = { leafData: leaves[i]!, index: i, treeSize: 10_000, proof: proofs[i]!, root };
      assert.isTrue(verifyInclusion(claim), `leaf ${i}`);
    }
  });
});

describe('merkle: properties', () => {
  const arbTree = fc
    .array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 70 })
    .chain((leaves) => fc.tuple(fc.constant(leaves), fc.nat({ max: leaves.length - 1 })));

  it('every honest proof verifies and matches the reference', () => {
    fc.assert(
      fc.property(arbTree, ([leaves, index]) => {
        const root = merkleRoot(leaves);
        const proof = inclusionProof(leaves, index);
        assert.deepEqual(hexList(proof), hexList(refPath(index, leaves)));
        assert.equal(toHex(root), toHex(refMth(leaves)));
        const treeSize = leaves.length;
        assert.isTrue(verifyInclusion({ leafData: leaves[index]!, index, treeSize, proof, root }));
      }),
      { numRuns: 150 },
    );
  });

  it('flipping any bit of any proof element fails', () => {
    fc.assert(
      fc.property(
        arbTree,
        fc.nat(),
        fc.nat({ max: 31 }),
        fc.integer({ min: 0, max: 7 }),
        (t, e, b, bit) => {
          const [leaves, index] = t;
          const proof = inclusionProof(leaves, index);
          fc.pre(proof.length > 0);
          const bad = proof.map((p) => p.slice());
          bad[e % bad.length]![b]! ^= 1 << bit;
          const root = merkleRoot(leaves);
          const claim = {
            leafData: leaves[index]!,
            index,
            treeSize: leaves.length,
            proof: bad,
            root,
          };
          assert.isFalse(verifyInclusion(claim));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('leaf and node hashes are H(prefix || data) for inputs of every size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2100 }), fc.uint8Array({ maxLength: 70 }), (a, b) => {
        assert.equal(toHex(leafHash(a)), toHex(sha256(concatBytes(Uint8Array.of(0), a))));
        assert.equal(toHex(nodeHash(a, b)), toHex(sha256(concatBytes(Uint8Array.of(1), a, b))));
        // Interleaved, so one hash's input never leaks into the next.
        assert.equal(toHex(leafHash(b)), toHex(sha256(concatBytes(Uint8Array.of(0), b))));
      }),
      { numRuns: 300 },
    );
  });
});
