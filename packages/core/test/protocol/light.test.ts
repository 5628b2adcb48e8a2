import { assert, describe, it } from '@weft/test/harness';
import { buildMint, createDevNetwork, DevChain, devSecret } from '../../src/dev/index.js';
import {
  type Attestation,
  type Block,
  blockHash,
  type CborValue,
  CodecError,
  checkAttestations,
  codesHash,
  coinKey,
  decode,
  decodeLightAttestations,
  decodeLightBlock,
  decodeLightCoinPage,
  decodeLightHeader,
  decodeLightInfo,
  decodeLightRequest,
  decodeLightTx,
  encode,
  encodeBlock,
  encodeLightAttestations,
  encodeLightBlock,
  encodeLightCoinPage,
  encodeLightHeader,
  encodeLightInfo,
  encodeLightRequest,
  encodeLightTx,
  envelopeHash,
  equalBytes,
  fitLightCoinPage,
  inclusionProof,
  type LightCoin,
  type LightCoinPage,
  type LightRequest,
  type LightTx,
  lightTxIncluded,
  MAX_ENVELOPE_BYTES,
  MAX_LIGHT_ATTESTATIONS,
  MAX_LIGHT_ATTESTATIONS_BYTES,
  MAX_LIGHT_BLOCK_BYTES,
  MAX_LIGHT_COIN_PAGE,
  MAX_LIGHT_COINS_BYTES,
  MAX_LIGHT_HEADER_BYTES,
  MAX_LIGHT_HEADERS,
  MAX_LIGHT_INFO_BYTES,
  MAX_LIGHT_PROOF_LENGTH,
  MAX_LIGHT_REQUEST_BYTES,
  MAX_LIGHT_TX_BYTES,
  MAX_TX_PER_BLOCK,
  parseTx,
  signAttestation,
  signerFromSecret,
  TxCode,
  toHex,
  verifyBlock,
} from '../../src/index.js';

// --- a real chain: block 1 holds five mints (a tree of 5 leaves), block 2 one ---------

const SEED = 'light-protocol-test';
const net = await createDevNetwork({ seed: SEED });
const owner = await signerFromSecret(devSecret(SEED, 'owner'));
const chain = new DevChain(net);
const mints = await Promise.all(
  [1n, 2n, 3n, 4n, 5n].map((amount) =>
    buildMint(net, [{ amount, owner: owner.publicKey, label: 'USD' }]),
  ),
);
const one = await chain.append(mints.map((m) => m.bytes));
const late = await buildMint(net, [{ amount: 6n, owner: owner.publicKey, label: 'FBC' }]);
const two = await chain.append([late.bytes, mints[0]!.bytes]);
const block1 = one.block;
const codes1 = one.validation.codes;

function txOf(block: Block, codes: TxCode[], index: number): LightTx {
  return {
    envelope: block.data[index]!,
    block: block.header.number,
    index,
    treeSize: block.data.length,
    proof: inclusionProof(block.data.map(envelopeHash), index),
    codes,
  };
}

const tx: LightTx = txOf(block1, codes1, 2);
const attestations: Attestation[] = await Promise.all(
  net.peers.map((p) =>
    signAttestation(
      {
        channel: net.config.channel,
        number: 1,
        blockHash: blockHash(block1.header),
        codesHash: codesHash(codes1),
        commitHash: new Uint8Array(32).fill(7),
      },
      p.signer,
      p.cert,
    ),
  ),
);
const page: LightCoinPage = {
  coins: [
    { key: coinKey(mints[2]!.txid, 0), amount: 3n, label: 'USD', tx },
    {
      key: coinKey(late.txid, 0),
      amount: 6n,
      label: 'FBC',
      tx: txOf(two.block, two.validation.codes, 0),
    },
  ],
  next: coinKey(late.txid, 0),
};

const REQUESTS: LightRequest[] = [
  { type: 'info', channel: 'weft' },
  { type: 'headers', channel: 'weft', from: 0, count: MAX_LIGHT_HEADERS },
  { type: 'block', channel: 'weft', number: 1 },
  { type: 'tx', channel: 'weft', txid: mints[0]!.txid },
  { type: 'attestations', channel: 'weft', number: 7 },
  { type: 'coins', channel: 'weft', owner: owner.publicKey, limit: 1 },
  {
    type: 'coins',
    channel: 'weft',
    owner: owner.publicKey,
    limit: MAX_LIGHT_COIN_PAGE,
    after: coinKey(late.txid, 255),
  },
];

