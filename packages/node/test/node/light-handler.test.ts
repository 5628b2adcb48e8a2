// /weft/light/1.0.0 end to end: a solo orderer and an Org1 peer+gateway, each
// a WeftNode in this process, on two channels ('weft': Org1 only; 'other':
// Org1 and Org2). Coins are minted and spent through the gateway; a light
// client on WebSockets, trusting only the genesis hash, then checks what the
// peer serves with core's own verification. An Org2 peer (a member of
// 'other' only) is refused 'weft' data.
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { Libp2p } from '@libp2p/interface';
import { webSockets } from '@libp2p/websockets';
import type { Multiaddr } from '@multiformats/multiaddr';
import {
  type Attestation,
  type Block,
  blockHash,
  type ChainTip,
  type Channel,
  checkAttestations,
  codesHash,
  coinKey,
  decodeHello,
  decodeLightAttestations,
  decodeLightBlock,
  decodeLightCoinPage,
  decodeLightHeader,
  decodeLightInfo,
  decodeLightTx,
  encodeHello,
  encodeLightHeader,
  encodeLightRequest,
  equalBytes,
  type LightBlock,
  type LightCoin,
  type LightHeader,
  type LightRequest,
  type LightTx,
  lightTxIncluded,
  MAX_HELLO_BYTES,
  MAX_LIGHT_ATTESTATIONS_BYTES,
  MAX_LIGHT_BLOCK_BYTES,
  MAX_LIGHT_COINS_BYTES,
  MAX_LIGHT_HEADER_BYTES,
  MAX_LIGHT_INFO_BYTES,
  MAX_LIGHT_REQUEST_BYTES,
  MAX_LIGHT_TX_BYTES,
  PROTOCOLS,
  parseTx,
  sha256,
  signerFromSecret,
  TxCode,
  toHex,
  utf8,
  verifyBlock,
} from '@weft/core';
import { devSecret } from '@weft/core/dev';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { createLibp2p } from 'libp2p';
import { GatewayClient } from '../../src/client/gateway-client.js';
import { mintProposal, signFabcoinProposal } from '../../src/client/proposals.js';
import { ChannelLedger, openNodeDatabase } from '../../src/ledger/index.js';
import { type LoadedMember, loadMember } from '../../src/material/index.js';
import {
  callProtocol,
  MutableMembership,
  type NodeHost,
  streamProtocol,
} from '../../src/net/index.js';
import { headerFrames } from '../../src/node/light-handler.js';
import type { WeftNode } from '../../src/node/weft-node.js';
import { buildFixture, commitBlocks } from '../ledger/fixture.js';
import { HostPool, tcpAddr, wsAddr } from '../net/fixtures.js';
import { type LocalNetwork, refusedWith, startLocalNetwork } from './local-network.js';

const CALL = { timeoutMs: 15_000 };
const bob = await signerFromSecret(devSecret('light-handler-test', 'bob'));

/** A browser-like light client: a libp2p host that only dials WebSockets and is no member. */
class LightClient {
  private constructor(
    readonly host: Libp2p,
    readonly target: Multiaddr,
  ) {}

