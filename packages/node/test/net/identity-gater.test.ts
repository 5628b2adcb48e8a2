import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { equalBytes, utf8 } from '@weft/core';
import {
  after,
  assert,
  before,
  describe,
  it,
  rejectsWithCode,
  throwsWithCode,
} from '@weft/test/harness';
import {
  callProtocol,
  ed25519KeyOfPeer,
  enforceMembership,
  isWebSocketAddr,
  libp2pKeyFromSecret,
  MutableMembership,
  type NodeHost,
  PeerGate,
  peerIdFromEd25519,
  serveProtocol,
} from '../../src/net/index.js';
import {
  eventually,
  HostPool,
  LISTEN_BOTH,
  membershipOf,
  sleep,
  type TestPeer,
  tcpAddr,
  testPeer,
  wsAddr,
} from './fixtures.js';

const SEED = 'net-identity-test';

describe('net: identity', () => {
  it("a node's libp2p key is its Weft certificate key", async () => {
    const p = await testPeer(SEED, 'node');
    const key = await libp2pKeyFromSecret(p.secretKey);
    assert.isTrue(equalBytes(key.publicKey.raw, p.publicKey));
    const peer = peerIdFromPrivateKey(key);
    assert.isTrue(peer.equals(peerIdFromEd25519(p.publicKey)));
    assert.isTrue(equalBytes(ed25519KeyOfPeer(peer)!, p.publicKey));
  });

  it('refuses keys of the wrong size', async () => {
    await rejectsWithCode(() => libp2pKeyFromSecret(new Uint8Array(31)), 'NET_BAD_KEY');
    throwsWithCode(() => peerIdFromEd25519(new Uint8Array(33)), 'NET_BAD_KEY');
  });

  it('has no Ed25519 key for other PeerId types', async () => {
    const secp = peerIdFromPrivateKey(await generateKeyPair('secp256k1'));
    assert.isUndefined(ed25519KeyOfPeer(secp));
  });
});

