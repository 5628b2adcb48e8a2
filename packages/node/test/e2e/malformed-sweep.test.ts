// A real node's protocols under garbage: an orderer process and a
// peer+gateway process (weft up's code path), attacked from libp2p hosts in
// this process by a certified member over TCP and by a light client over
// WebSockets. Every registered protocol gets garbage CBOR, schema-breaking
// requests, an oversized declared length, a truncated request and bytes
// after the request; gossipsub gets garbage too. Each must be answered with
// its typed ERROR frame, or with the penalty box where PROTOCOLS.md says so,
// and both nodes must keep running at the same height.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import {
  blocksTopic,
  type CborValue,
  type Certificate,
  certificateToCbor,
  decode,
  encode,
  encodeAttestationPullRequest,
  encodeBlocksRequest,
  encodeBroadcastRequest,
  encodeEndorseRequest,
  encodeGatewayRequest,
  encodeHello,
  encodeLengthPrefixed,
  encodeVarint,
  fromHex,
  issueCertificate,
  MAX_ATTESTATION_PULL_REQUEST_BYTES,
  MAX_BLOCK_BYTES,
  MAX_BROADCAST_REQUEST,
  MAX_ENROLL_REQUEST_BYTES,
  MAX_HELLO_BYTES,
  MAX_LIGHT_REQUEST_BYTES,
  MAX_SIGNED_PROPOSAL_MESSAGE,
  MAX_SMALL_MESSAGE,
  PROTOCOLS,
  type SignedProposal,
  stateTopic,
  utf8,
} from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { GatewayClient } from '../../src/client/gateway-client.js';
import { mintProposal } from '../../src/client/proposals.js';
import { type LoadedMember, loadMember, loadOrgRootSigner } from '../../src/material/member.js';
import {
  callProtocol,
  ed25519KeyOfPeer,
  MutableMembership,
  type NodeHost,
  streamProtocol,
} from '../../src/net/index.js';
import { type DevNode, type PreparedNetwork, prepareDevNetwork } from '../../src/up/dev-network.js';
import {
  type NodeProcess,
  startNodeProcess,
  stopNodeProcess,
  waitHealthy,
} from '../../src/up/supervisor.js';
import { HostPool, sleep, type TestPeer, testPeer } from '../net/fixtures.js';
import { freeBasePort } from './ports.js';
import {
  declaredLength,
  describeReply,
  errorOf,
  type RawReply,
  rawExchange,
  rawSend,
  truncatedMessage,
  withTrailingBytes,
} from './raw-frames.js';

const CHANNEL = 'weft';
const WRONG_CHANNEL = 'no-such-channel';
const SEED = `malformed-sweep-${process.pid}-${Date.now()}`;
const CALL = { maxResponseBytes: MAX_HELLO_BYTES, timeoutMs: 5000 };
/** Framing codes that cost the sender its connection (PROTOCOLS.md, Misbehaviour). */
const PENALISED = ['NET_TOO_LARGE', 'NET_MALFORMED'];

/**
 * A node's libp2p accepts 5 inbound connections per second per source
 * address (refused dials count too), and every dial here comes from
 * 127.0.0.1: at most 4 per node per 1.15 s leaves room for the nodes' own.
 */
