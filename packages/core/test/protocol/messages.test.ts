import { assert, describe, it } from '@weft/test/harness';
import * as fc from 'fast-check';
import { concatBytes, equalBytes, fromHex, toHex, utf8 } from '../../src/bytes.js';
import { type CborValue, decode, encode } from '../../src/encoding/cbor.js';
import { CodecError } from '../../src/errors.js';
import type { Certificate } from '../../src/identity/certificate.js';
import {
  type AttestationPullRequest,
  decodeAttestationDigest,
  decodeAttestationPullRequest,
  encodeAttestationDigest,
  encodeAttestationPullRequest,
  MAX_ATTESTATION_DIGEST_BYTES,
  MAX_ATTESTATION_PULL_REQUEST_BYTES,
} from '../../src/protocol/attestation-pull.js';
import { blocksTopic, PROTOCOLS, stateTopic } from '../../src/protocol/ids.js';
import {
  type BlocksRequest,
  type BroadcastAck,
  type BroadcastRequest,
  type CoinPageMessage,
  decodeBlocksRequest,
  decodeBroadcastAck,
  decodeBroadcastRequest,
  decodeCoinPage,
  decodeEndorseRequest,
  decodeEndorseResponse,
  decodeGatewayRequest,
  decodeTxStatus,
  type EndorseRequest,
  type EndorseResponse,
  encodeBlocksRequest,
  encodeBroadcastAck,
  encodeBroadcastRequest,
  encodeCoinPage,
  encodeEndorseRequest,
  encodeEndorseResponse,
  encodeGatewayRequest,
  encodeTxStatus,
  type GatewayRequest,
  MAX_BROADCAST_REQUEST,
  MAX_ENDORSE_RESPONSE,
  MAX_GATEWAY_COIN_PAGE,
  MAX_SIGNED_PROPOSAL_MESSAGE,
  MAX_SMALL_MESSAGE,
  type TxStatus,
} from '../../src/protocol/messages.js';
import { MAX_ENVELOPE_BYTES } from '../../src/tx/envelope.js';
import {
  MAX_AUTH_SIGNATURES,
  MAX_PROPOSAL_BYTES,
  type SignedProposal,
} from '../../src/tx/proposal.js';
import type { RWSet } from '../../src/tx/rwset.js';
import { TxCode } from '../../src/validate/codes.js';

// --- samples ---------------------------------------------------------------

function filled(length: number, byte: number): Uint8Array {
  return new Uint8Array(length).fill(byte);
}

const TXID = filled(32, 0xaa);
const OWNER = filled(32, 0x0b);
const COIN_KEY = `${toHex(TXID)}.7`;

const cert: Certificate = {
  org: 'Org1',
  role: 'peer',
  publicKey: filled(32, 1),
  notBefore: 1_000,
  notAfter: 2_000,
  serial: 9,
  signature: filled(64, 2),
};

const signedProposal: SignedProposal = {
  proposal: utf8('proposal bytes, kept verbatim'),
  signature: filled(64, 3),
  auth: [
    { publicKey: filled(32, 4), signature: filled(64, 5) },
    { publicKey: filled(32, 6), signature: filled(64, 7) },
  ],
};

const rwset: RWSet = {
  reads: [
    { key: COIN_KEY, version: { block: 3, tx: 1 } },
    { key: 'absent', version: null },
  ],
  writes: [
    { key: COIN_KEY, value: null },
    { key: `${toHex(TXID)}.0`, value: utf8('coin') },
  ],
};

const endorseRequest: EndorseRequest = { channel: 'weft', signedProposal };
const endorseResponse: EndorseResponse = {
  rwset,
  endorsement: { endorser: cert, signature: filled(64, 8) },
};
const broadcastRequest: BroadcastRequest = { channel: 'weft', envelope: utf8('an envelope') };
const ack: BroadcastAck = { channel: 'weft', block: 12, index: 3 };
const submit: GatewayRequest = { type: 'submit', channel: 'weft', signedProposal, wait: true };
const status: GatewayRequest = { type: 'status', channel: 'weft', txid: TXID, wait: false };
const coins: GatewayRequest = { type: 'coins', channel: 'weft', owner: OWNER, limit: 50 };
const page: CoinPageMessage = {
  coins: [
    { key: COIN_KEY, amount: 5n, label: 'USD' },
    { key: `${toHex(TXID)}.8`, amount: (1n << 64n) - 1n, label: 'FBC' },
  ],
  next: `${toHex(TXID)}.8`,
};
const committed: TxStatus = {
  txid: TXID,
  status: 'committed',
  code: TxCode.MVCC_READ_CONFLICT,
  block: 4,
  index: 2,
};