describe('net: membership and gate', () => {
  it('membership is replaceable as a whole', async () => {
    const [a, b] = await Promise.all([testPeer(SEED, 'a'), testPeer(SEED, 'b')]);
    const m = membershipOf(a);
    assert.isTrue(m.isMember(a.publicKey));
    assert.isFalse(m.isMember(b.publicKey));
    m.replace([b.publicKey]);
    assert.isFalse(m.isMember(a.publicKey));
    assert.isTrue(m.isMember(b.publicKey));
    m.add(a.publicKey);
    m.remove(b.publicKey);
    assert.equal(m.size, 1);
    assert.isTrue(m.isMember(a.publicKey));
  });

  it('tells WebSocket addresses from TCP ones', () => {
    assert.isTrue(isWebSocketAddr(multiaddr('/ip4/127.0.0.1/tcp/1/ws')));
    assert.isTrue(isWebSocketAddr(multiaddr('/dns4/example.org/tcp/443/wss')));
    assert.isFalse(isWebSocketAddr(multiaddr('/ip4/127.0.0.1/tcp/1')));
  });

  it('admits members anywhere, admits and counts WebSocket light clients, penalises for a time', async () => {
    const member = await testPeer(SEED, 'member');
    const light = await testPeer(SEED, 'light');
    const light2 = await testPeer(SEED, 'light2');
    let now = 1_000;
    const gate = new PeerGate({
      membership: new MutableMembership([member.publicKey]),
      penaltyMs: 500,
      maxLightClients: 1,
      now: () => now,
    });
    const g = gate.connectionGater();
    const tcp = { remoteAddr: multiaddr('/ip4/10.0.0.1/tcp/4000') } as never;
    const ws = { remoteAddr: multiaddr('/ip4/10.0.0.2/tcp/4001/ws') } as never;
    const mId = peerIdFromEd25519(member.publicKey);
    const lId = peerIdFromEd25519(light.publicKey);
    const l2Id = peerIdFromEd25519(light2.publicKey);

    assert.isFalse(await g.denyInboundEncryptedConnection!(mId, tcp));
    assert.isFalse(gate.isCandidate(mId), 'a member is never a candidate');
    assert.isFalse(await g.denyInboundEncryptedConnection!(lId, ws));
    assert.isTrue(gate.isLightClient(lId));
    assert.isFalse(
      gate.isCandidate(lId),
      'a WebSocket non-member is a light client, not a candidate',
    );
    assert.isFalse(gate.isLightClient(mId));
    // The light-client quota is full; members are not counted against it.
    assert.isTrue(await g.denyInboundEncryptedConnection!(l2Id, ws));
    assert.isFalse(await g.denyInboundEncryptedConnection!(mId, ws));
    gate.forget(lId);
    assert.isFalse(await g.denyInboundEncryptedConnection!(l2Id, ws));

    assert.isFalse(await g.denyDialPeer!(mId));
    assert.isFalse(await g.denyOutboundEncryptedConnection!(mId, tcp));
    assert.equal(gate.candidateCount, 0);

    gate.penalise(mId);
    assert.isTrue(gate.isPenalised(mId));
    assert.isTrue(await g.denyInboundEncryptedConnection!(mId, tcp));
    assert.isTrue(await g.denyInboundEncryptedConnection!(mId, ws));
    assert.isTrue(await g.denyDialPeer!(mId));
    now += 501;
    assert.isFalse(gate.isPenalised(mId));
    assert.isFalse(await g.denyInboundEncryptedConnection!(mId, tcp));
  });

  it('admits a TCP non-member as a bounded candidate until it becomes a member', async () => {
    const [m, a, b, c, w] = await Promise.all(
      ['cand-member', 'cand-a', 'cand-b', 'cand-c', 'cand-ws'].map((n) => testPeer(SEED, n)),
    );
    let now = 0;
    const membership = new MutableMembership([m!.publicKey]);
    const gate = new PeerGate({ membership, maxCandidates: 2, penaltyMs: 500, now: () => now });
    const introduced: string[] = [];
    gate.onCandidate = (peer) => introduced.push(peer.toString());
    const g = gate.connectionGater();
    const tcp = { remoteAddr: multiaddr('/ip4/10.0.0.1/tcp/4000') } as never;
    const ws = { remoteAddr: multiaddr('/ip4/10.0.0.2/tcp/4001/ws') } as never;
    const [mId, aId, bId, cId, wId] = [m!, a!, b!, c!, w!].map((p) =>
      peerIdFromEd25519(p.publicKey),
    );

    // Inbound on TCP: a candidate, announced once however many connections it opens.
    assert.isFalse(await g.denyInboundEncryptedConnection!(aId!, tcp));
    assert.isFalse(await g.denyInboundEncryptedConnection!(aId!, tcp));
    assert.isTrue(gate.isCandidate(aId!));
    assert.isFalse(gate.isLightClient(aId!));
    assert.deepEqual(introduced, [aId!.toString()]);
    // Dialling a stranger is allowed and makes it a candidate too.
    assert.isFalse(await g.denyDialPeer!(bId!));
    assert.isFalse(await g.denyOutboundEncryptedConnection!(bId!, tcp));
    assert.isTrue(gate.isCandidate(bId!));
    assert.equal(gate.candidateCount, 2);
    // Full: the next stranger is refused either way; members and light clients do not count.
    assert.isTrue(await g.denyInboundEncryptedConnection!(cId!, tcp));
    assert.isTrue(await g.denyOutboundEncryptedConnection!(cId!, tcp));
    assert.isFalse(gate.isCandidate(cId!));
    assert.isFalse(await g.denyInboundEncryptedConnection!(mId!, tcp));
    assert.isFalse(await g.denyInboundEncryptedConnection!(wId!, ws));
    assert.isTrue(gate.isLightClient(wId!));
    assert.deepEqual(introduced, [aId!.toString(), bId!.toString()]);

    // `a` introduces itself (becomes a member): no longer a candidate, and its slot is free.
    membership.add(a!.publicKey);
    assert.isFalse(gate.isCandidate(aId!));
    assert.equal(gate.candidateCount, 1);
    assert.isFalse(await g.denyInboundEncryptedConnection!(cId!, tcp));
    assert.isTrue(gate.isCandidate(cId!));
    assert.isTrue(gate.graduate(aId!));
    assert.isFalse(gate.graduate(cId!), 'a stranger does not graduate');
    assert.isTrue(gate.isCandidate(cId!));

    // A disconnected candidate frees its slot; a penalised one is refused everywhere.
    gate.forget(bId!);
    assert.isFalse(gate.isCandidate(bId!));
    gate.penalise(bId!);
    assert.isTrue(await g.denyDialPeer!(bId!));
    assert.isTrue(await g.denyInboundEncryptedConnection!(bId!, tcp));
    assert.isTrue(await g.denyOutboundEncryptedConnection!(bId!, tcp));
    assert.isTrue(await g.denyInboundEncryptedConnection!(bId!, ws));
    now += 501;
    assert.isFalse(await g.denyInboundEncryptedConnection!(bId!, tcp));
    assert.isTrue(gate.isCandidate(bId!));
  });

  it('reclaims the slot of a candidate whose upgrade never completed', async () => {
    const [a, b] = await Promise.all([testPeer(SEED, 'cslot-a'), testPeer(SEED, 'cslot-b')]);
    let now = 0;
    const connected = new Set<string>();
    const gate = new PeerGate({
      membership: new MutableMembership(),
      maxCandidates: 1,
      now: () => now,
      isConnected: (id) => connected.has(id),
    });
    const g = gate.connectionGater();
    const tcp = { remoteAddr: multiaddr('/ip4/10.0.0.1/tcp/4000') } as never;
    const [aId, bId] = [peerIdFromEd25519(a.publicKey), peerIdFromEd25519(b.publicKey)];
    assert.isFalse(await g.denyInboundEncryptedConnection!(aId, tcp));
    now += 1000;
    assert.isTrue(await g.denyInboundEncryptedConnection!(bId, tcp));
    now += 60_000;
    assert.isFalse(await g.denyInboundEncryptedConnection!(bId, tcp));
    assert.isFalse(gate.isCandidate(aId));
    connected.add(bId.toString());
    now += 60_000;
    assert.isTrue(await g.denyInboundEncryptedConnection!(aId, tcp));
  });

  it('reclaims the slot of a light client whose upgrade never completed', async () => {
    const [a, b] = await Promise.all([testPeer(SEED, 'slot-a'), testPeer(SEED, 'slot-b')]);
    let now = 0;
    const connected = new Set<string>();
    const gate = new PeerGate({
      membership: new MutableMembership(),
      maxLightClients: 1,
      now: () => now,
      isConnected: (id) => connected.has(id),
    });
    const g = gate.connectionGater();
    const ws = { remoteAddr: multiaddr('/ip4/10.0.0.2/tcp/4001/ws') } as never;
    const [aId, bId] = [peerIdFromEd25519(a.publicKey), peerIdFromEd25519(b.publicKey)];
    assert.isFalse(await g.denyInboundEncryptedConnection!(aId, ws));
    // Still inside the upgrade grace period: the slot is taken.
    now += 1000;
    assert.isTrue(await g.denyInboundEncryptedConnection!(bId, ws));
    // Long after, and `a` never connected: its slot goes to `b`.
    now += 60_000;
    assert.isFalse(await g.denyInboundEncryptedConnection!(bId, ws));
    assert.isFalse(gate.isLightClient(aId));
    // A connected light client keeps its slot however old it is.
    connected.add(bId.toString());
    now += 60_000;
    assert.isTrue(await g.denyInboundEncryptedConnection!(aId, ws));
  });
});

