import { assert, describe, it } from '@weft/test/harness';
import {
  type AttestationPullRequest,
  attestationDigest,
  type CborValue,
  decodeAttestationDigest,
  decodeAttestationPullRequest,
  digestKeys,
  encode,
  encodeAttestationDigest,
  encodeAttestationPullRequest,
  MAX_DIGEST_SIGNERS,
  MAX_FETCH_ATTESTATIONS,
  MAX_PULL_BLOCKS,
  PROTOCOLS,
} from '../../src/index.js';

const key = (b: number) => new Uint8Array(32).fill(b);
const K1 = key(1);
const K2 = key(2);
const K3 = key(3);

function rejects(fn: () => unknown, code: string, what: string): void {
  let got: string | undefined;
  try {
    fn();
  } catch (err) {
    got = (err as { code?: string }).code;
  }
  assert.equal(got, code, what);
}

describe('attestation pull messages (/weft/attestations/1.0.0)', () => {
  it('has its protocol id', () => {
    assert.equal(PROTOCOLS.attestations, '/weft/attestations/1.0.0');
  });

  it('digest and fetch requests round-trip', () => {
    const digest = { type: 'digest', channel: 'weft', from: 1, count: MAX_PULL_BLOCKS } as const;
    assert.deepEqual(decodeAttestationPullRequest(encodeAttestationPullRequest(digest)), digest);
    const fetch: AttestationPullRequest = {
      type: 'fetch',
      channel: 'weft',
      from: 7,
      count: 16,
      signers: [K1, K2, K3],
    };
    assert.deepEqual(decodeAttestationPullRequest(encodeAttestationPullRequest(fetch)), fetch);
  });

  it('requests outside the bounds or the schema are refused', () => {
    const base = { type: 'fetch', channel: 'weft', from: 0, count: 1, signers: [K1] };
    const bad: [string, Record<string, CborValue>][] = [
      ['count 0', { ...base, count: 0 }],
      ['count 257', { ...base, count: MAX_PULL_BLOCKS + 1 }],
      ['no signers', { ...base, signers: [] }],
      ['signers out of order', { ...base, signers: [K2, K1] }],
      ['a repeated signer', { ...base, signers: [K1, K1] }],
      ['a short key', { ...base, signers: [new Uint8Array(31)] }],
      ['fetch without signers', { type: 'fetch', channel: 'weft', from: 0, count: 1 }],
      ['digest with signers', { ...base, type: 'digest' }],
      ['an unknown type', { ...base, type: 'push' }],
      ['an unknown field', { ...base, extra: 1 }],
      ['from as a string', { ...base, from: '0' }],
      [
        'count x signers too large',
        {
          ...base,
          count: MAX_PULL_BLOCKS,
          signers: Array.from({ length: MAX_FETCH_ATTESTATIONS / MAX_PULL_BLOCKS + 1 }, (_, i) =>
            key(i + 1),
          ),
        },
      ],
    ];
    for (const [what, body] of bad)
      rejects(() => decodeAttestationPullRequest(encode(body)), 'CODEC_SCHEMA', what);
  });

  it("a digest lists each block's signers by index into one sorted key table", () => {
    const perBlock = [[K3, K1], [], [K2]];
    const d = attestationDigest(perBlock);
    assert.deepEqual(d.signers, [K1, K2, K3]);
    assert.deepEqual(d.blocks, [[0, 2], [], [1]]);
    const back = decodeAttestationDigest(encodeAttestationDigest(d));
    assert.deepEqual(back, d);
    assert.deepEqual(digestKeys(back), [[K1, K3], [], [K2]]);
  });

  it('a digest past MAX_DIGEST_SIGNERS keeps the lowest keys, and still decodes', () => {
    const many = Array.from({ length: MAX_DIGEST_SIGNERS + 4 }, (_, i) => {
      const k = new Uint8Array(32);
      k[0] = i >> 8;
      k[1] = i & 0xff;
      return k;
    });
    const d = attestationDigest([many.slice().reverse(), [many.at(-1)!]]);
    assert.lengthOf(d.signers, MAX_DIGEST_SIGNERS);
    assert.deepEqual(d.blocks[1], []);
    assert.deepEqual(decodeAttestationDigest(encodeAttestationDigest(d)), d);
  });

  it('digests that break the rules are refused', () => {
    const bad: [string, Record<string, CborValue>][] = [
      ['keys out of order', { signers: [K2, K1], blocks: [[0, 1]] }],
      ['an index past the table', { signers: [K1], blocks: [[1]] }],
      ['indexes not ascending', { signers: [K1, K2], blocks: [[1, 0]] }],
      ['a repeated index', { signers: [K1, K2], blocks: [[0, 0, 1]] }],
      ['a key no block names', { signers: [K1, K2], blocks: [[0]] }],
      ['too many blocks', { signers: [K1], blocks: Array.from({ length: 257 }, () => [0]) }],
      ['an unknown field', { signers: [K1], blocks: [[0]], from: 0 }],
    ];
    for (const [what, body] of bad)
      rejects(() => decodeAttestationDigest(encode(body)), 'CODEC_SCHEMA', what);
  });
});