interface Codec {
  name: string;
  bytes: Uint8Array;
  decode: (b: Uint8Array) => unknown;
  bound: number;
  value: unknown;
}

const CODECS: Codec[] = [
  ...REQUESTS.map((r) => ({
    name: `request ${r.type}`,
    bytes: encodeLightRequest(r),
    decode: decodeLightRequest,
    bound: MAX_LIGHT_REQUEST_BYTES,
    value: r,
  })),
  {
    name: 'info',
    bytes: encodeLightInfo({ channel: 'weft', height: 3, genesisHash: net.genesisHash }),
    decode: decodeLightInfo,
    bound: MAX_LIGHT_INFO_BYTES,
    value: { channel: 'weft', height: 3, genesisHash: net.genesisHash },
  },
  {
    name: 'header',
    bytes: encodeLightHeader(block1),
    decode: decodeLightHeader,
    bound: MAX_LIGHT_HEADER_BYTES,
    value: { header: block1.header, signatures: block1.signatures },
  },
  {
    name: 'block',
    bytes: encodeLightBlock({ block: block1, codes: codes1 }),
    decode: decodeLightBlock,
    bound: MAX_LIGHT_BLOCK_BYTES,
    value: { block: block1, codes: codes1 },
  },
  {
    name: 'tx',
    bytes: encodeLightTx(tx),
    decode: decodeLightTx,
    bound: MAX_LIGHT_TX_BYTES,
    value: tx,
  },
  {
    name: 'attestations',
    bytes: encodeLightAttestations(attestations),
    decode: decodeLightAttestations,
    bound: MAX_LIGHT_ATTESTATIONS_BYTES,
    value: attestations,
  },
  {
    name: 'coin page',
    bytes: encodeLightCoinPage(page),
    decode: decodeLightCoinPage,
    bound: MAX_LIGHT_COINS_BYTES,
    value: page,
  },
];

// --- helpers -----------------------------------------------------------------------

type Obj = Record<string, CborValue>;
const DROP = Symbol('drop');

/** Re-encodes `bytes` with the field at dotted `path` set (or dropped): only the schema is wrong. */
function edit(bytes: Uint8Array, path: string, value: CborValue | typeof DROP): Uint8Array {
  const root = structuredClone(decode(bytes, { maxBytes: 1 << 24 })) as Obj;
  const keys = path.split('.');
  const last = keys.pop()!;
  let at: Record<string, unknown> = root;
  for (const k of keys) at = at[k] as Record<string, unknown>;
  if (value === DROP) delete at[last];
  else at[last] = value;
  return encode(root);
}

function rejects(fn: () => unknown, what: string, code = 'CODEC_SCHEMA'): void {
  try {
    fn();
  } catch (err) {
    assert.instanceOf(err, CodecError, `${what}: ${String(err)}`);
    assert.equal((err as CodecError).code, code, `${what}: ${String(err)}`);
    return;
  }
  assert.fail(`${what}: decoded without an error`);
}

const filled = (n: number, byte: number) => new Uint8Array(n).fill(byte);

// --- tests -------------------------------------------------------------------------

describe('light protocol: round trips', () => {
  for (const c of CODECS) {
    it(`${c.name}: decodes to the value and re-encodes to the same bytes`, () => {
      assert.isAtMost(c.bytes.length, c.bound);
      assert.deepEqual(c.decode(c.bytes), c.value);
    });
  }

  it('a header frame is the block encoding with no envelopes, and its block checks with verifyBlock', async () => {
    for (const [n, block] of chain.blocks.entries()) {
      const bytes = encodeLightHeader(block);
      assert.isTrue(equalBytes(bytes, encodeBlock({ ...block, data: [] })));
      if (n === 0) continue;
      const h = decodeLightHeader(bytes);
      const previous = chain.blocks[n - 1]!;
      assert.isTrue(equalBytes(h.header.previousHash, blockHash(previous.header)));
      // The header and signatures as received, with the envelopes: core's own verdict.
      const hash = await verifyBlock({
        block: { header: h.header, signatures: h.signatures, data: block.data },
        previous: {
          number: previous.header.number,
          hash: blockHash(previous.header),
          timestamp: previous.header.timestamp,
        },
        channel: net.channel,
        backend: net.backend,
      });
      assert.deepEqual(hash, blockHash(h.header));
    }
  });

  it('optional fields: a last coin page, an empty one, a block with no attestations', () => {
    const last = { coins: page.coins };
    assert.deepEqual(decodeLightCoinPage(encodeLightCoinPage(last)), last);
    assert.deepEqual(decodeLightCoinPage(encodeLightCoinPage({ coins: [] })), { coins: [] });
    assert.deepEqual(decodeLightAttestations(encodeLightAttestations([])), []);
  });

  it('coin amounts come back as bigint, small or 64-bit', () => {
    const big = { coins: [{ ...page.coins[0]!, amount: (1n << 64n) - 1n }] };
    const back = decodeLightCoinPage(encodeLightCoinPage(big));
    assert.strictEqual(back.coins[0]!.amount, (1n << 64n) - 1n);
    assert.strictEqual(decodeLightCoinPage(encodeLightCoinPage(page)).coins[0]!.amount, 3n);
  });
});

