// Attestation pull between two real libp2p hosts, each with a real ledger:
// the puller's digest comparison, fetch and checks against a server that
// runs the node's handler, or one that lies (forged, unasked, malformed,
// about another block). PROTOCOLS.md § /weft/attestations/1.0.0.
import type { PeerId } from '@libp2p/interface';
import {
  type Attestation,
  codesHash,
  decodeAttestationPullRequest,
  encode,
  encodeAttestation,
  PROTOCOLS,
  signAttestation,
  toHex,
} from '@weft/core';
import type { DevMember } from '@weft/core/dev';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import {
  type ExchangeContext,
  exchangeAttestations,
} from '../../src/gossip/attestation-exchange.js';
import { AttestationPull } from '../../src/gossip/attestation-pull.js';
import { ChannelLedger, openNodeDatabase } from '../../src/ledger/index.js';
import { type NodeHost, type RpcHandler, serveProtocol } from '../../src/net/index.js';
import { attestationPullHandler } from '../../src/node/attestation-handler.js';
import type { HandlerContext } from '../../src/node/handlers.js';
import { NodeMetrics, silentLogger } from '../../src/ops/index.js';
import { buildFixture, commitBlocks } from '../ledger/fixture.js';
import { HostPool, LISTEN_BOTH, membershipOf, tcpAddr, testPeer } from '../net/fixtures.js';

const f = await buildFixture();
const [peer0, peer1] = f.net.peers as [DevMember, DevMember];
const NOW = f.net.time + 60_000;

async function ledgerWith(attesters: DevMember[]): Promise<ChannelLedger> {
  const ledger = await ChannelLedger.open({
    db: await openNodeDatabase(),
    channel: 'weft',
    genesis: f.net.genesis,
  });
  await commitBlocks(ledger, f.net, f.blocks.slice(1), { attester: peer0 });
  for (const m of attesters) {
    for (let n = 1; n < f.blocks.length; n++)
      await ledger.addAttestation(await attest(ledger, n, m));
  }
  return ledger;
}

/** `m`'s honest attestation of block n, or one with `change` applied before signing. */
async function attest(
  ledger: ChannelLedger,
  n: number,
  m: DevMember,
  change: Partial<Attestation> = {},
): Promise<Attestation> {
  const b = (await ledger.getBlock(n))!;
  const body = {
    channel: 'weft',
    number: n,
    blockHash: b.hash,
    codesHash: codesHash(b.codes),
    commitHash: b.commitHash,
    ...change,
  };
  return signAttestation(body, m.signer, m.cert);
}

const signersOf = async (ledger: ChannelLedger) =>
  (await ledger.attestationSigners(1, f.blocks.length - 1)).map((b) => b.map(toHex).sort());

const hex = (m: DevMember) => toHex(m.cert.publicKey);