interface Codec<T> {
  name: string;
  encode: (v: T) => Uint8Array;
  decode: (b: Uint8Array) => T;
  bound: number;
  sample: T;
}

function codec<T>(c: Codec<T>): Codec<unknown> {
  return c as Codec<unknown>;
}

const CODECS: Codec<unknown>[] = [
  codec({
    name: 'endorse request',
    encode: encodeEndorseRequest,
    decode: decodeEndorseRequest,
    bound: MAX_SIGNED_PROPOSAL_MESSAGE,
    sample: endorseRequest,
  }),
  codec({
    name: 'endorse response',
    encode: encodeEndorseResponse,
    decode: decodeEndorseResponse,
    bound: MAX_ENDORSE_RESPONSE,
    sample: endorseResponse,
  }),
  codec({
    name: 'broadcast request',
    encode: encodeBroadcastRequest,
    decode: decodeBroadcastRequest,
    bound: MAX_BROADCAST_REQUEST,
    sample: broadcastRequest,
  }),
  codec({
    name: 'broadcast ack',
    encode: encodeBroadcastAck,
    decode: decodeBroadcastAck,
    bound: MAX_SMALL_MESSAGE,
    sample: ack,
  }),
  codec({
    name: 'blocks request',
    encode: encodeBlocksRequest,
    decode: decodeBlocksRequest,
    bound: MAX_SMALL_MESSAGE,
    sample: { channel: 'weft', from: 3, to: 10 } as BlocksRequest,
  }),
  codec({
    name: 'gateway submit',
    encode: encodeGatewayRequest,
    decode: decodeGatewayRequest,
    bound: MAX_SIGNED_PROPOSAL_MESSAGE,
    sample: submit,
  }),
  codec({
    name: 'gateway status',
    encode: encodeGatewayRequest,
    decode: decodeGatewayRequest,
    bound: MAX_SIGNED_PROPOSAL_MESSAGE,
    sample: status,
  }),
  codec({
    name: 'gateway coins',
    encode: encodeGatewayRequest,
    decode: decodeGatewayRequest,
    bound: MAX_SIGNED_PROPOSAL_MESSAGE,
    sample: { ...coins, after: COIN_KEY },
  }),
  codec({
    name: 'coin page',
    encode: encodeCoinPage,
    decode: decodeCoinPage,
    bound: MAX_GATEWAY_COIN_PAGE * 256,
    sample: page,
  }),
  codec({
    name: 'tx status',
    encode: encodeTxStatus,
    decode: decodeTxStatus,
    bound: MAX_SMALL_MESSAGE,
    sample: committed,
  }),
];

const digestRequest: AttestationPullRequest = {
  type: 'digest',
  channel: 'weft',
  from: 1,
  count: 9,
};
CODECS.push(
  codec({
    name: 'attestation digest request',
    encode: encodeAttestationPullRequest,
    decode: decodeAttestationPullRequest,
    bound: MAX_ATTESTATION_PULL_REQUEST_BYTES,
    sample: digestRequest,
  }),
  codec({
    name: 'attestation fetch request',
    encode: encodeAttestationPullRequest,
    decode: decodeAttestationPullRequest,
    bound: MAX_ATTESTATION_PULL_REQUEST_BYTES,
    sample: { ...digestRequest, type: 'fetch', signers: [filled(32, 1), filled(32, 2)] },
  }),
  codec({
    name: 'attestation digest',
    encode: encodeAttestationDigest,
    decode: decodeAttestationDigest,
    bound: MAX_ATTESTATION_DIGEST_BYTES,
    sample: { signers: [filled(32, 1), filled(32, 2)], blocks: [[0, 1], [], [1]] },
  }),
);

const DECODERS = [...new Set(CODECS.map((c) => c.decode))];

// --- helpers ---------------------------------------------------------------

type Obj = Record<string, CborValue>;

const DROP = Symbol('drop');

/**
 * Decodes a valid message to its raw CBOR map, sets (or, with DROP, deletes)
 * the field at the dotted `path` ('signedProposal.auth.0.publicKey'), and
 * re-encodes it canonically: only the schema is wrong, never the encoding.
 */
function edit(bytes: Uint8Array, path: string, value: CborValue | typeof DROP): Uint8Array {
  const root = structuredClone(decode(bytes, { maxBytes: 1 << 22 })) as Obj;
  const keys = path.split('.');
  const last = keys.pop()!;
  let at: Record<string, unknown> = root;
  for (const k of keys) at = at[k] as Record<string, unknown>;
  if (value === DROP) delete at[last];
  else at[last] = value;
  return encode(root);
}