describe('light protocol: inclusion proofs reach the header dataHash', () => {
  it('every transaction of a 5-envelope block is included at its index', () => {
    for (let i = 0; i < block1.data.length; i++) {
      const t = decodeLightTx(encodeLightTx(txOf(block1, codes1, i)));
      assert.isTrue(lightTxIncluded(t, block1.header), `index ${i}`);
      assert.equal(toHex(parseTx(t.envelope).txid), toHex(mints[i]!.txid));
      assert.equal(t.codes[t.index], TxCode.VALID);
    }
    const dup = txOf(two.block, two.validation.codes, 1);
    assert.isTrue(lightTxIncluded(dup, two.block.header));
    assert.equal(dup.codes[dup.index], TxCode.DUPLICATE_TXID);
  });

  it('any change to the envelope, index, path, tree size or header fails', () => {
    const header = block1.header;
    assert.isFalse(lightTxIncluded(tx, two.block.header), 'another block');
    assert.isFalse(lightTxIncluded(tx, { ...header, number: 2 }), 'another number');
    assert.isFalse(lightTxIncluded({ ...tx, envelope: block1.data[3]! }, header), 'envelope');
    assert.isFalse(lightTxIncluded({ ...tx, index: 3 }, header), 'index');
    const path = tx.proof.map((p) => p.slice());
    path[0]![0]! ^= 1;
    assert.isFalse(lightTxIncluded({ ...tx, proof: path }, header), 'path');
    assert.isFalse(lightTxIncluded({ ...tx, proof: tx.proof.slice(1) }, header), 'short path');
    assert.isFalse(
      lightTxIncluded({ ...tx, treeSize: 3, codes: codes1.slice(0, 3) }, header),
      'size',
    );
    // treeSize must be the codes' length; a mismatch is never included.
    assert.isFalse(lightTxIncluded({ ...tx, treeSize: 4 }, header), 'size without codes');
  });

  it('why codes must match the attested codesHash: a wrong tree size can move a leaf', () => {
    // Leaf 4 of 5 has the same audit path as leaf 1 of a 2-leaf tree.
    const real = txOf(block1, codes1, 4);
    const moved: LightTx = { ...real, index: 1, treeSize: 2, codes: [codes1[0]!, codes1[1]!] };
    assert.isTrue(lightTxIncluded(moved, block1.header));
    // Leaf 2 of 5 has the same path as leaf 2 of a 6-leaf tree.
    const grown: LightTx = { ...txOf(block1, codes1, 2), treeSize: 6, codes: [...codes1, 0] };
    assert.isTrue(lightTxIncluded(grown, block1.header));
    assert.notDeepEqual(codesHash(grown.codes), codesHash(codes1));
    // ...but its codes no longer hash to what the peers attested for block 1.
    assert.notDeepEqual(codesHash(moved.codes), codesHash(codes1));
    assert.deepEqual(codesHash(real.codes), attestations[0]!.codesHash);
  });

  it('decoded attestations verify and satisfy the channel policy', async () => {
    const back = decodeLightAttestations(encodeLightAttestations(attestations));
    const result = await checkAttestations({
      channel: net.channel,
      expected: attestations[0]!,
      attestations: back,
      at: block1.header.timestamp,
      backend: net.backend,
    });
    assert.isTrue(result.satisfied);
    assert.equal(result.agreeing.length, net.peers.length);
  });
});