// Candidates on real hosts: TCP peers that are not (yet) members, admitted
// to introduce themselves (the node layer's hello) before a deadline
// (PROTOCOLS.md, Access). A short introduction time keeps these fast.
const CANDIDATE_SEED = 'net-candidates-test';
const ECHO = '/weft/test/echo/1.0.0';
const WHOAMI = '/weft/test/whoami/1.0.0';
const CALL = { maxResponseBytes: 1024, timeoutMs: 3000 };
const INTRODUCTION_MS = 400;
const DIALLER_INTRODUCTION_MS = 2000;

/** ECHO for members only; WHOAMI, public, answers one byte: 1 when the caller is a member. */
async function serveTestProtocols(host: NodeHost): Promise<void> {
  const base = { maxRequestBytes: 1024, timeoutMs: 3000 } as const;
  await serveProtocol(host, ECHO, { ...base, access: 'members', handler: (req) => req });
  await serveProtocol(host, WHOAMI, {
    ...base,
    access: 'public',
    handler: (_req, ctx) => Uint8Array.of(ctx.member ? 1 : 0),
  });
}

/** Sleeps until `ms` after `since` (not at all if that is already past). */
const sleepUntil = (since: number, ms: number) => sleep(Math.max(0, since + ms - Date.now()));

/** Calls the public WHOAMI (the call itself proves `client` is admitted): is it a member? */
async function isMemberAt(
  client: NodeHost,
  server: NodeHost,
  via = tcpAddr(server),
): Promise<boolean> {
  const reply = await callProtocol(client, via, WHOAMI, utf8(''), CALL);
  return reply[0] === 1;
}