function assertCodecError(fn: () => unknown, what: string, code?: string): CodecError {
  try {
    fn();
  } catch (err) {
    assert.instanceOf(err, CodecError, `${what}: threw a non-codec error: ${String(err)}`);
    if (code) assert.equal((err as CodecError).code, code, `${what}: ${String(err)}`);
    return err as CodecError;
  }
  assert.fail(`${what}: decoded without an error`);
}

/** Hand-built CBOR heads, for encodings the canonical encoder never makes. */
function head(major: number, n: number, long = false): Uint8Array {
  if (n < 24 && !long) return Uint8Array.of((major << 5) | n);
  if (n < 256) return Uint8Array.of((major << 5) | 24, n);
  return Uint8Array.of((major << 5) | 25, n >> 8, n & 0xff);
}
const text = (s: string) => concatBytes(head(3, utf8(s).length), utf8(s));
const uint = (n: number, long = false) => head(0, n, long);
function rawMap(entries: [string, Uint8Array][]): Uint8Array {
  return concatBytes(head(5, entries.length), ...entries.flatMap(([k, v]) => [text(k), v]));
}

/** A value of a type no field of these messages accepts in the given slot. */
function wrongTypeFor(v: CborValue): CborValue[] {
  if (typeof v === 'string') return [7, utf8(v), null, [v]];
  if (typeof v === 'number' || typeof v === 'bigint') return ['7', -1, true, null];
  if (typeof v === 'boolean') return [1, 'true', null];
  if (v instanceof Uint8Array) return [toHex(v), 0, [], null];
  if (Array.isArray(v)) return [{}, 'list', 0];
  if (v === null) return [{ x: 1 }, true];
  return [[v], 'map', 0];
}

// --- tests -----------------------------------------------------------------

describe('protocol ids', () => {
  it('names every protocol with its version and the channel topics', () => {
    for (const id of Object.values(PROTOCOLS)) assert.match(id, /^\/weft\/[a-z]+\/1\.0\.0$/);
    assert.equal(new Set(Object.values(PROTOCOLS)).size, Object.keys(PROTOCOLS).length);
    assert.equal(PROTOCOLS.gateway, '/weft/gateway/1.0.0');
    assert.equal(PROTOCOLS.endorse, '/weft/endorse/1.0.0');
    assert.equal(PROTOCOLS.broadcast, '/weft/broadcast/1.0.0');
    assert.equal(PROTOCOLS.deliver, '/weft/deliver/1.0.0');
    assert.equal(PROTOCOLS.blocks, '/weft/blocks/1.0.0');
    assert.equal(blocksTopic('weft'), '/weft/weft/blocks/1');
    assert.equal(stateTopic('ch-2'), '/weft/ch-2/state/1');
  });
});

function roundTrip<T>(enc: (v: T) => Uint8Array, dec: (b: Uint8Array) => T, v: T): void {
  const bytes = enc(v);
  assert.deepEqual(dec(bytes), v);
  assert.isTrue(equalBytes(enc(dec(bytes)), bytes));
}