describe('light protocol: bounds', () => {
  it('the largest legal messages fit their bounds', () => {
    const channel = 'c'.repeat(64);
    const req = encodeLightRequest({
      type: 'coins',
      channel,
      owner: owner.publicKey,
      limit: MAX_LIGHT_COIN_PAGE,
      after: coinKey(late.txid, 999),
    });
    assert.isAtMost(req.length, MAX_LIGHT_REQUEST_BYTES);
    assert.equal(decodeLightRequest(req).channel, channel);
    const info = encodeLightInfo({
      channel,
      height: Number.MAX_SAFE_INTEGER,
      genesisHash: net.genesisHash,
    });
    assert.isAtMost(info.length, MAX_LIGHT_INFO_BYTES);

    const signatures = Array.from({ length: 64 }, (_, i) => ({
      signer: filled(32, i),
      signature: filled(64, i),
    }));
    const header = { ...block1.header, channel, number: Number.MAX_SAFE_INTEGER };
    const head = encodeLightHeader({ header, signatures });
    assert.isAtMost(head.length, MAX_LIGHT_HEADER_BYTES);
    assert.deepEqual(decodeLightHeader(head).signatures, signatures);

    const biggest: LightTx = {
      envelope: filled(MAX_ENVELOPE_BYTES, 0x61),
      block: Number.MAX_SAFE_INTEGER,
      index: MAX_TX_PER_BLOCK - 1,
      treeSize: MAX_TX_PER_BLOCK,
      proof: Array.from({ length: MAX_LIGHT_PROOF_LENGTH }, (_, i) => filled(32, i)),
      codes: Array.from({ length: MAX_TX_PER_BLOCK }, (_, i) => (i % 9) as TxCode),
    };
    const txBytes = encodeLightTx(biggest);
    assert.isAtMost(txBytes.length, MAX_LIGHT_TX_BYTES);
    assert.deepEqual(decodeLightTx(txBytes), biggest);
    // A block of MAX_TX_PER_BLOCK leaves never needs a longer path.
    assert.isAtLeast(2 ** MAX_LIGHT_PROOF_LENGTH, MAX_TX_PER_BLOCK);

    const many = Array.from({ length: MAX_LIGHT_ATTESTATIONS }, (_, i) => ({
      ...attestations[0]!,
      channel,
      signer: { ...attestations[0]!.signer, org: 'O'.repeat(64), serial: i },
    }));
    const att = encodeLightAttestations(many);
    assert.isAtMost(att.length, MAX_LIGHT_ATTESTATIONS_BYTES);
    assert.equal(decodeLightAttestations(att).length, MAX_LIGHT_ATTESTATIONS);
  });

  it('fitLightCoinPage cuts a page of large transactions at the byte bound, with next', () => {
    const bigTx: LightTx = { ...tx, envelope: filled(MAX_ENVELOPE_BYTES, 0x62) };
    const coins: LightCoin[] = Array.from({ length: 20 }, (_, j) => ({
      key: coinKey(mints[0]!.txid, j),
      amount: BigInt(j + 1),
      label: 'USD',
      tx: bigTx,
    }));
    const fitted = fitLightCoinPage(coins, coinKey(late.txid, 0));
    assert.isBelow(fitted.coins.length, coins.length);
    assert.isAbove(fitted.coins.length, 1);
    assert.equal(fitted.next, fitted.coins.at(-1)!.key);
    const bytes = encodeLightCoinPage(fitted);
    assert.isAtMost(bytes.length, MAX_LIGHT_COINS_BYTES);
    assert.deepEqual(decodeLightCoinPage(bytes), fitted);
    // One more coin would not have fitted.
    const more = encodeLightCoinPage({ coins: coins.slice(0, fitted.coins.length + 1) });
    assert.isAbove(more.length, MAX_LIGHT_COINS_BYTES);
    rejects(() => decodeLightCoinPage(more), 'over the bound', 'CODEC_TOO_LARGE');

    // A page that fits keeps the ledger's own next (or none).
    assert.deepEqual(fitLightCoinPage(page.coins, page.next), page);
    assert.deepEqual(fitLightCoinPage(page.coins), { coins: page.coins });
    assert.deepEqual(fitLightCoinPage([]), { coins: [] });
  });

  it('rejects input over each bound before decoding it', () => {
    for (const c of CODECS) {
      const over = new Uint8Array(c.bound + 1);
      rejects(() => c.decode(over), `${c.name} over its bound`, 'CODEC_TOO_LARGE');
    }
    // A full block (with its data) is not a header frame, and big ones are refused by size.
    rejects(() => decodeLightHeader(encodeBlock(block1)), 'header with envelopes');
    const fat = encodeLightHeader({
      header: block1.header,
      signatures: Array.from({ length: 64 }, () => ({
        signer: filled(32, 1),
        signature: filled(64, 2),
      })),
    });
    rejects(
      () => decodeLightHeader(edit(fat, 'x', 'y'.repeat(9000))),
      'fat header',
      'CODEC_TOO_LARGE',
    );
  });
});