async function candidatePeers(names: string[]): Promise<Map<string, TestPeer>> {
  const peers = await Promise.all(names.map((n) => testPeer(CANDIDATE_SEED, n)));
  return new Map(peers.map((p) => [p.name, p]));
}

describe('net: candidates (TCP non-members introducing themselves)', () => {
  const pool = new HostPool();
  const hosts = new Map<string, NodeHost>();
  let peers: Map<string, TestPeer>;
  let server: NodeHost;
  let members: MutableMembership;
  let lightSince = 0;
  const host = (name: string) => hosts.get(name)!;
  const key = (name: string) => peers.get(name)!.publicKey;

  before(async () => {
    const clients = ['member', 'stranger', 'newcomer', 'lingerer', 'light', 'dialler'];
    peers = await candidatePeers(['server', ...clients]);
    const s = peers.get('server')!;
    members = membershipOf(s, peers.get('member')!, peers.get('dialler')!);
    server = await pool.start(s, members, { listen: LISTEN_BOTH, introductionMs: INTRODUCTION_MS });
    await serveTestProtocols(server);
    for (const name of clients) {
      // Clients know the server, so their own gates never hold it to a deadline,
      // except the dialler's, which tests the dialling side.
      const known = name === 'dialler' ? membershipOf() : membershipOf(s);
      // The dialler's deadline runs from its dial, and its test's first call
      // (dial, handshake, one echo) must fit inside it even on a loaded host.
      const options = {
        introductionMs: name === 'dialler' ? DIALLER_INTRODUCTION_MS : INTRODUCTION_MS,
      };
      hosts.set(name, await pool.start(peers.get(name)!, known, options));
    }
    // Connected from the start, so by its test it is long past any candidate's deadline.
    lightSince = Date.now();
    assert.isFalse(await isMemberAt(host('light'), server, wsAddr(server)));
  });

  after(() => pool.stopAll());

  it('a stranger on TCP: candidate, public yes, members NET_FORBIDDEN, then cut and penalised', async () => {
    const gate = server.services.access;
    const stranger = host('stranger');
    const start = Date.now();
    assert.isFalse(await isMemberAt(stranger, server));
    assert.isTrue(gate.isCandidate(stranger.peerId));
    assert.isFalse(gate.isLightClient(stranger.peerId));
    await rejectsWithCode(
      () => callProtocol(stranger, tcpAddr(server), ECHO, utf8('x'), CALL),
      'NET_FORBIDDEN',
    );
    // Refusal is per protocol: the candidate keeps its connection for public ones.
    assert.isFalse(await isMemberAt(stranger, server));
    assert.lengthOf(server.getConnections(stranger.peerId), 1);

    await eventually(() => server.getConnections(stranger.peerId).length === 0, 'the hang-up');
    assert.isAtLeast(Date.now() - start, INTRODUCTION_MS, 'not before its deadline');
    assert.isTrue(gate.isPenalised(stranger.peerId));
    assert.isFalse(gate.isCandidate(stranger.peerId), 'its slot is free');
    await eventually(() => stranger.getConnections(server.peerId).length === 0, 'it noticing');
    // Refused while penalised (introductionMs * 6), on TCP and WebSockets alike.
    await rejectsWithCode(
      () => callProtocol(stranger, tcpAddr(server), WHOAMI, utf8(''), CALL),
      'NET_DIAL_FAILED',
    );
    await rejectsWithCode(
      () => callProtocol(stranger, wsAddr(server), WHOAMI, utf8(''), CALL),
      'NET_DIAL_FAILED',
    );
    assert.lengthOf(server.getConnections(stranger.peerId), 0);
  });

  it('a candidate that becomes a member in time keeps its connection and may call members protocols', async () => {
    const gate = server.services.access;
    const newcomer = host('newcomer');
    const start = Date.now();
    assert.isFalse(await isMemberAt(newcomer, server));
    await rejectsWithCode(
      () => callProtocol(newcomer, tcpAddr(server), ECHO, utf8('x'), CALL),
      'NET_FORBIDDEN',
    );
    const [conn] = server.getConnections(newcomer.peerId);
    assert.isDefined(conn);
    // What a successful hello does: the node layer's Membership now certifies the key.
    members.add(key('newcomer'));
    assert.isFalse(gate.isCandidate(newcomer.peerId));
    assert.deepEqual(
      await callProtocol(newcomer, tcpAddr(server), ECHO, utf8('in'), CALL),
      utf8('in'),
    );
    await sleepUntil(start, INTRODUCTION_MS + 150); // past its deadline
    assert.isFalse(gate.isPenalised(newcomer.peerId));
    assert.deepEqual(
      server.getConnections(newcomer.peerId).map((c) => c.id),
      [conn!.id],
      'the same connection, never cut',
    );
    assert.isTrue(await isMemberAt(newcomer, server));
    assert.deepEqual(
      await callProtocol(newcomer, tcpAddr(server), ECHO, utf8('still'), CALL),
      utf8('still'),
    );
  });

  it('a WebSocket light client is not a candidate and has no deadline', async () => {
    const gate = server.services.access;
    const light = host('light');
    const [conn] = server.getConnections(light.peerId);
    assert.isDefined(conn);
    assert.isTrue(gate.isLightClient(light.peerId));
    assert.isFalse(gate.isCandidate(light.peerId));
    await rejectsWithCode(
      () => callProtocol(light, wsAddr(server), ECHO, utf8('x'), CALL),
      'NET_FORBIDDEN',
    );
    await sleepUntil(lightSince, INTRODUCTION_MS + 150); // already past, after the tests above
    assert.isFalse(gate.isPenalised(light.peerId));
    assert.deepEqual(
      server.getConnections(light.peerId).map((c) => c.id),
      [conn!.id],
      'the connection it opened in before()',
    );
    assert.isFalse(await isMemberAt(light, server, wsAddr(server)));
  });

  it('enforceMembership cuts a removed member, not a candidate within its introduction nor a light client', async () => {
    const gate = server.services.access;
    const member = host('member');
    const lingerer = host('lingerer');
    assert.isTrue(await isMemberAt(member, server));
    assert.isFalse(await isMemberAt(lingerer, server));
    assert.isTrue(gate.isCandidate(lingerer.peerId));
    members.remove(key('member'));
    const dropped = await enforceMembership(server);
    assert.deepEqual(
      dropped.map((p) => p.toString()),
      [member.peerId.toString()],
    );
    await eventually(() => server.getConnections(member.peerId).length === 0, 'the cut');
    assert.lengthOf(server.getConnections(lingerer.peerId), 1, 'left to its deadline');
    assert.isAtLeast(server.getConnections(host('light').peerId).length, 1, 'light client stays');
    // ... which then comes.
    await eventually(() => gate.isPenalised(lingerer.peerId), 'the deadline');
    await eventually(() => server.getConnections(lingerer.peerId).length === 0, 'the hang-up');
    members.add(key('member'));
  });

  it("dialling a stranger makes it a candidate on the dialler's side too", async () => {
    // The server counts the dialler a member; the dialler knows no one.
    const dialler = host('dialler');
    const gate = dialler.services.access;
    assert.deepEqual(
      await callProtocol(dialler, tcpAddr(server), ECHO, utf8('hi'), CALL),
      utf8('hi'),
    );
    assert.isTrue(gate.isCandidate(server.peerId));
    await eventually(
      () => gate.isPenalised(server.peerId),
      "the dialler's deadline",
      DIALLER_INTRODUCTION_MS + 3000,
    );
    await eventually(() => dialler.getConnections(server.peerId).length === 0, 'the hang-up');
    // Penalised: the dialler will not dial it again for a while.
    await rejectsWithCode(
      () => callProtocol(dialler, tcpAddr(server), ECHO, utf8('again'), CALL),
      'NET_DIAL_FAILED',
    );
  });
});