  static async connect(target: Multiaddr): Promise<LightClient> {
    const host = await createLibp2p({
      transports: [webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: { denyDialMultiaddr: () => false },
    });
    return new LightClient(host, target);
  }

  raw(request: Uint8Array, maxResponseBytes: number): Promise<Uint8Array> {
    return callProtocol(this.host, this.target, PROTOCOLS.light, request, {
      maxResponseBytes,
      ...CALL,
    });
  }

  call(request: LightRequest, maxResponseBytes: number): Promise<Uint8Array> {
    return this.raw(encodeLightRequest(request), maxResponseBytes);
  }

  async headers(channel: string, from: number, count: number): Promise<LightHeader[]> {
    const request = encodeLightRequest({ type: 'headers', channel, from, count });
    const frames = streamProtocol(this.host, this.target, PROTOCOLS.light, request, {
      maxResponseBytes: MAX_LIGHT_HEADER_BYTES,
      ...CALL,
    });
    const out: LightHeader[] = [];
    for await (const frame of frames) out.push(decodeLightHeader(frame));
    return out;
  }

  async close(): Promise<void> {
    await this.host.stop();
  }
}

describe('/weft/light/1.0.0 on a running node, from a WebSocket light client', () => {
  let net: LocalNetwork;
  let peer: WeftNode;
  let light: LightClient;
  let weft: { hash: Uint8Array; channel: Channel };
  let alice: LoadedMember;
  let org2peer: LoadedMember;
  /** Org1/peer0's key: the peer node's certificate key and libp2p key. */
  let peerKey: Uint8Array;
  const pool = new HostPool();
  /** txids by name, and the block each was committed in. */
  const txs = new Map<string, { txid: Uint8Array; block: number }>();

  before(async () => {
    net = await startLocalNetwork({ other: true, batchTimeoutMs: 300, electLeader: true });
    peer = net.peer;
    weft = { hash: net.genesisHash, channel: net.channel };
    alice = net.alice;
    org2peer = await loadMember(net.member('Org2/peer0'));
    peerKey = net.peerKey;
    const bank = net.bank;

    const gateway = await GatewayClient.connect({
      gateways: [wsAddr(peer.host).toString()],
      channel: 'weft',
    });
    const bobKey = bob.publicKey;
    try {
      const usd = (amount: bigint, owner: Uint8Array) => ({ amount, owner, label: 'USD' });
      const mints = {
        mint1: [usd(10n, alice.cert.publicKey), usd(20n, alice.cert.publicKey)],
        mint2: [usd(5n, bobKey)],
        mint3: [{ amount: 7n, owner: alice.cert.publicKey, label: 'FBC' }],
      };
      // Sent at once, so they are likely (not certainly) ordered into one block.
      await Promise.all(
        Object.entries(mints).map(async ([name, outputs]) => {
          const { signedProposal, txid } = await mintProposal('weft', [bank], outputs);
          const status = await gateway.submit(signedProposal, true);
          assert.equal(status.status, 'committed', name);
          if (status.status === 'committed') txs.set(name, { txid, block: status.block });
        }),
      );
      const { signedProposal, txid } = await signFabcoinProposal({
        channel: 'weft',
        creator: alice,
        request: {
          type: 'spend',
          inputs: [coinKey(txs.get('mint1')!.txid, 0)],
          outputs: [usd(4n, bobKey), usd(6n, alice.cert.publicKey)],
        },
      });
      const status = await gateway.submit(signedProposal, true);
      assert.equal(status.status, 'committed');
      if (status.status === 'committed') {
        assert.equal(status.code, TxCode.VALID);
        txs.set('spend', { txid, block: status.block });
      }
    } finally {
      await gateway.close();
    }
    light = await LightClient.connect(wsAddr(peer.host));
  });

  after(async () => {
    await light?.close();
    await pool.stopAll();
    await net?.stop();
  });

  const height = () => peer.channels.get('weft')!.ledger!.info().height;

  /**
   * What a light client does: headers from genesis, each checked with core's
   * verifyBlock (link, data hash, orderer signatures) against the trusted
   * genesis hash; the envelopes come from `block`, the header and
   * signatures checked are the ones the header stream sent.
   */
  async function verifiedChain(): Promise<{ headers: LightHeader[]; blocks: LightBlock[] }> {
    const headers = await light.headers('weft', 0, 1000);
    assert.equal(headers.length, height());
    assert.deepEqual(blockHash(headers[0]!.header), weft.hash, 'genesis is the trust anchor');
    const blocks: LightBlock[] = [];
    let tip: ChainTip = { number: 0, hash: weft.hash, timestamp: headers[0]!.header.timestamp };
    for (const h of headers.slice(1)) {
      const full = decodeLightBlock(
        await light.call(
          { type: 'block', channel: 'weft', number: h.header.number },
          MAX_LIGHT_BLOCK_BYTES,
        ),
      );
      const block: Block = { header: h.header, signatures: h.signatures, data: full.block.data };
      const hash = await verifyBlock({ block, previous: tip, channel: weft.channel });
      assert.deepEqual(full.block, block);
      tip = { number: h.header.number, hash, timestamp: h.header.timestamp };
      blocks[h.header.number] = full;
    }
    return { headers, blocks };
  }

  async function attestationsOf(number: number): Promise<Attestation[]> {
    return decodeLightAttestations(
      await light.call(
        { type: 'attestations', channel: 'weft', number },
        MAX_LIGHT_ATTESTATIONS_BYTES,
      ),
    );
  }

  /** A tx answer believed only after: inclusion under a verified header, attested codes, its txid. */
  async function checkTx(tx: LightTx, headers: LightHeader[], txid: Uint8Array): Promise<TxCode> {
    const header = headers[tx.block]!.header;
    assert.isTrue(lightTxIncluded(tx, header), 'the proof reaches the header dataHash');
    assert.deepEqual(parseTx(tx.envelope).txid, txid);
    const list = await attestationsOf(tx.block);
    const verdict = await checkAttestations({
      channel: weft.channel,
      expected: {
        channel: 'weft',
        number: tx.block,
        blockHash: blockHash(header),
        codesHash: codesHash(tx.codes),
        commitHash: list[0]!.commitHash,
      },
      attestations: list,
      at: header.timestamp,
    });
    assert.isTrue(verdict.satisfied, 'attested codes');
    return tx.codes[tx.index]!;
  }

  it('info names the chain: its genesis hash and height', async () => {
    const info = decodeLightInfo(
      await light.call({ type: 'info', channel: 'weft' }, MAX_LIGHT_INFO_BYTES),
    );
    assert.deepEqual(info, { channel: 'weft', height: height(), genesisHash: weft.hash });
    assert.isAtLeast(info.height, 3);
  });

  it('headers verify from the genesis hash with core block verification; codes are attested', async () => {
    const { headers, blocks } = await verifiedChain();
    for (const [n, full] of blocks.entries()) {
      if (!full) continue;
      const list = await attestationsOf(n);
      assert.isAtLeast(list.length, 1, `block ${n} has attestations`);
      const verdict = await checkAttestations({
        channel: weft.channel,
        expected: {
          channel: 'weft',
          number: n,
          blockHash: blockHash(headers[n]!.header),
          codesHash: codesHash(full.codes),
          commitHash: list[0]!.commitHash,
        },
        attestations: list,
        at: headers[n]!.header.timestamp,
      });
      assert.isTrue(verdict.satisfied, `block ${n}`);
      assert.deepEqual(verdict.disagreeing, []);
    }
    // A header changed in transit fails the same check.
    const h = headers[1]!;
    const forged: Block = {
      header: { ...h.header, timestamp: h.header.timestamp + 1 },
      signatures: h.signatures,
      data: blocks[1]!.block.data,
    };
    const previous = { number: 0, hash: weft.hash, timestamp: headers[0]!.header.timestamp };
    try {
      await verifyBlock({ block: forged, previous, channel: weft.channel });
      assert.fail('a forged header verified');
    } catch (err) {
      assert.equal((err as { code?: string }).code, 'BLOCK_SIGNATURES');
    }
  });

  it('headers come in ranges, stop at the head, and the count is bounded', async () => {
    const all = await light.headers('weft', 0, 1000);
    const two = await light.headers('weft', 1, 2);
    assert.deepEqual(two, all.slice(1, 3));
    assert.deepEqual(await light.headers('weft', height() - 1, 1000), all.slice(-1));
    assert.deepEqual(await light.headers('weft', height(), 10), []);
    await refusedWith(light.headers('weft', 0, 1001), 'CODEC_SCHEMA');
    await refusedWith(light.headers('weft', 0, 0), 'CODEC_SCHEMA');
  });

  it('a transaction comes with a proof to its verified header and attested codes', async () => {
    const { headers } = await verifiedChain();
    for (const [name, { txid, block }] of txs) {
      const tx = decodeLightTx(
        await light.call({ type: 'tx', channel: 'weft', txid }, MAX_LIGHT_TX_BYTES),
      );
      assert.equal(tx.block, block, name);
      assert.equal(await checkTx(tx, headers, txid), TxCode.VALID, name);
    }
    // A proof for one transaction does not pass for another's envelope.
    const spend = decodeLightTx(
      await light.call(
        { type: 'tx', channel: 'weft', txid: txs.get('spend')!.txid },
        MAX_LIGHT_TX_BYTES,
      ),
    );
    const mint = decodeLightTx(
      await light.call(
        { type: 'tx', channel: 'weft', txid: txs.get('mint2')!.txid },
        MAX_LIGHT_TX_BYTES,
      ),
    );
    assert.isFalse(
      lightTxIncluded({ ...spend, envelope: mint.envelope }, headers[spend.block]!.header),
    );
  });

  it("an owner's coins each carry the proof of the transaction that created them", async () => {
    const { headers } = await verifiedChain();
    const bobKey = bob.publicKey;
    const coinsOf = async (owner: Uint8Array, limit: number) => {
      const out: LightCoin[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = decodeLightCoinPage(
          await light.call(
            { type: 'coins', channel: 'weft', owner, limit, ...(after ? { after } : {}) },
            MAX_LIGHT_COINS_BYTES,
          ),
        );
        assert.isAtMost(page.coins.length, limit);
        out.push(...page.coins);
        if (!page.next) return out;
        after = page.next;
      }
      assert.fail('too many pages');
    };
    for (const [owner, expected] of [
      [alice.cert.publicKey, ['20 USD', '6 USD', '7 FBC']],
      [bobKey, ['5 USD', '4 USD']],
    ] as const) {
      const coins = await coinsOf(owner, 100);
      assert.sameMembers(
        coins.map((c) => `${c.amount} ${c.label}`),
        [...expected],
      );
      assert.deepEqual(
        (await coinsOf(owner, 1)).map((c) => c.key),
        coins.map((c) => c.key),
        'one coin per page gives the same coins',
      );
      for (const c of coins) {
        const [txidHex, j] = c.key.split('.');
        const txid = parseTx(c.tx.envelope).txid;
        assert.equal(toHex(txid), txidHex);
        assert.equal(await checkTx(c.tx, headers, txid), TxCode.VALID);
        // The coin is output j of the transaction's own request.
        const output = parseTx(c.tx.envelope).proposal.request.outputs[Number(j)]!;
        assert.isTrue(equalBytes(output.owner, owner));
        assert.deepEqual([output.amount, output.label], [c.amount, c.label]);
      }
    }
    // The spent coin is not offered.
    const spent = coinKey(txs.get('mint1')!.txid, 0);
    assert.notInclude(
      (await coinsOf(alice.cert.publicKey, 100)).map((c) => c.key),
      spent,
    );
  });

  it('absent items and bad requests get error codes', async () => {
    const unknownTx = sha256(utf8('no such transaction'));
    await refusedWith(
      light.call({ type: 'tx', channel: 'weft', txid: unknownTx }, MAX_LIGHT_TX_BYTES),
      'LIGHT_NOT_FOUND',
    );
    await refusedWith(
      light.call({ type: 'block', channel: 'weft', number: height() }, MAX_LIGHT_BLOCK_BYTES),
      'LIGHT_NOT_FOUND',
    );
    await refusedWith(
      light.call(
        { type: 'attestations', channel: 'weft', number: height() },
        MAX_LIGHT_ATTESTATIONS_BYTES,
      ),
      'LIGHT_NOT_FOUND',
    );
    await refusedWith(
      light.call({ type: 'info', channel: 'nowhere' }, MAX_LIGHT_INFO_BYTES),
      'NODE_UNKNOWN_CHANNEL',
    );
    // A map cut short after its first key's head.
    await refusedWith(
      light.raw(Uint8Array.of(0xa1, 0x64), MAX_LIGHT_INFO_BYTES),
      'CODEC_MALFORMED',
    );
    await refusedWith(
      light.call(
        { type: 'coins', channel: 'weft', owner: alice.cert.publicKey, limit: 101 },
        MAX_LIGHT_COINS_BYTES,
      ),
      'CODEC_SCHEMA',
    );
    // None of these cost the client its connection.
    const info = decodeLightInfo(
      await light.call({ type: 'info', channel: 'weft' }, MAX_LIGHT_INFO_BYTES),
    );
    assert.equal(info.height, height());
  });

  it('an oversized request is refused before it is read', async () => {
    const other = await LightClient.connect(wsAddr(peer.host));
    try {
      const big = new Uint8Array(MAX_LIGHT_REQUEST_BYTES + 1);
      await refusedWith(other.raw(big, MAX_LIGHT_INFO_BYTES), 'NET_TOO_LARGE');
    } finally {
      await other.close();
    }
  });

  it('a member node of another channel is refused this channel, served its own', async () => {
    const target = peer.host.peerId;
    const host: NodeHost = await pool.start(
      { name: 'org2-peer0', secretKey: org2peer.secretKey, publicKey: org2peer.cert.publicKey },
      new MutableMembership([peerKey]),
    );
    await host.dial(tcpAddr(peer.host));
    const hello = decodeHello(
      await callProtocol(
        host,
        target,
        PROTOCOLS.hello,
        encodeHello({ cert: org2peer.cert, channels: [{ name: 'other', roles: ['peer'] }] }),
        { maxResponseBytes: MAX_HELLO_BYTES, ...CALL },
      ),
    );
    assert.equal(hello.cert.org, 'Org1');
    assert.isTrue(peer.directory.isChannelMember('other', org2peer.cert.publicKey));
    assert.isFalse(peer.directory.isChannelMember('weft', org2peer.cert.publicKey));
    const ask = (channel: string) =>
      callProtocol(host, target, PROTOCOLS.light, encodeLightRequest({ type: 'info', channel }), {
        maxResponseBytes: MAX_LIGHT_INFO_BYTES,
        ...CALL,
      });
    await refusedWith(ask('weft'), 'NET_FORBIDDEN');
    const txid = txs.get('spend')!.txid;
    await refusedWith(
      callProtocol(
        host,
        target,
        PROTOCOLS.light,
        encodeLightRequest({ type: 'tx', channel: 'weft', txid }),
        {
          maxResponseBytes: MAX_LIGHT_TX_BYTES,
          ...CALL,
        },
      ),
      'NET_FORBIDDEN',
    );
    const own = decodeLightInfo(await ask('other'));
    assert.equal(own.channel, 'other');
    assert.isAtLeast(own.height, 1);
  });
});

describe('light headers: read from the ledger a chunk at a time', () => {
  let ledger: ChannelLedger;
  let expected: Uint8Array[];

  before(async () => {
    const f = await buildFixture();
    ledger = await ChannelLedger.open({
      db: await openNodeDatabase(),
      channel: 'weft',
      genesis: f.net.genesis,
    });
    await commitBlocks(ledger, f.net, f.blocks.slice(1));
    expected = [];
    for (let n = 0; n < f.blocks.length; n++) {
      expected.push(encodeLightHeader((await ledger.getBlockHead(n))!));
    }
  });

  async function collect(options: {
    from: number;
    end: number;
    chunk: number;
    stopAfter?: number;
  }) {
    const controller = new AbortController();
    const got: Uint8Array[] = [];
    for await (const frame of headerFrames(ledger, { ...options, signal: controller.signal })) {
      got.push(frame);
      if (got.length === options.stopAfter) controller.abort();
    }
    return got;
  }

  it('any range in any chunk size is the headers of getBlockHead, stopping at the head', async () => {
    const n = expected.length;
    for (let chunk = 1; chunk <= n + 1; chunk++) {
      for (let from = 0; from <= n; from++) {
        for (let end = from; end <= n + 2; end++) {
          const got = await collect({ from, end, chunk });
          assert.deepEqual(got, expected.slice(from, end), `${from}..${end} by ${chunk}`);
        }
      }
    }
  });

  it('stops when the caller leaves, mid-chunk or between chunks', async () => {
    for (const chunk of [1, 2, 3]) {
      assert.deepEqual(
        await collect({ from: 0, end: expected.length, chunk, stopAfter: 2 }),
        expected.slice(0, 2),
        `by ${chunk}`,
      );
    }
  });
});