describe('light protocol: strictness', () => {
  it('rejects an unknown field, at the top and in nested records', () => {
    for (const c of CODECS) {
      rejects(() => c.decode(edit(c.bytes, 'extra', 1)), `${c.name} + extra`);
    }
    const coinBytes = encodeLightCoinPage(page);
    rejects(() => decodeLightCoinPage(edit(coinBytes, 'coins.0.owner', 1)), 'coin + owner');
    rejects(() => decodeLightCoinPage(edit(coinBytes, 'coins.1.tx.extra', 1)), 'coin tx + extra');
    rejects(() => decodeLightHeader(edit(encodeLightHeader(block1), 'header.x', 1)), 'header.x');
  });

  it('rejects a field of another request type', () => {
    const info = encodeLightRequest({ type: 'info', channel: 'weft' });
    for (const [f, v] of [
      ['from', 0],
      ['number', 1],
      ['txid', mints[0]!.txid],
      ['after', coinKey(late.txid, 0)],
    ] as [string, CborValue][]) {
      rejects(() => decodeLightRequest(edit(info, f, v)), `info + ${f}`);
    }
    const txReq = encodeLightRequest({ type: 'tx', channel: 'weft', txid: mints[0]!.txid });
    rejects(() => decodeLightRequest(edit(txReq, 'type', 'block')), 'block with a txid');
    rejects(() => decodeLightRequest(edit(txReq, 'type', 'nonsense')), 'unknown type');
  });

  it('rejects every missing field', () => {
    for (const c of CODECS) {
      const fields = Object.keys(decode(c.bytes, { maxBytes: 1 << 24 }) as Obj);
      for (const f of fields) {
        if (f === 'after' || f === 'next') continue;
        rejects(() => c.decode(edit(c.bytes, f, DROP)), `${c.name} without ${f}`);
      }
    }
    for (const f of ['envelope', 'block', 'index', 'treeSize', 'proof', 'codes']) {
      rejects(
        () => decodeLightCoinPage(edit(encodeLightCoinPage(page), `coins.0.tx.${f}`, DROP)),
        `coin tx without ${f}`,
      );
    }
  });

  it('rejects a wrong type in every top-level field', () => {
    for (const c of CODECS) {
      const m = decode(c.bytes, { maxBytes: 1 << 24 }) as Obj;
      for (const [f, v] of Object.entries(m)) {
        const wrongs: CborValue[] =
          typeof v === 'string'
            ? [7, null, [v]]
            : typeof v === 'number'
              ? ['7', -1, null]
              : v instanceof Uint8Array
                ? [toHex(v), 0, []]
                : Array.isArray(v)
                  ? [{}, 'list', 0]
                  : [[v], 0];
        for (const wrong of wrongs) {
          rejects(() => c.decode(edit(c.bytes, f, wrong)), `${c.name}.${f} = ${String(wrong)}`);
        }
      }
    }
  });

  it('rejects counts and limits outside their ranges, and bad keys', () => {
    const headers = encodeLightRequest(REQUESTS[1]!);
    rejects(() => decodeLightRequest(edit(headers, 'count', 0)), 'count 0');
    rejects(() => decodeLightRequest(edit(headers, 'count', MAX_LIGHT_HEADERS + 1)), 'count max+1');
    const coins = encodeLightRequest(REQUESTS[6]!);
    rejects(() => decodeLightRequest(edit(coins, 'limit', 0)), 'limit 0');
    rejects(() => decodeLightRequest(edit(coins, 'limit', MAX_LIGHT_COIN_PAGE + 1)), 'limit max+1');
    rejects(() => decodeLightRequest(edit(coins, 'after', 'not a key')), 'after');
    rejects(() => decodeLightRequest(edit(coins, 'after', `${toHex(late.txid)}.1000`)), 'after j');
    rejects(() => decodeLightRequest(edit(coins, 'owner', filled(31, 1))), 'short owner');
    rejects(() => decodeLightRequest(edit(coins, 'channel', 'c'.repeat(65))), 'long channel');
    const txReq = encodeLightRequest(REQUESTS[3]!);
    rejects(() => decodeLightRequest(edit(txReq, 'txid', filled(33, 1))), 'long txid');
    const pageBytes = encodeLightCoinPage(page);
    rejects(() => decodeLightCoinPage(edit(pageBytes, 'next', 'x')), 'next');
    rejects(() => decodeLightCoinPage(edit(pageBytes, 'coins.0.key', 'x.1')), 'coin key');
    rejects(() => decodeLightCoinPage(edit(pageBytes, 'coins.0.label', 'L'.repeat(17))), 'label');
    const info = encodeLightInfo({ channel: 'weft', height: 1, genesisHash: net.genesisHash });
    rejects(() => decodeLightInfo(edit(info, 'height', 0)), 'height 0');
    rejects(() => decodeLightInfo(edit(info, 'genesisHash', filled(31, 0))), 'short hash');
  });

  it('rejects proofs and codes that do not fit the tree', () => {
    const bytes = encodeLightTx(tx);
    rejects(() => decodeLightTx(edit(bytes, 'index', 5)), 'index = treeSize');
    rejects(() => decodeLightTx(edit(bytes, 'treeSize', 0)), 'empty tree');
    rejects(() => decodeLightTx(edit(bytes, 'treeSize', MAX_TX_PER_BLOCK + 1)), 'huge tree');
    rejects(() => decodeLightTx(edit(bytes, 'treeSize', 4)), 'treeSize != codes');
    rejects(() => decodeLightTx(edit(bytes, 'codes', Uint8Array.of(0, 0, 0, 0, 99))), 'code 99');
    rejects(() => decodeLightTx(edit(bytes, 'proof', [filled(31, 0)])), 'short path entry');
    const long = Array.from({ length: MAX_LIGHT_PROOF_LENGTH + 1 }, () => filled(32, 0));
    rejects(() => decodeLightTx(edit(bytes, 'proof', long)), 'path too long');
    const blockBytes = encodeLightBlock({ block: block1, codes: codes1 });
    rejects(() => decodeLightBlock(edit(blockBytes, 'codes', Uint8Array.of(0))), 'codes count');
    rejects(
      () => decodeLightBlock(edit(blockBytes, 'block', encodeLightHeader(block1))),
      'a block that is only a head',
    );
    const attBytes = encodeLightAttestations(attestations);
    rejects(
      () => decodeLightAttestations(edit(attBytes, 'attestations.0', encode({ x: 1 }))),
      'not an attestation',
    );
  });

  it('rejects non-canonical encodings', () => {
    // {"type": "info", "channel": "weft"} with keys in the wrong order (canonical: type first).
    const head = (s: string) => [0x60 | s.length, ...new TextEncoder().encode(s)];
    const sorted = [...head('type'), ...head('info'), ...head('channel'), ...head('weft')];
    assert.deepEqual(
      encodeLightRequest({ type: 'info', channel: 'weft' }),
      Uint8Array.of(0xa2, ...sorted),
    );
    const unsorted = Uint8Array.of(
      0xa2,
      ...head('channel'),
      ...head('weft'),
      ...head('type'),
      ...head('info'),
    );
    rejects(() => decodeLightRequest(unsorted), 'unsorted keys', 'CODEC_NON_CANONICAL');
    // count 5 written with a one-byte argument (0x18 0x05) instead of inline.
    const req = encodeLightRequest({ type: 'headers', channel: 'weft', from: 0, count: 5 });
    const at = toHex(req).indexOf(toHex(Uint8Array.of(...head('count'), 0x05))) / 2 + 6;
    assert.equal(req[at], 0x05);
    const long = Uint8Array.of(...req.subarray(0, at), 0x18, 0x05, ...req.subarray(at + 1));
    rejects(() => decodeLightRequest(long), 'long-form integer', 'CODEC_MALFORMED');
    rejects(
      () => decodeLightRequest(Uint8Array.of(...req, 0x00)),
      'trailing byte',
      'CODEC_MALFORMED',
    );
  });
});