class Pacer {
  #times: number[] = [];
  async next(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.#times = this.#times.filter((t) => now - t < 1150);
      if (this.#times.length < 4) {
        this.#times.push(now);
        return;
      }
      await sleep(1150 - (now - this.#times[0]!) + 5);
    }
  }
}

interface Target {
  label: string;
  dev: DevNode;
  proc: NodeProcess;
  peerId: PeerId;
  tcp: Multiaddr;
  ws: Multiaddr;
  pacer: Pacer;
  /** The protocols swept on this node (the ones it serves for real). */
  sweep: string[];
}

interface WrongRequest {
  what: string;
  request: Uint8Array;
  /** The code a member gets. */
  code: string;
  /** The code a light client gets, when it differs. */
  lightClientCode?: string;
}

interface ProtocolSpec {
  access: 'members' | 'public';
  /** The server's bound on a request (handlers.ts). */
  maxRequestBytes: number;
  /** Garbage CBOR payloads (valid frames) and the decode error each must get. */
  garbage: WrongRequest[];
  /** Well-formed CBOR with a wrong channel, unknown fields or wrong types; the first one also carries trailing bytes in case 5. */
  wrong: WrongRequest[];
}

type Attacker = 'member' | 'light client';

interface Outcome {
  node: string;
  attacker: string;
  protocol: string;
  what: string;
  expected: string;
  got: string;
  ok: boolean;
}

interface Penalty {
  node: string;
  peer: string;
  code: string;
  protocol: string;
}

interface Health {
  ready?: boolean;
  channels: { name: string; height: number }[];
}

async function health(url: string): Promise<Health> {
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 200, `${url}/healthz`);
  return (await res.json()) as Health;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 4000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Adds `key` to the CBOR map in `bytes`: an unknown field on an otherwise valid message. */
function withField(bytes: Uint8Array, key: string, value: CborValue): Uint8Array {
  const map = decode(bytes, { maxBytes: MAX_SIGNED_PROPOSAL_MESSAGE }) as Record<string, CborValue>;
  return encode({ ...map, [key]: value });
}

const garbageCbor = (): WrongRequest[] => [
  { what: 'empty request', request: new Uint8Array(0), code: 'CODEC_MALFORMED' },
  { what: 'CBOR break bytes', request: fromHex('fffefd'), code: 'CODEC_MALFORMED' },
  { what: 'CBOR map cut short', request: fromHex('a26161'), code: 'CODEC_MALFORMED' },
  {
    what: 'non-canonical CBOR (unsorted keys)',
    request: fromHex('a2616201616101'),
    code: 'CODEC_NON_CANONICAL',
  },
  { what: '200 bytes of 0xff', request: fromHex('ff'.repeat(200)), code: 'CODEC_MALFORMED' },
];

describe('e2e: malformed and oversized messages on every protocol, against node processes', () => {
  const pool = new HostPool();
  const outcomes: Outcome[] = [];
  const penalties: Penalty[] = [];
  const notSwept: string[] = [];
  /** Attackers that only ever got typed errors: never penalised. */
  const standingPeers: { node: string; peer: string }[] = [];
  let dir: string;
  let prepared: PreparedNetwork;
  const procs: NodeProcess[] = [];
  let orderer: Target;
  let peer: Target;
  let peer0: LoadedMember;
  let peer1: LoadedMember;
  let client0: LoadedMember;
  let org1Root: Awaited<ReturnType<typeof loadOrgRootSigner>>;
  let specs: Record<string, ProtocolSpec>;
  let heightsBefore: Record<string, number> = {};
  let serial = 1000;
  let hosts = 0;

  const heights = async () =>
    Object.fromEntries(
      await Promise.all(
        [orderer, peer].map(
          async (t) => [t.label, (await health(t.dev.opsUrl)).channels[0]?.height ?? -1] as const,
        ),
      ),
    );

  /** A fresh certified Org1 peer identity (the org root of the generated material issues it). */
  async function certifiedKey(name: string): Promise<TestPeer & { cert: Certificate }> {
    const key = await testPeer(SEED, name);
    const cert = await issueCertificate(org1Root.signer, {
      org: 'Org1',
      role: 'peer',
      publicKey: key.publicKey,
      notBefore: peer1.cert.notBefore,
      notAfter: peer1.cert.notAfter,
      serial: serial++,
    });
    return { ...key, cert };
  }

  /** A host that knows both nodes (so it may dial them) and nothing else. */
  function startHost(key: TestPeer): Promise<NodeHost> {
    hosts++;
    // The nodes must be members here, or this host would cut them off as candidates after 10 s.
    const nodes = new MutableMembership([orderer, peer].map((t) => ed25519KeyOfPeer(t.peerId)!));
    return pool.start(key, nodes, { gossipsub: { allowPublishToZeroTopicPeers: true } });
  }

  /** A member over TCP: connects, presents its certificate (hello), and is then a member of the channel. */
  async function member(target: Target, key: TestPeer & { cert: Certificate }): Promise<NodeHost> {
    const host = await startHost(key);
    await target.pacer.next();
    await callProtocol(
      host,
      target.tcp,
      PROTOCOLS.hello,
      encodeHello({ cert: key.cert, channels: [] }),
      CALL,
    );
    return host;
  }

  /** A light client over WebSockets: not a member of anything. */
  async function lightClient(target: Target, name: string): Promise<NodeHost> {
    const host = await startHost(await testPeer(SEED, name));
    await target.pacer.next();
    await host.dial(target.ws, { signal: AbortSignal.timeout(5000) });
    return host;
  }

  const connected = (host: NodeHost, target: Target) =>
    host.getConnections(target.peerId).some((c) => c.status === 'open');

  function record(o: Omit<Outcome, 'ok'>, ok: boolean) {
    outcomes.push({ ...o, ok });
  }

  /** Exactly one frame, the ERROR with `expected`, and a well-formed reply. */
  function check(
    base: { node: string; attacker: string; protocol: string; what: string },
    reply: RawReply,
    expected: string,
  ) {
    const ok =
      errorOf(reply)?.code === expected &&
      reply.frames.length === 1 &&
      reply.badReply === undefined;
    record({ ...base, expected, got: describeReply(reply) }, ok);
  }

  /**
   * Cases 1 and 2 (and every case, for a non-member on a members-only
   * protocol): typed errors on one connection that must survive them.
   */
  async function typedCases(
    host: NodeHost,
    target: Target,
    attacker: Attacker,
    protocol: string,
    forbidden: boolean,
  ) {
    const spec = specs[protocol]!;
    const addr = attacker === 'member' ? target.tcp : target.ws;
    const codeFor = (w: WrongRequest) =>
      attacker === 'light client' ? (w.lightClientCode ?? w.code) : w.code;
    const cases: { what: string; bytes: Uint8Array; closeWrite: boolean; code: string }[] = [
      ...spec.garbage.map((g) => ({
        what: `garbage CBOR: ${g.what}`,
        bytes: encodeLengthPrefixed(g.request),
        closeWrite: true,
        code: codeFor(g),
      })),
      ...spec.wrong.map((w) => ({
        what: `wrong request: ${w.what}`,
        bytes: encodeLengthPrefixed(w.request),
        closeWrite: true,
        code: codeFor(w),
      })),
    ];
    if (forbidden) {
      // The gate answers before reading, so even framing violations are only forbidden.
      cases.push(...framingCases(protocol).map((c) => ({ ...c, code: 'NET_FORBIDDEN' })));
    }
    for (const c of cases) {
      const reply = await rawExchange(host, addr, protocol, c.bytes, { closeWrite: c.closeWrite });
      const base = { node: target.label, attacker, protocol, what: c.what };
      check(base, reply, forbidden ? 'NET_FORBIDDEN' : c.code);
      if (reply.end !== 'closed')
        record({ ...base, expected: 'clean close', got: reply.end }, false);
    }
    record(
      {
        node: target.label,
        attacker,
        protocol,
        what: 'still connected after typed errors',
        expected: 'connected',
        got: connected(host, target) ? 'connected' : 'disconnected',
      },
      connected(host, target),
    );
  }

  function framingCases(protocol: string) {
    const spec = specs[protocol]!;
    const bound = spec.maxRequestBytes;
    return [
      {
        what: `oversized: declared bound + 1 (${bound + 1}), no body`,
        bytes: declaredLength(bound + 1),
        closeWrite: false,
        code: 'NET_TOO_LARGE',
      },
      {
        what: 'truncated: 64 bytes declared, 10 sent, then close',
        bytes: truncatedMessage(64, 10),
        closeWrite: true,
        code: 'NET_MALFORMED',
      },
      {
        what: 'bytes after the request',
        bytes: withTrailingBytes(spec.wrong[0]!.request, fromHex('0142')),
        closeWrite: true,
        code: 'NET_MALFORMED',
      },
    ];
  }

  /**
   * Cases 3-5 on a protocol the attacker may use: each from a fresh identity
   * (the penalty box holds the last one for 10 minutes). The ERROR frame
   * comes back, the node drops the connection, and (once per protocol) the
   * identity's re-dial is refused.
   */
  async function penalisedCases(target: Target, attacker: Attacker, protocol: string) {
    let first = true;
    for (const c of framingCases(protocol)) {
      const name = `${attacker}-${target.label}-${protocol}-${c.code}-${c.what.slice(0, 9)}`;
      const key = attacker === 'member' ? await certifiedKey(name) : await testPeer(SEED, name);
      const host =
        attacker === 'member'
          ? await member(target, key as TestPeer & { cert: Certificate })
          : await lightClient(target, name);
      const addr = attacker === 'member' ? target.tcp : target.ws;
      const base = { node: target.label, attacker, protocol, what: c.what };
      const reply = await rawExchange(host, addr, protocol, c.bytes, { closeWrite: c.closeWrite });
      penalties.push({ node: target.label, peer: host.peerId.toString(), code: c.code, protocol });
      const dropped = await until('disconnection', () => !connected(host, target)).then(
        () => true,
        () => false,
      );
      check(base, reply, c.code);
      record(
        {
          ...base,
          what: `${c.what}: disconnected`,
          expected: 'disconnected',
          got: String(dropped),
        },
        dropped,
      );
      if (first) {
        first = false;
        // Penalised: refused on any transport, even though (for the member) its certificate is fine.
        // Only the given address, so the re-dial is one connection attempt (see Pacer).
        await host.peerStore.delete(target.peerId);
        await target.pacer.next();
        const again = await callProtocol(
          host,
          addr,
          PROTOCOLS.hello,
          encodeHello({ cert: peer1.cert, channels: [] }),
          { ...CALL, timeoutMs: 3000 },
        ).then(
          () => 'answered',
          (err: { code?: string }) => err.code ?? String(err),
        );
        record(
          { ...base, what: `${c.what}: re-dial refused`, expected: 'NET_DIAL_FAILED', got: again },
          again === 'NET_DIAL_FAILED',
        );
      }
      await host.stop();
    }
  }

  async function sweep(target: Target, attacker: Attacker) {
    const standing =
      attacker === 'member'
        ? await member(target, {
            name: 'peer1',
            secretKey: peer1.secretKey,
            publicKey: peer1.cert.publicKey,
            cert: peer1.cert,
          })
        : await lightClient(target, `light-${target.label}`);
    standingPeers.push({ node: target.label, peer: standing.peerId.toString() });
    for (const protocol of target.sweep) {
      const forbidden = attacker !== 'member' && specs[protocol]!.access === 'members';
      await typedCases(standing, target, attacker, protocol, forbidden);
      if (!forbidden) await penalisedCases(target, attacker, protocol);
    }
    return standing;
  }

  before(async () => {
    const basePort = await freeBasePort({ nodes: 3, min: 12_000, max: 15_000 });
    dir = await mkdtemp(path.join(os.tmpdir(), 'weft-sweep-'));
    prepared = await prepareDevNetwork({
      dir,
      orgs: 1,
      peersPerOrg: 2,
      basePort,
      channel: CHANNEL,
    });
    const logDir = path.join(dir, 'logs');
    const byName = (n: string) => prepared.nodes.find((x) => x.name === n)!;
    const running = [byName('orderer0'), byName('org1-peer0')];
    for (const dev of running) {
      procs.push(await startNodeProcess({ name: dev.name, configFile: dev.configFile, logDir }));
    }
    const target = (label: string, dev: DevNode, proc: NodeProcess, sweep: string[]): Target => {
      const ws = multiaddr(dev.ws);
      const id = ws.getComponents().find((c) => c.name === 'p2p')!.value!;
      return {
        label,
        dev,
        proc,
        peerId: peerIdFromString(id),
        tcp: multiaddr(`${dev.tcp}/p2p/${id}`),
        ws,
        pacer: new Pacer(),
        sweep,
      };
    };
    // Hello is every node's; it is swept at the orderer, which has less to do here.
    orderer = target('orderer', running[0]!, procs[0]!, [
      PROTOCOLS.hello,
      PROTOCOLS.broadcast,
      PROTOCOLS.deliver,
    ]);
    peer = target('peer+gateway', running[1]!, procs[1]!, [
      PROTOCOLS.blocks,
      PROTOCOLS.endorse,
      PROTOCOLS.gateway,
      PROTOCOLS.light,
      PROTOCOLS.attestations,
      // The dev network's first peer of each org is its CA.
      PROTOCOLS.enroll,
    ]);
    const material = (ref: string) => loadMember(path.join(prepared.materialDir, 'orgs', ref));
    [peer0, peer1, client0, org1Root] = await Promise.all([
      material('Org1/peer0'),
      material('Org1/peer1'),
      material('Org1/client0'),
      loadOrgRootSigner(path.join(prepared.materialDir, 'orgs', 'Org1')),
    ]);
    // Both up, and the peer has introduced itself to the orderer (it follows its blocks).
    await Promise.all(
      [orderer, peer].map((t) =>
        waitHealthy(t.dev.opsUrl, t.proc, 60_000, (h) => (h.knownNodes ?? 0) >= 1),
      ),
    );

    const proposal: SignedProposal = (
      await mintProposal(
        CHANNEL,
        [client0],
        [{ amount: 1n, owner: client0.cert.publicKey, label: 'FBC' }],
      )
    ).signedProposal;
    const owner = client0.cert.publicKey;
    const blocksSpec = (): ProtocolSpec => ({
      access: 'members',
      maxRequestBytes: MAX_SMALL_MESSAGE,
      garbage: garbageCbor(),
      wrong: [
        {
          what: 'wrong channel',
          request: encodeBlocksRequest({ channel: WRONG_CHANNEL, from: 0 }),
          code: 'NET_FORBIDDEN',
        },
        {
          what: 'unknown field',
          request: withField(encodeBlocksRequest({ channel: CHANNEL, from: 0 }), 'extra', 1),
          code: 'CODEC_SCHEMA',
        },
        {
          what: 'from as a string',
          request: encode({ channel: CHANNEL, from: '0' }),
          code: 'CODEC_SCHEMA',
        },
        {
          what: 'negative from',
          request: encode({ channel: CHANNEL, from: -1 }),
          code: 'CODEC_SCHEMA',
        },
        {
          what: 'to before from',
          request: encode({ channel: CHANNEL, from: 5, to: 1 }),
          code: 'CODEC_SCHEMA',
        },
        { what: 'a list, not a map', request: encode([CHANNEL, 0]), code: 'CODEC_SCHEMA' },
      ],
    });
    const digest = (channel: string) => ({ type: 'digest', channel, from: 0, count: 1 }) as const;
    specs = {
      [PROTOCOLS.hello]: {
        access: 'public',
        maxRequestBytes: MAX_HELLO_BYTES,
        garbage: garbageCbor(),
        wrong: [
          {
            what: "another node's certificate",
            request: encodeHello({ cert: peer0.cert, channels: [] }),
            code: 'NET_FORBIDDEN',
          },
          {
            what: 'unknown field',
            request: encode({ cert: certificateToCbor(peer1.cert), channels: [], extra: 1 }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'wrong types',
            request: encode({ cert: 7, channels: CHANNEL }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'unknown role',
            request: encode({
              cert: certificateToCbor(peer1.cert),
              channels: [{ name: CHANNEL, roles: ['king'] }],
            }),
            code: 'CODEC_SCHEMA',
          },
        ],
      },
      [PROTOCOLS.broadcast]: {
        access: 'members',
        maxRequestBytes: MAX_BROADCAST_REQUEST,
        garbage: garbageCbor(),
        wrong: [
          {
            what: 'wrong channel',
            request: encodeBroadcastRequest({ channel: WRONG_CHANNEL, envelope: fromHex('00') }),
            code: 'NET_FORBIDDEN',
          },
          {
            what: 'unknown field',
            request: withField(
              encodeBroadcastRequest({ channel: CHANNEL, envelope: fromHex('00') }),
              'extra',
              1,
            ),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'wrong types',
            request: encode({ channel: 5, envelope: 'not bytes' }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'garbage envelope on the right channel',
            request: encodeBroadcastRequest({ channel: CHANNEL, envelope: fromHex('deadbeef') }),
            code: 'ORDERER_BAD_ENVELOPE',
          },
        ],
      },
      [PROTOCOLS.deliver]: blocksSpec(),
      [PROTOCOLS.blocks]: blocksSpec(),
      [PROTOCOLS.endorse]: {
        access: 'members',
        maxRequestBytes: MAX_SIGNED_PROPOSAL_MESSAGE,
        garbage: garbageCbor(),
        wrong: [
          {
            what: 'wrong channel',
            request: encodeEndorseRequest({ channel: WRONG_CHANNEL, signedProposal: proposal }),
            code: 'NET_FORBIDDEN',
          },
          {
            what: 'unknown field',
            request: withField(
              encodeEndorseRequest({ channel: CHANNEL, signedProposal: proposal }),
              'extra',
              1,
            ),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'wrong types',
            request: encode({ channel: CHANNEL, signedProposal: 'not a proposal' }),
            code: 'CODEC_SCHEMA',
          },
        ],
      },
      [PROTOCOLS.gateway]: {
        access: 'public',
        maxRequestBytes: MAX_SIGNED_PROPOSAL_MESSAGE,
        garbage: garbageCbor(),
        wrong: [
          {
            what: 'wrong channel',
            request: encodeGatewayRequest({
              type: 'coins',
              channel: WRONG_CHANNEL,
              owner,
              limit: 10,
            }),
            code: 'NODE_UNKNOWN_CHANNEL',
          },
          {
            what: 'unknown type',
            request: encode({ type: 'explode', channel: CHANNEL }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'unknown field',
            request: withField(
              encodeGatewayRequest({ type: 'coins', channel: CHANNEL, owner, limit: 10 }),
              'extra',
              1,
            ),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'wrong types',
            request: encode({ type: 'coins', channel: CHANNEL, owner: 'alice', limit: '10' }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'limit 0',
            request: encode({ type: 'coins', channel: CHANNEL, owner, limit: 0 }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'short txid',
            request: encode({ type: 'status', channel: CHANNEL, txid: fromHex('00'), wait: false }),
            code: 'CODEC_SCHEMA',
          },
        ],
      },
      [PROTOCOLS.attestations]: {
        access: 'members',
        maxRequestBytes: MAX_ATTESTATION_PULL_REQUEST_BYTES,
        garbage: garbageCbor(),
        wrong: [
          {
            what: 'wrong channel',
            request: encodeAttestationPullRequest(digest(WRONG_CHANNEL)),
            code: 'NET_FORBIDDEN',
          },
          {
            what: 'unknown field',
            request: withField(encodeAttestationPullRequest(digest(CHANNEL)), 'extra', 1),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'count 0',
            request: encode({ type: 'digest', channel: CHANNEL, from: 0, count: 0 }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'fetch without signers',
            request: encode({ type: 'fetch', channel: CHANNEL, from: 0, count: 1 }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'signers out of order',
            request: encode({
              type: 'fetch',
              channel: CHANNEL,
              from: 0,
              count: 1,
              signers: [new Uint8Array(32).fill(2), new Uint8Array(32).fill(1)],
            }),
            code: 'CODEC_SCHEMA',
          },
        ],
      },
      [PROTOCOLS.light]: {
        access: 'public',
        maxRequestBytes: MAX_LIGHT_REQUEST_BYTES,
        garbage: garbageCbor(),
        wrong: [
          {
            what: 'wrong channel',
            request: encode({ type: 'info', channel: WRONG_CHANNEL }),
            // A member may read only its own channels; a light client learns the node has no such channel.
            code: 'NET_FORBIDDEN',
            lightClientCode: 'NODE_UNKNOWN_CHANNEL',
          },
          {
            what: 'unknown type',
            request: encode({ type: 'explode', channel: CHANNEL }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'unknown field',
            request: encode({ type: 'info', channel: CHANNEL, extra: 1 }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'wrong types',
            request: encode({ type: 'headers', channel: CHANNEL, from: '0', count: 1 }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'count 0',
            request: encode({ type: 'headers', channel: CHANNEL, from: 0, count: 0 }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'short txid',
            request: encode({ type: 'tx', channel: CHANNEL, txid: fromHex('00') }),
            code: 'CODEC_SCHEMA',
          },
          {
            what: 'a block past the head',
            request: encode({ type: 'block', channel: CHANNEL, number: 1_000_000 }),
            code: 'LIGHT_NOT_FOUND',
          },
        ],
      },
    };
    const enroll = (fields: Record<string, unknown>) =>
      encode({
        type: 'enroll',
        org: 'Org1',
        id: 'user-0123456789',
        secret: new Uint8Array(20),
        publicKey: new Uint8Array(32),
        time: Date.now(),
        nonce: new Uint8Array(16),
        signature: new Uint8Array(64),
        ...fields,
      });
    specs[PROTOCOLS.enroll] = {
      access: 'public',
      maxRequestBytes: MAX_ENROLL_REQUEST_BYTES,
      garbage: garbageCbor(),
      wrong: [
        {
          what: 'not signed by the key it asks to certify',
          request: enroll({}),
          code: 'ENROLL_BAD_PROOF',
        },
        { what: 'unknown type', request: enroll({ type: 'grant' }), code: 'CODEC_SCHEMA' },
        { what: 'unknown field', request: enroll({ extra: 1 }), code: 'CODEC_SCHEMA' },
        {
          what: 'short secret',
          request: enroll({ secret: new Uint8Array(4) }),
          code: 'CODEC_SCHEMA',
        },
        { what: 'time as a string', request: enroll({ time: '1' }), code: 'CODEC_SCHEMA' },
        {
          what: 'register without an admin',
          request: enroll({ type: 'register' }),
          code: 'CODEC_SCHEMA',
        },
      ],
    };
    heightsBefore = await heights();
  });

  after(async () => {
    await pool.stopAll();
    await Promise.all(procs.map((p) => stopNodeProcess(p)));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sweeps every protocol in PROTOCOLS that the nodes register', async () => {
    const probe = await lightClient(peer, 'probe');
    const registered = async () =>
      (await probe.peerStore.get(peer.peerId).catch(() => undefined))?.protocols ?? [];
    await until('identify', async () => (await registered()).includes(PROTOCOLS.hello));
    const served = new Set(await registered());
    for (const id of Object.values(PROTOCOLS)) {
      if (!served.has(id)) notSwept.push(id);
    }
    for (const t of [orderer, peer]) t.sweep = t.sweep.filter((id) => served.has(id));
    const swept = new Set([...orderer.sweep, ...peer.sweep]);
    for (const id of Object.values(PROTOCOLS)) {
      if (served.has(id)) assert.isTrue(swept.has(id), `${id} is registered but not swept`);
    }
    // What the nodes serve today; /weft/light/1.0.0 and /weft/enroll/1.0.0 join the sweep once registered.
    for (const id of ['hello', 'broadcast', 'deliver', 'blocks', 'endorse', 'gateway'] as const) {
      assert.isTrue(served.has(PROTOCOLS[id]), `${PROTOCOLS[id]} is not registered`);
    }
    if (notSwept.length > 0)
      console.log(`registered by no node, not swept: ${notSwept.join(', ')}`);
    await probe.stop();
  });

  it('a member over TCP: typed errors for garbage and wrong requests; framing violations are penalised', async () => {
    const standing = await Promise.all([sweep(orderer, 'member'), sweep(peer, 'member')]);
    // Its typed errors cost it nothing: a real request still works on the same connection.
    const blocks = [];
    for await (const b of streamProtocol(
      standing[1],
      peer.tcp,
      PROTOCOLS.blocks,
      encodeBlocksRequest({ channel: CHANNEL, from: 0 }),
      { maxResponseBytes: MAX_BLOCK_BYTES, timeoutMs: 5000 },
    ))
      blocks.push(b);
    assert.equal(blocks.length, heightsBefore[peer.label]);
    const failed = outcomes.filter((o) => !o.ok && o.attacker === 'member');
    assert.deepEqual(failed, [], JSON.stringify(failed, null, 1));
  });

  it('a light client over WebSockets: forbidden on members-only protocols, typed errors or the penalty on public ones', async () => {
    const standing = await Promise.all([
      sweep(orderer, 'light client'),
      sweep(peer, 'light client'),
    ]);
    // Forbidden is not misbehaviour: the light client keeps its connection for public protocols.
    const coins = await callProtocol(
      standing[1],
      peer.ws,
      PROTOCOLS.gateway,
      encodeGatewayRequest({
        type: 'coins',
        channel: CHANNEL,
        owner: client0.cert.publicKey,
        limit: 10,
      }),
      { maxResponseBytes: 64 * 1024, timeoutMs: 5000 },
    );
    assert.instanceOf(coins, Uint8Array);
    const failed = outcomes.filter((o) => !o.ok && o.attacker === 'light client');
    assert.deepEqual(failed, [], JSON.stringify(failed, null, 1));
  });

  it('garbage on the channel gossip topics and gossipsub streams: the nodes survive', async () => {
    const probe = await member(peer, await certifiedKey('gossip-vandal'));
    const pubsub = probe.services.pubsub;
    const topics = [blocksTopic(CHANNEL), stateTopic(CHANNEL)];
    for (const topic of topics) pubsub.subscribe(topic);
    await sleep(300);
    const junk = [
      utf8('not a block'),
      fromHex('fffefd'),
      fromHex('a26161'),
      encode({ channel: CHANNEL, height: -1 }),
      new Uint8Array(64 * 1024).fill(0xa5),
    ];
    for (const topic of topics) {
      for (const data of junk) await pubsub.publish(topic, data).catch(() => {});
    }
    // Below gossipsub's own encoder: RPCs it would never send, on its own stream.
    const registered = (await probe.peerStore.get(peer.peerId)).protocols;
    const meshsub = registered.filter((p) => /^\/(meshsub|floodsub)\//.test(p));
    assert.isNotEmpty(meshsub, `no gossipsub protocol among ${registered.join(', ')}`);
    const field = (n: number, bytes: Uint8Array) =>
      concat([encodeVarint((n << 3) | 2), encodeVarint(bytes.length), bytes]);
    const message = (topic: string, data: Uint8Array, signed: boolean) =>
      concat([
        ...(signed ? [field(1, probe.peerId.toMultihash().bytes), field(3, fromHex('01'))] : []),
        field(2, data),
        field(4, utf8(topic)),
      ]);
    const rpcs = [
      fromHex('ffffffffffff'), // not protobuf
      concat([field(2, message(topics[0]!, fromHex('fffefd'), false))]),
      concat([field(2, message(topics[1]!, utf8('junk'), true))]), // signed, against StrictNoSign
      concat([field(1, concat([fromHex('0801'), field(2, utf8('x'.repeat(5000)))]))]),
    ];
    for (const protocol of meshsub) {
      for (const rpc of rpcs) {
        await rawSend(probe, peer.tcp, protocol, encodeLengthPrefixed(rpc)).catch(() => {});
      }
      await rawSend(probe, peer.tcp, protocol, declaredLength(2 ** 30)).catch(() => {});
      await rawSend(probe, peer.tcp, protocol, truncatedMessage(64, 10)).catch(() => {});
    }
    await sleep(1000);
    for (const t of [orderer, peer]) {
      assert.isNull(t.proc.child.exitCode, `${t.label} exited; see ${t.proc.logFile}`);
      assert.equal((await health(t.dev.opsUrl)).channels[0]?.height, heightsBefore[t.label]);
    }
  });

  it('afterwards both nodes run at the same height, logged every penalty, and serve honest callers', async () => {
    for (const t of [orderer, peer]) {
      assert.isNull(t.proc.child.exitCode, `${t.label} exited; see ${t.proc.logFile}`);
      assert.isNull(t.proc.child.signalCode, `${t.label} was killed; see ${t.proc.logFile}`);
    }
    assert.deepEqual(await heights(), heightsBefore);

    // An honest light client: the gateway still answers.
    await peer.pacer.next();
    const client = await GatewayClient.connect({ gateways: [peer.dev.ws], channel: CHANNEL });
    try {
      assert.isArray(await client.coins(client0.cert.publicKey));
    } finally {
      await client.close();
    }
    // An honest member: hello, then deliver from the orderer and blocks from the peer.
    const honest = await certifiedKey('honest');
    const m = await member(orderer, honest);
    for await (const block of streamProtocol(
      m,
      orderer.tcp,
      PROTOCOLS.deliver,
      encodeBlocksRequest({ channel: CHANNEL, from: 0 }),
      { maxResponseBytes: MAX_BLOCK_BYTES, timeoutMs: 5000 },
    )) {
      assert.isAbove(block.length, 0);
      break;
    }
    await peer.pacer.next();
    await callProtocol(
      m,
      peer.tcp,
      PROTOCOLS.hello,
      encodeHello({ cert: honest.cert, channels: [] }),
      CALL,
    );
    let n = 0;
    for await (const _ of streamProtocol(
      m,
      peer.tcp,
      PROTOCOLS.blocks,
      encodeBlocksRequest({ channel: CHANNEL, from: 0 }),
      { maxResponseBytes: MAX_BLOCK_BYTES, timeoutMs: 5000 },
    ))
      n++;
    assert.equal(n, heightsBefore[peer.label]);

    // Every penalty was the node's own decision, reported with peer, code and protocol.
    const logged = async (t: Target) => {
      const lines = (await readFile(t.proc.logFile, 'utf8')).split('\n').filter(Boolean);
      const entries = lines.flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
      return entries;
    };
    const wanted = (t: Target) => penalties.filter((p) => p.node === t.label);
    for (const t of [orderer, peer]) {
      let missing: Penalty[] = [];
      await until(
        `${t.label}'s log of every penalty`,
        async () => {
          const entries = await logged(t);
          missing = wanted(t).filter(
            (p) =>
              !entries.some(
                (e) =>
                  e.msg === 'peer misbehaved; disconnected' &&
                  e.peer === p.peer &&
                  e.code === p.code &&
                  e.protocol === p.protocol,
              ),
          );
          return missing.length === 0;
        },
        3000,
      ).catch(() => {});
      assert.deepEqual(missing, [], `not logged as misbehaviour by ${t.label}`);
      const entries = await logged(t);
      const failures = entries.filter(
        (e) => e.msg === 'protocol handler failed' || Number(e.level) >= 60,
      );
      assert.deepEqual(failures, [], `${t.label} logged internal failures`);
      // Typed errors are not misbehaviour: the attackers that only got those were never penalised.
      const standing = new Set(standingPeers.filter((x) => x.node === t.label).map((x) => x.peer));
      const wrongly = entries.filter(
        (e) => e.msg === 'peer misbehaved; disconnected' && standing.has(String(e.peer)),
      );
      assert.deepEqual(wrongly, [], `${t.label} penalised a peer for typed errors`);
      for (const p of wanted(t)) assert.include(PENALISED, p.code);
    }
    console.log(
      `${outcomes.length} outcomes checked, ${penalties.length} penalties, ${hosts} attacker hosts`,
    );
  });
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