describe('protocol messages: round trips', () => {
  for (const c of CODECS) {
    it(`${c.name}: decode(encode(x)) equals x and re-encodes to the same bytes`, () => {
      const bytes = c.encode(c.sample);
      const back = c.decode(bytes);
      assert.deepEqual(back, c.sample);
      assert.isTrue(equalBytes(c.encode(back), bytes));
    });
  }

  it('every variant of the optional fields', () => {
    roundTrip(encodeBlocksRequest, decodeBlocksRequest, { channel: 'weft', from: 0 });
    roundTrip(encodeBlocksRequest, decodeBlocksRequest, { channel: 'weft', from: 5, to: 5 });
    roundTrip(encodeBlocksRequest, decodeBlocksRequest, {
      channel: 'weft',
      from: 0,
      to: Number.MAX_SAFE_INTEGER,
    });
    roundTrip(encodeGatewayRequest, decodeGatewayRequest, coins);
    roundTrip(encodeGatewayRequest, decodeGatewayRequest, { ...submit, wait: false });
    roundTrip(encodeGatewayRequest, decodeGatewayRequest, { ...status, wait: true });
    roundTrip(encodeGatewayRequest, decodeGatewayRequest, {
      ...submit,
      signedProposal: { ...signedProposal, auth: [] },
    });
    roundTrip(encodeCoinPage, decodeCoinPage, { coins: [] });
    roundTrip(encodeCoinPage, decodeCoinPage, { coins: page.coins });
    roundTrip(encodeTxStatus, decodeTxStatus, { txid: TXID, status: 'submitted' });
    roundTrip(encodeTxStatus, decodeTxStatus, { txid: TXID, status: 'unknown' });
    roundTrip(encodeEndorseResponse, decodeEndorseResponse, {
      ...endorseResponse,
      rwset: { reads: [], writes: [] },
    });
    roundTrip(encodeBroadcastRequest, decodeBroadcastRequest, {
      channel: 'weft',
      envelope: new Uint8Array(),
    });
    roundTrip(encodeBroadcastAck, decodeBroadcastAck, { channel: 'weft', block: 0, index: 0 });
    for (const code of Object.values(TxCode)) {
      const s: TxStatus = { ...committed, code };
      assert.deepEqual(decodeTxStatus(encodeTxStatus(s)), s);
    }
  });

  it('coin amounts come back as bigint, small or 64-bit', () => {
    const back = decodeCoinPage(encodeCoinPage(page));
    assert.strictEqual(back.coins[0]!.amount, 5n);
    assert.strictEqual(back.coins[1]!.amount, (1n << 64n) - 1n);
  });

  it('the largest legal messages fit their bounds', () => {
    const auth = Array.from({ length: MAX_AUTH_SIGNATURES }, (_, i) => ({
      publicKey: filled(32, i),
      signature: filled(64, 255 - i),
    }));
    const big: SignedProposal = {
      proposal: filled(MAX_PROPOSAL_BYTES, 0x61),
      signature: filled(64, 1),
      auth,
    };
    const channel = 'c'.repeat(64);
    const endorse = encodeEndorseRequest({ channel, signedProposal: big });
    assert.isAtMost(endorse.length, MAX_SIGNED_PROPOSAL_MESSAGE);
    assert.deepEqual(decodeEndorseRequest(endorse).signedProposal, big);
    const gw = encodeGatewayRequest({ type: 'submit', channel, signedProposal: big, wait: true });
    assert.deepEqual(decodeGatewayRequest(gw), {
      type: 'submit',
      channel,
      signedProposal: big,
      wait: true,
    });

    const envelope = filled(MAX_ENVELOPE_BYTES, 0x62);
    const bc = encodeBroadcastRequest({ channel, envelope });
    assert.isAtMost(bc.length, MAX_BROADCAST_REQUEST);
    assert.equal(decodeBroadcastRequest(bc).envelope.length, MAX_ENVELOPE_BYTES);

    // A full page of real coin keys (64 hex, '.', up to 3 digits) and the longest labels.
    const full: CoinPageMessage = {
      coins: Array.from({ length: MAX_GATEWAY_COIN_PAGE }, (_, i) => ({
        key: `${toHex(TXID)}.${i + 100}`,
        amount: (1n << 64n) - 1n,
        label: 'L'.repeat(16),
      })),
      next: `${toHex(TXID)}.999`,
    };
    assert.deepEqual(decodeCoinPage(encodeCoinPage(full)), full);

    const gwCoins = encodeGatewayRequest({
      type: 'coins',
      channel,
      owner: OWNER,
      limit: MAX_GATEWAY_COIN_PAGE,
      after: 'k'.repeat(128),
    });
    assert.equal((decodeGatewayRequest(gwCoins) as { limit: number }).limit, MAX_GATEWAY_COIN_PAGE);
  });
});