describe('gossip: attestation pull (digest, fetch, checks)', () => {
  const pool = new HostPool();
  let a: NodeHost;
  let b: NodeHost;
  let serverLedger: ChannelLedger;
  /** What B answers; the node's real handler unless a test replaces it. */
  let handler: RpcHandler;
  let real: RpcHandler;
  const requests: string[] = [];

  const context = (ledger: ChannelLedger, now = NOW): ExchangeContext => {
    const refused = new Set<string>();
    return {
      host: a,
      channel: f.net.channel,
      ledger,
      refused: { has: (k) => refused.has(k), add: (k) => void refused.add(k) },
      counted: () => {},
      now: () => now,
      timeoutMs: 5000,
      signal: new AbortController().signal,
    };
  };

  before(async () => {
    const [pa, pb] = await Promise.all(['a', 'b'].map((n) => testPeer('attestation-pull', n)));
    const members = membershipOf(pa!, pb!);
    a = await pool.start(pa!, members);
    b = await pool.start(pb!, members, { listen: LISTEN_BOTH });
    serverLedger = await ledgerWith([peer1]);
    const ctx = {
      directory: { isChannelMember: () => true },
      channels: new Map([['weft', { ledger: serverLedger }]]),
    } as unknown as HandlerContext;
    real = attestationPullHandler(ctx);
    handler = real;
    await serveProtocol(b, PROTOCOLS.attestations, {
      access: 'members',
      maxRequestBytes: 4096,
      timeoutMs: 5000,
      handler: (req, c) => {
        requests.push(decodeAttestationPullRequest(req).type);
        return handler(req, c);
      },
    });
    await a.dial(tcpAddr(b));
  });

  after(() => pool.stopAll());

  it("fetches the attestations a peer's digest shows and it lacks, and then nothing more", async () => {
    const ledger = await ledgerWith([]);
    assert.deepEqual(await signersOf(ledger), [[hex(peer0)], [hex(peer0)], [hex(peer0)]]);
    requests.length = 0;
    assert.equal(await exchangeAttestations(context(ledger), b.peerId, 1, 3), 3);
    assert.deepEqual(requests, ['digest', 'fetch']);
    const both = [hex(peer0), hex(peer1)].sort();
    assert.deepEqual(await signersOf(ledger), [both, both, both]);
    requests.length = 0;
    assert.equal(await exchangeAttestations(context(ledger), b.peerId, 1, 3), 0);
    assert.deepEqual(requests, ['digest'], 'nothing missing: no fetch');
  });

  it('an attestation about another block, or with an expired certificate, is not stored, not blamed, not asked for again', async () => {
    const ledger = await ledgerWith([]);
    const other = await attest(serverLedger, 2, peer1, { blockHash: new Uint8Array(32).fill(7) });
    const server = await ledgerWith([]);
    await server.addAttestations([await attest(server, 1, peer1), other]);
    handler = attestationPullHandler({
      directory: { isChannelMember: () => true },
      channels: new Map([['weft', { ledger: server }]]),
    } as unknown as HandlerContext);
    try {
      const x = context(ledger);
      assert.equal(await exchangeAttestations(x, b.peerId, 1, 3), 1);
      assert.deepEqual((await signersOf(ledger))[1], [hex(peer0)]);
      assert.isTrue(x.refused.has(`${b.peerId}/2/${hex(peer1)}`));
      requests.length = 0;
      assert.equal(await exchangeAttestations(x, b.peerId, 1, 3), 0);
      assert.deepEqual(requests, ['digest'], 'the refused one is not fetched again');
      // A year and more later, peer1's certificate has expired: skipped too.
      const late = context(await ledgerWith([]), f.net.time + 400 * 86_400_000);
      assert.equal(await exchangeAttestations(late, b.peerId, 1, 3), 0);
      assert.isTrue(late.refused.has(`${b.peerId}/1/${hex(peer1)}`));
    } finally {
      handler = real;
    }
  });

  it('what a digest lists but the fetch withholds is not asked of that peer again', async () => {
    const ledger = await ledgerWith([]);
    handler = async (req, ctx) => {
      if (decodeAttestationPullRequest(req).type === 'digest') return real(req, ctx);
      return (async function* () {})();
    };
    try {
      const x = context(ledger);
      requests.length = 0;
      assert.equal(await exchangeAttestations(x, b.peerId, 1, 3), 0);
      assert.equal(await exchangeAttestations(x, b.peerId, 1, 3), 0);
      assert.deepEqual(requests, ['digest', 'fetch', 'digest']);
      assert.isTrue(x.refused.has(`${b.peerId}/3/${hex(peer1)}`));
    } finally {
      handler = real;
    }
  });

  it('a forged attestation is misbehaviour; the ones verified before it are kept', async () => {
    const ledger = await ledgerWith([]);
    handler = async (req, ctx) => {
      const r = decodeAttestationPullRequest(req);
      if (r.type === 'digest') return real(req, ctx);
      const list = await serverLedger.attestationsBy(r.from, r.count, r.signers);
      return (async function* () {
        for (const x of list) {
          const signature = x.signature.slice();
          if (x.number === 2) signature[5]! ^= 1;
          yield encodeAttestation({ ...x, signature });
        }
      })();
    };
    try {
      await rejectsWithCode(
        () => exchangeAttestations(context(ledger), b.peerId, 1, 3),
        'GOSSIP_PULL_MISBEHAVIOUR',
      );
      assert.deepEqual(
        (await signersOf(ledger)).map((s) => s.length),
        [2, 1, 1],
      );
    } finally {
      handler = real;
    }
  });

  it('unasked attestations, a digest of the wrong length or garbage are misbehaviour', async () => {
    const ledger = await ledgerWith([]);
    const unasked = await attest(serverLedger, 1, peer0);
    const lies: [string, RpcHandler][] = [
      [
        'an attestation by a signer not asked for',
        async (req, ctx) => {
          if (decodeAttestationPullRequest(req).type === 'digest') return real(req, ctx);
          return (async function* () {
            yield encodeAttestation(unasked);
          })();
        },
      ],
      ['a digest of 1 block for 3', async () => encode({ signers: [], blocks: [[]] })],
      ['garbage', async () => Uint8Array.of(0xff, 0x00)],
    ];
    for (const [what, lie] of lies) {
      handler = lie;
      try {
        await rejectsWithCode(
          () => exchangeAttestations(context(ledger), b.peerId, 1, 3),
          'GOSSIP_PULL_MISBEHAVIOUR',
        ).catch((err: Error) => {
          throw new Error(`${what}: ${err.message}`);
        });
      } finally {
        handler = real;
      }
    }
  });

  it('the pull loop penalises a forger and fills its backlog from a peer that answers', async () => {
    const ledger = await ledgerWith([]);
    const punished: PeerId[] = [];
    const pull = new AttestationPull({
      host: a,
      channel: f.net.channel,
      ledger,
      peers: () => [{ peer: b.peerId, height: f.blocks.length }],
      punish: (peer) => punished.push(peer),
      metrics: new NodeMetrics({ processMetrics: false }),
      intervalMs: 60_000,
      log: silentLogger(),
      signal: new AbortController().signal,
      now: () => NOW,
    });
    handler = async () => Uint8Array.of(0xff);
    try {
      await pull.tick();
    } finally {
      handler = real;
    }
    assert.isAtLeast(punished.length, 1);
    assert.isTrue(punished.every((p) => p.equals(b.peerId)));
    await pull.tick();
    const both = [hex(peer0), hex(peer1)].sort();
    assert.deepEqual(await signersOf(ledger), [both, both, both]);
  });
});