describe('net: the candidate bound on real hosts', () => {
  const pool = new HostPool();
  const clients = new Map<string, NodeHost>();
  let peers: Map<string, TestPeer>;
  let server: NodeHost;
  let members: MutableMembership;

  before(async () => {
    const names = ['member', 'first', 'second', 'light'];
    peers = await candidatePeers(['bounded', ...names]);
    const s = peers.get('bounded')!;
    members = membershipOf(s, peers.get('member')!);
    // A long introduction: the one slot must stay taken for the whole test.
    server = await pool.start(s, members, {
      listen: LISTEN_BOTH,
      maxCandidates: 1,
      introductionMs: 10_000,
    });
    await serveTestProtocols(server);
    for (const name of names) {
      clients.set(name, await pool.start(peers.get(name)!, membershipOf(s)));
    }
  });

  after(() => pool.stopAll());

  it('refuses a stranger beyond maxCandidates; members and light clients do not count', async () => {
    const gate = server.services.access;
    const [first, second, member, light] = ['first', 'second', 'member', 'light'].map(
      (n) => clients.get(n)!,
    );
    assert.isFalse(await isMemberAt(first!, server));
    assert.equal(gate.candidateCount, 1);
    await rejectsWithCode(
      () => callProtocol(second!, tcpAddr(server), WHOAMI, utf8(''), CALL),
      'NET_DIAL_FAILED',
    );
    await eventually(() => server.getConnections(second!.peerId).length === 0, 'no connection');
    assert.isFalse(gate.isPenalised(second!.peerId), 'refused, not penalised');
    assert.isTrue(await isMemberAt(member!, server));
    assert.isFalse(await isMemberAt(light!, server, wsAddr(server)));
    assert.isTrue(gate.isLightClient(light!.peerId));
    assert.equal(gate.candidateCount, 1);

    // The first candidate introduces itself: its slot goes to the next stranger.
    members.add(peers.get('first')!.publicKey);
    assert.equal(gate.candidateCount, 0);
    assert.isFalse(await isMemberAt(second!, server));
    assert.isTrue(gate.isCandidate(second!.peerId));
    assert.isTrue(await isMemberAt(first!, server));
  });
});