describe('protocol messages: strictness', () => {
  it('rejects an unknown field, at the top and inside nested records', () => {
    for (const c of CODECS) {
      const bytes = c.encode(c.sample);
      assertCodecError(
        () => c.decode(edit(bytes, 'extra', 1)),
        `${c.name} + extra`,
        'CODEC_SCHEMA',
      );
    }
    const nested: [string, (b: Uint8Array) => unknown, Uint8Array, string, CborValue][] = [
      [
        'endorse signedProposal',
        decodeEndorseRequest,
        encodeEndorseRequest(endorseRequest),
        'signedProposal.x',
        1,
      ],
      [
        'endorse auth entry',
        decodeEndorseRequest,
        encodeEndorseRequest(endorseRequest),
        'signedProposal.auth.1.x',
        1,
      ],
      [
        'endorsement',
        decodeEndorseResponse,
        encodeEndorseResponse(endorseResponse),
        'endorsement.x',
        1,
      ],
      [
        'endorser certificate',
        decodeEndorseResponse,
        encodeEndorseResponse(endorseResponse),
        'endorsement.endorser.x',
        1,
      ],
      [
        'rw-set read',
        decodeEndorseResponse,
        encodeEndorseResponse(endorseResponse),
        'rwset.reads.0.x',
        1,
      ],
      ['coin', decodeCoinPage, encodeCoinPage(page), 'coins.1.owner', OWNER],
      [
        'gateway submit proposal',
        decodeGatewayRequest,
        encodeGatewayRequest(submit),
        'signedProposal.x',
        1,
      ],
    ];
    for (const [what, dec, bytes, path, value] of nested) {
      assertCodecError(() => dec(edit(bytes, path, value)), what, 'CODEC_SCHEMA');
    }
  });

  it('rejects every missing field', () => {
    for (const c of CODECS) {
      const bytes = c.encode(c.sample);
      const fields = Object.keys(decode(bytes, { maxBytes: 1 << 22 }) as Obj);
      const optional = new Set(['to', 'after', 'next']);
      for (const f of fields) {
        if (optional.has(f)) continue;
        assertCodecError(
          () => c.decode(edit(bytes, `${f}`, DROP)),
          `${c.name} without ${f}`,
          'CODEC_SCHEMA',
        );
      }
    }
    // Nested required fields.
    const bytes = encodeEndorseResponse(endorseResponse);
    for (const f of ['org', 'role', 'publicKey', 'notBefore', 'notAfter', 'serial', 'signature']) {
      assertCodecError(
        () => decodeEndorseResponse(edit(bytes, `endorsement.endorser.${f}`, DROP)),
        `certificate without ${f}`,
      );
    }
    assertCodecError(
      () => decodeCoinPage(edit(encodeCoinPage(page), 'coins.0.amount', DROP)),
      'coin without amount',
    );
    // A committed status needs its code, block and index.
    for (const f of ['code', 'block', 'index']) {
      assertCodecError(
        () => decodeTxStatus(edit(encodeTxStatus(committed), `${f}`, DROP)),
        `committed without ${f}`,
      );
    }
  });

  it('rejects a wrong type in every top-level field', () => {
    for (const c of CODECS) {
      const bytes = c.encode(c.sample);
      const m0 = decode(bytes, { maxBytes: 1 << 22 }) as Obj;
      for (const [f, v] of Object.entries(m0)) {
        for (const wrong of wrongTypeFor(v)) {
          // 'type' and 'status' pick the variant: a string there is another variant, tested below.
          if ((f === 'type' || f === 'status') && typeof wrong === 'string') continue;
          assertCodecError(
            () => c.decode(edit(bytes, `${f}`, wrong)),
            `${c.name}.${f} = ${String(wrong)}`,
          );
        }
      }
    }
  });

  it('rejects a message that is not a map, and input that is not bytes', () => {
    for (const decodeFn of DECODERS) {
      for (const v of [[], 1, 'weft', utf8('x'), null, true] as CborValue[]) {
        assertCodecError(() => decodeFn(encode(v)), `top-level ${String(v)}`, 'CODEC_SCHEMA');
      }
      assertCodecError(() => decodeFn(new Uint8Array()), 'empty input', 'CODEC_MALFORMED');
      for (const notBytes of [[0xa0], 'a0', new ArrayBuffer(1), null]) {
        assertCodecError(
          () => decodeFn(notBytes as unknown as Uint8Array),
          `non-bytes ${String(notBytes)}`,
          'CODEC_NOT_BYTES',
        );
      }
    }
  });

  it('rejects input over each bound before decoding it', () => {
    for (const c of CODECS) {
      const bytes = c.encode(c.sample);
      // A valid message padded past the bound: the size check comes first.
      const over = concatBytes(bytes, new Uint8Array(c.bound + 1 - bytes.length));
      assertCodecError(() => c.decode(over), `${c.name} over bound`, 'CODEC_TOO_LARGE');
    }
  });

  it('rejects oversize fields inside the bound', () => {
    const longChannel = 'c'.repeat(65);
    const cases: [string, () => unknown][] = [
      [
        'endorse channel',
        () =>
          decodeEndorseRequest(encodeEndorseRequest({ ...endorseRequest, channel: longChannel })),
      ],
      [
        'ack channel',
        () => decodeBroadcastAck(encodeBroadcastAck({ ...ack, channel: longChannel })),
      ],
      [
        'blocks channel',
        () => decodeBlocksRequest(encodeBlocksRequest({ channel: longChannel, from: 0 })),
      ],
      [
        'gateway channel',
        () => decodeGatewayRequest(encodeGatewayRequest({ ...status, channel: longChannel })),
      ],
      [
        'broadcast envelope',
        () =>
          decodeBroadcastRequest(
            encodeBroadcastRequest({
              channel: 'weft',
              envelope: new Uint8Array(MAX_ENVELOPE_BYTES + 1),
            }),
          ),
      ],
      [
        'proposal bytes',
        () =>
          decodeEndorseRequest(
            encodeEndorseRequest({
              channel: 'weft',
              signedProposal: {
                ...signedProposal,
                proposal: new Uint8Array(MAX_PROPOSAL_BYTES + 1),
              },
            }),
          ),
      ],
      [
        'auth signatures',
        () =>
          decodeGatewayRequest(
            encodeGatewayRequest({
              ...submit,
              signedProposal: {
                ...signedProposal,
                auth: Array.from(
                  { length: MAX_AUTH_SIGNATURES + 1 },
                  () => signedProposal.auth[0]!,
                ),
              },
            } as GatewayRequest),
          ),
      ],
      [
        'coin page length',
        () =>
          decodeCoinPage(
            encodeCoinPage({
              coins: Array.from({ length: MAX_GATEWAY_COIN_PAGE + 1 }, () => ({
                key: 'k',
                amount: 1n,
                label: 'U',
              })),
            }),
          ),
      ],
      [
        'coin key',
        () =>
          decodeCoinPage(
            encodeCoinPage({ coins: [{ key: 'k'.repeat(129), amount: 1n, label: 'U' }] }),
          ),
      ],
      [
        'coin label',
        () =>
          decodeCoinPage(
            encodeCoinPage({ coins: [{ key: 'k', amount: 1n, label: 'U'.repeat(65) }] }),
          ),
      ],
      [
        'coin page next',
        () => decodeCoinPage(encodeCoinPage({ coins: [], next: 'k'.repeat(129) })),
      ],
      [
        'gateway after',
        () =>
          decodeGatewayRequest(
            encodeGatewayRequest({ ...coins, after: 'k'.repeat(129) } as GatewayRequest),
          ),
      ],
    ];
    for (const [what, fn] of cases) assertCodecError(fn, what, 'CODEC_SCHEMA');
  });

  it('rejects non-canonical encodings', () => {
    const blockField = uint(12);
    const good = rawMap([
      ['block', blockField],
      ['index', uint(3)],
      ['channel', text('weft')],
    ]);
    assert.deepEqual(decodeBroadcastAck(good), ack, 'the hand-built canonical form');
    assert.isTrue(equalBytes(good, encodeBroadcastAck(ack)));
    const bad: [string, Uint8Array][] = [
      [
        'unsorted keys',
        rawMap([
          ['channel', text('weft')],
          ['block', uint(12)],
          ['index', uint(3)],
        ]),
      ],
      [
        'a long-form integer',
        rawMap([
          ['block', uint(12, true)],
          ['index', uint(3)],
          ['channel', text('weft')],
        ]),
      ],
      [
        'a duplicate key',
        rawMap([
          ['block', uint(12)],
          ['block', uint(12)],
          ['index', uint(3)],
          ['channel', text('weft')],
        ]),
      ],
      [
        'a float',
        rawMap([
          ['block', fromHex('f94a00')],
          ['index', uint(3)],
          ['channel', text('weft')],
        ]),
      ],
      [
        'an indefinite-length map',
        concatBytes(
          fromHex('bf'),
          text('block'),
          uint(12),
          text('index'),
          uint(3),
          text('channel'),
          text('weft'),
          fromHex('ff'),
        ),
      ],
      [
        'a tag',
        rawMap([
          ['block', concatBytes(fromHex('c2'), fromHex('410c'))],
          ['index', uint(3)],
          ['channel', text('weft')],
        ]),
      ],
      ['trailing bytes', concatBytes(good, fromHex('00'))],
    ];
    for (const [what, bytes] of bad) assertCodecError(() => decodeBroadcastAck(bytes), what);
    // And in a large message: a long-form length on the proposal bytes.
    const sp = encodeEndorseRequest(endorseRequest);
    const p = signedProposal.proposal;
    const at = findBytes(sp, concatBytes(head(2, p.length), p));
    assert.isAbove(at, 0);
    const longForm = concatBytes(
      sp.subarray(0, at),
      Uint8Array.of(0x59, 0, p.length),
      sp.subarray(at + head(2, p.length).length),
    );
    assertCodecError(() => decodeEndorseRequest(longForm), 'long-form byte string length');
  });

  it('rejects a txid or owner of the wrong length, and signatures and keys of the wrong length', () => {
    for (const n of [0, 31, 33, 64]) {
      assertCodecError(
        () =>
          decodeGatewayRequest(
            encodeGatewayRequest({ ...status, txid: new Uint8Array(n) } as GatewayRequest),
          ),
        `status txid of ${n}`,
        'CODEC_SCHEMA',
      );
      assertCodecError(
        () => decodeTxStatus(encodeTxStatus({ txid: new Uint8Array(n), status: 'unknown' })),
        `tx status txid of ${n}`,
        'CODEC_SCHEMA',
      );
      assertCodecError(
        () =>
          decodeGatewayRequest(
            encodeGatewayRequest({ ...coins, owner: new Uint8Array(n) } as GatewayRequest),
          ),
        `coins owner of ${n}`,
        'CODEC_SCHEMA',
      );
    }
    const bytes = encodeEndorseRequest(endorseRequest);
    const edits: [string, string, CborValue][] = [
      ['proposal signature', 'signedProposal.signature', new Uint8Array(63)],
      ['auth key', 'signedProposal.auth.0.publicKey', new Uint8Array(33)],
      ['auth signature', 'signedProposal.auth.0.signature', new Uint8Array(65)],
    ];
    for (const [what, path, value] of edits)
      assertCodecError(() => decodeEndorseRequest(edit(bytes, path, value)), what);
    const resp = encodeEndorseResponse(endorseResponse);
    assertCodecError(
      () => decodeEndorseResponse(edit(resp, 'endorsement.signature', new Uint8Array(32))),
      'endorsement signature',
    );
    assertCodecError(
      () => decodeEndorseResponse(edit(resp, 'endorsement.endorser.publicKey', new Uint8Array(31))),
      'endorser key',
    );
  });

  it("bounds the gateway 'coins' limit to 1..MAX_GATEWAY_COIN_PAGE", () => {
    const bytes = encodeGatewayRequest(coins);
    for (const limit of [1, 2, MAX_GATEWAY_COIN_PAGE - 1, MAX_GATEWAY_COIN_PAGE]) {
      const r = decodeGatewayRequest(edit(bytes, 'limit', limit));
      assert.equal((r as { limit: number }).limit, limit);
    }
    for (const limit of [
      0,
      -1,
      MAX_GATEWAY_COIN_PAGE + 1,
      2 ** 32,
      Number.MAX_SAFE_INTEGER,
      1n << 60n,
    ]) {
      assertCodecError(
        () => decodeGatewayRequest(edit(bytes, 'limit', limit)),
        `limit ${limit}`,
        'CODEC_SCHEMA',
      );
    }
  });

  it('keeps each gateway request to its own fields', () => {
    const cases: [string, Uint8Array, string, CborValue][] = [
      ['submit with a txid', encodeGatewayRequest(submit), 'txid', TXID],
      ['submit with an owner', encodeGatewayRequest(submit), 'owner', OWNER],
      ['submit with a limit', encodeGatewayRequest(submit), 'limit', 5],
      ['submit with after', encodeGatewayRequest(submit), 'after', 'x'],
      [
        'status with a signedProposal',
        encodeGatewayRequest(status),
        'signedProposal',
        (decode(encodeGatewayRequest(submit), { maxBytes: 1 << 20 }) as Obj).signedProposal!,
      ],
      ['status with an owner', encodeGatewayRequest(status), 'owner', OWNER],
      ['status with after', encodeGatewayRequest(status), 'after', 'x'],
      ['coins with wait', encodeGatewayRequest(coins), 'wait', true],
      ['coins with a txid', encodeGatewayRequest(coins), 'txid', TXID],
      ['submit as a status', encodeGatewayRequest(submit), 'type', 'status'],
      ['status as a submit', encodeGatewayRequest(status), 'type', 'submit'],
      ['status as coins', encodeGatewayRequest(status), 'type', 'coins'],
      ['an unknown type', encodeGatewayRequest(status), 'type', 'cancel'],
      ['an empty type', encodeGatewayRequest(status), 'type', ''],
      ['wait as 1', encodeGatewayRequest(status), 'wait', 1],
      ['wait as null', encodeGatewayRequest(submit), 'wait', null],
      ['an extra field', encodeGatewayRequest(coins), 'extra', 'x'],
    ];
    for (const [what, bytes, path, value] of cases) {
      assertCodecError(() => decodeGatewayRequest(edit(bytes, path, value)), what, 'CODEC_SCHEMA');
    }
  });

  it('keeps a tx status consistent with itself', () => {
    const cases: [string, Uint8Array, string, CborValue][] = [
      ['submitted with a code', encodeTxStatus({ txid: TXID, status: 'submitted' }), 'code', 0],
      ['unknown with a block', encodeTxStatus({ txid: TXID, status: 'unknown' }), 'block', 1],
      ['unknown with an index', encodeTxStatus({ txid: TXID, status: 'unknown' }), 'index', 0],
      ['an unknown code', encodeTxStatus(committed), 'code', 9],
      ['a huge code', encodeTxStatus(committed), 'code', 2 ** 40],
      ['an unknown status', encodeTxStatus(committed), 'status', 'pending'],
      ['a negative block', encodeTxStatus(committed), 'block', -1],
      ['an extra field', encodeTxStatus(committed), 'channel', 'weft'],
    ];
    for (const [what, bytes, path, value] of cases) {
      assertCodecError(() => decodeTxStatus(edit(bytes, path, value)), what, 'CODEC_SCHEMA');
    }
  });

  it('rejects a blocks range that ends before it starts, and negative or huge heights', () => {
    const bytes = encodeBlocksRequest({ channel: 'weft', from: 5, to: 6 });
    const edits: [string, string, CborValue][] = [
      ['to before from', 'to', 4],
      ['negative from', 'from', -1],
      ['from beyond 2^53', 'from', 1n << 60n],
      ['null to', 'to', null],
    ];
    for (const [what, path, value] of edits) {
      assertCodecError(() => decodeBlocksRequest(edit(bytes, path, value)), what, 'CODEC_SCHEMA');
    }
    assertCodecError(
      () => decodeBroadcastAck(edit(encodeBroadcastAck(ack), 'index', -2)),
      'negative ack index',
      'CODEC_SCHEMA',
    );
  });

  it('rejects coin amounts that are negative, and rw-set versions of the wrong shape', () => {
    assertCodecError(
      () => decodeCoinPage(edit(encodeCoinPage(page), 'coins.0.amount', -5)),
      'negative amount',
      'CODEC_SCHEMA',
    );
    const resp = encodeEndorseResponse(endorseResponse);
    assertCodecError(
      () => decodeEndorseResponse(edit(resp, 'rwset.reads.0.version', { block: 1 })),
      'version without tx',
    );
    assertCodecError(
      () => decodeEndorseResponse(edit(resp, 'rwset.writes.0.value', 'deleted')),
      'write value as text',
    );
  });
});

function findBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

// --- properties ------------------------------------------------------------

/** Decodes with every decoder; each either throws a CodecError or returns what re-encodes to `bytes`. */
function checkAllDecoders(bytes: Uint8Array): void {
  for (const c of CODECS) {
    let value: unknown;
    try {
      value = c.decode(bytes);
    } catch (err) {
      assert.instanceOf(err, CodecError, `${c.name} threw a non-codec error: ${String(err)}`);
      continue;
    }
    assert.isTrue(
      equalBytes(c.encode(value), bytes),
      `${c.name} accepted ${toHex(bytes)} which does not re-encode to itself`,
    );
  }
}

/** CBOR values built from the messages' own field names, so they often get past the map checks. */
const FIELD_NAMES = [
  'type',
  'channel',
  'signedProposal',
  'proposal',
  'signature',
  'auth',
  'publicKey',
  'txid',
  'wait',
  'owner',
  'limit',
  'after',
  'coins',
  'key',
  'amount',
  'label',
  'next',
  'status',
  'code',
  'block',
  'index',
  'from',
  'to',
  'envelope',
  'rwset',
  'reads',
  'writes',
  'version',
  'value',
  'tx',
  'endorsement',
  'endorser',
  'count',
  'signers',
  'blocks',
];

const cborValue = fc.letrec<{ value: CborValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<CborValue>(
      'submit',
      'status',
      'coins',
      'committed',
      'unknown',
      'submitted',
      'weft',
      true,
      false,
      null,
      0,
      1,
      500,
      501,
    ),
    fc.integer({ min: -3, max: 70_000 }),
    fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }),
    fc.string({ maxLength: 8 }),
    fc.constantFrom(32, 64, 31, 0).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...FIELD_NAMES), tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('protocol messages: hostile input (fast-check)', () => {
  it('arbitrary bytes only ever raise CodecError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => checkAllDecoders(bytes)),
      { numRuns: 1500 },
    );
  });

  it("arbitrary CBOR maps over the messages' field names only ever raise CodecError", () => {
    fc.assert(
      fc.property(cborValue, (v) => {
        let bytes: Uint8Array;
        try {
          bytes = encode(v);
        } catch {
          return; // not encodable canonically (e.g. a lone surrogate)
        }
        checkAllDecoders(bytes);
      }),
      { numRuns: 1500 },
    );
  });

  it('valid messages with bytes flipped, cut or inserted only ever raise CodecError', () => {
    const samples = CODECS.map((c) => c.encode(c.sample));
    fc.assert(
      fc.property(
        fc.nat({ max: samples.length - 1 }),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.integer({ min: 0, max: 255 }),
            fc.constantFrom('set', 'cut', 'insert'),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (which, edits) => {
          let bytes: Uint8Array = samples[which]!.slice();
          for (const [pos, byte, kind] of edits) {
            const at = pos % (bytes.length + 1);
            if (kind === 'cut') bytes = bytes.slice(0, at);
            else if (kind === 'set' && at < bytes.length) bytes[at] = byte;
            else
              bytes = concatBytes(bytes.subarray(0, at), Uint8Array.of(byte), bytes.subarray(at));
          }
          checkAllDecoders(bytes);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
