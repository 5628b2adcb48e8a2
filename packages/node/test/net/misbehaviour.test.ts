import type { PeerId, Stream } from '@libp2p/interface';
import { concatBytes, encodeLengthPrefixed, fromHex, utf8 } from '@weft/core';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import fc from 'fast-check';
import {
  callProtocol,
  enforceMembership,
  type Misbehaviour,
  type MutableMembership,
  type NodeHost,
  serveProtocol,
} from '../../src/net/index.js';
import {
  eventually,
  HostPool,
  LISTEN_BOTH,
  membershipOf,
  sleep,
  tcpAddr,
  testPeer,
  wsAddr,
} from './fixtures.js';

const SEED = 'net-misbehaviour-test';
const ECHO = '/weft/test/echo/1.0.0';
const PUBLIC_ECHO = '/weft/test/public-echo/1.0.0';
const CALL = { maxResponseBytes: 4096, timeoutMs: 3000 };
const INTRODUCTION_MS = 400;

/**
 * Writes raw bytes on a protocol stream over a fresh connection and reads
 * whatever comes back until it closes. Hanging up afterwards matters: when
 * the server drops a connection, the caller's side takes a moment to notice,
 * and a dial in that window reuses the dying connection.
 */
async function writeRaw(from: NodeHost, to: NodeHost, bytes: Uint8Array): Promise<void> {
  let stream: Stream;
  try {
    stream = await from.dialProtocol(wsAddr(to), PUBLIC_ECHO, {
      signal: AbortSignal.timeout(2000),
    });
  } catch {
    return; // refused (penalised): also a fine outcome for garbage
  }
  try {
    if (bytes.length > 0) stream.send(bytes);
    await stream.close({ signal: AbortSignal.timeout(2000) });
    const drain = (async () => {
      for await (const _ of stream) {
        // discard
      }
    })();
    await Promise.race([drain, sleep(2000)]);
  } catch {
    // A reset is one of the expected answers to garbage.
  } finally {
    stream.abort(new Error('done'));
    await from.hangUp(to.peerId).catch(() => {});
  }
}

describe('net: misbehaving peers', () => {
  const pool = new HostPool();
  const reports: Misbehaviour[] = [];
  let server: NodeHost;
  let good: NodeHost;
  let offender: NodeHost;
  let vandal: NodeHost;
  let leaver: NodeHost;
  let members: MutableMembership;
  let leaverKey: Uint8Array;

  const reportsFor = (peer: PeerId) => reports.filter((r) => r.peer.equals(peer));

  before(async () => {
    const [s, g, o, v, l] = await Promise.all(
      ['server', 'good', 'offender', 'vandal', 'leaver'].map((n) => testPeer(SEED, n)),
    );
    members = membershipOf(s!, g!, o!, l!);
    leaverKey = l!.publicKey;
    server = await pool.start(s!, members, {
      listen: LISTEN_BOTH,
      penaltyMs: 60_000,
      introductionMs: INTRODUCTION_MS,
    });
    good = await pool.start(g!, members);
    offender = await pool.start(o!, members);
    vandal = await pool.start(v!, membershipOf(s!));
    leaver = await pool.start(l!, membershipOf(s!, l!));
    const serve = {
      maxRequestBytes: 1024,
      timeoutMs: 1000,
      onMisbehaviour: (m: Misbehaviour) => reports.push(m),
    };
    await serveProtocol(server, ECHO, { ...serve, access: 'members', handler: (r) => r });
    await serveProtocol(server, PUBLIC_ECHO, { ...serve, access: 'public', handler: (r) => r });
  });

  after(() => pool.stopAll());

  it('an oversized request: typed error, offender penalised and cut off, others still served', async () => {
    // Warm up so the offender has an established connection to lose.
    await callProtocol(offender, tcpAddr(server), ECHO, utf8('hi'), CALL);
    await rejectsWithCode(
      () => callProtocol(offender, tcpAddr(server), ECHO, new Uint8Array(4096), CALL),
      'NET_TOO_LARGE',
    );
    await eventually(() => reportsFor(offender.peerId).length === 1, 'the misbehaviour hook');
    assert.equal(reportsFor(offender.peerId)[0]!.code, 'NET_TOO_LARGE');
    assert.equal(reportsFor(offender.peerId)[0]!.protocol, ECHO);
    assert.isTrue(server.services.access.isPenalised(offender.peerId));
    await eventually(() => server.getConnections(offender.peerId).length === 0, 'disconnection');
    // Refused while in the penalty box, even though it is a member.
    await rejectsWithCode(
      () => callProtocol(offender, tcpAddr(server), ECHO, utf8('again'), CALL),
      'NET_DIAL_FAILED',
    );
    assert.deepEqual(await callProtocol(good, tcpAddr(server), ECHO, utf8('ok'), CALL), utf8('ok'));
  });

  it('data after the request is malformed and penalised', async () => {
    const gate = server.services.access;
    const before = reportsFor(vandal.peerId).length;
    await writeRaw(vandal, server, concatBytes(encodeLengthPrefixed(utf8('a')), fromHex('0142')));
    await eventually(() => reportsFor(vandal.peerId).length === before + 1, 'the report');
    assert.equal(reportsFor(vandal.peerId).at(-1)!.code, 'NET_MALFORMED');
    assert.isTrue(gate.isPenalised(vandal.peerId));
    gate.pardon(vandal.peerId);
  });

  it('garbage written raw on a protocol stream never crashes the host', async () => {
    const gate = server.services.access;
    const fixed = [
      new Uint8Array(0),
      fromHex('ff'.repeat(16)), // varint that never ends
      fromHex('8000'), // non-minimal varint
      fromHex('ffffffff0f'), // 4 GiB declared length
      fromHex('0a0102'), // truncated body, then close
      encodeLengthPrefixed(new Uint8Array(1025)), // one byte over the bound
    ];
    const random = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 3000 }), {
      numRuns: 12,
      seed: 7,
    });
    for (const bytes of [...fixed, ...random]) {
      await writeRaw(vandal, server, bytes);
      gate.pardon(vandal.peerId);
    }
    assert.equal(server.status, 'started');
    assert.isAtLeast(reportsFor(vandal.peerId).length, 4);
    for (const r of reports) assert.include(['NET_TOO_LARGE', 'NET_MALFORMED'], r.code);
    assert.deepEqual(
      await callProtocol(good, tcpAddr(server), ECHO, utf8('still'), CALL),
      utf8('still'),
    );
    assert.deepEqual(
      await callProtocol(vandal, wsAddr(server), PUBLIC_ECHO, utf8('pardoned'), CALL),
      utf8('pardoned'),
    );
  });

  it('a member removed from the membership is cut off by enforceMembership', async () => {
    await callProtocol(leaver, tcpAddr(server), ECHO, utf8('hi'), CALL);
    await callProtocol(vandal, wsAddr(server), PUBLIC_ECHO, utf8('hi'), CALL);
    members.remove(leaverKey);
    const dropped = await enforceMembership(server);
    assert.deepEqual(
      dropped.map((p) => p.toString()),
      [leaver.peerId.toString()],
      'light clients on WebSockets stay',
    );
    await eventually(() => server.getConnections(leaver.peerId).length === 0, 'disconnection');
    await eventually(
      () => leaver.getConnections(server.peerId).length === 0,
      'the leaver noticing',
    );
    // Coming back it is only a candidate: refused members protocols, then cut and penalised.
    const gate = server.services.access;
    await rejectsWithCode(
      () => callProtocol(leaver, tcpAddr(server), ECHO, utf8('again'), CALL),
      'NET_FORBIDDEN',
    );
    assert.isTrue(gate.isCandidate(leaver.peerId));
    assert.deepEqual(await enforceMembership(server), [], 'a candidate is left to its deadline');
    await eventually(() => gate.isPenalised(leaver.peerId), 'the introduction deadline');
    await eventually(() => server.getConnections(leaver.peerId).length === 0, 'disconnection');
    await eventually(
      () => leaver.getConnections(server.peerId).length === 0,
      'the leaver noticing',
    );
    await rejectsWithCode(
      () => callProtocol(leaver, tcpAddr(server), ECHO, utf8('again'), CALL),
      'NET_DIAL_FAILED',
    );
  });
});
