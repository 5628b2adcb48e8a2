import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { equalBytes } from '@weft/core';
import { assert, describe, it, rejectsWithCode, throwsWithCode } from '@weft/test/harness';
import {
  ed25519KeyOfPeer,
  isWebSocketAddr,
  libp2pKeyFromSecret,
  MutableMembership,
  PeerGate,
  peerIdFromEd25519,
} from '../../src/net/index.js';
import { membershipOf, testPeer } from '../net/fixtures.js';

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

  it('gates TCP by membership, admits and counts WebSocket light clients, penalises for a time', async () => {
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
    assert.isTrue(await g.denyInboundEncryptedConnection!(lId, tcp));
    assert.isFalse(await g.denyInboundEncryptedConnection!(lId, ws));
    assert.isTrue(gate.isLightClient(lId));
    assert.isFalse(gate.isLightClient(mId));
    // The light-client quota is full; members are not counted against it.
    assert.isTrue(await g.denyInboundEncryptedConnection!(l2Id, ws));
    assert.isFalse(await g.denyInboundEncryptedConnection!(mId, ws));
    gate.forget(lId);
    assert.isFalse(await g.denyInboundEncryptedConnection!(l2Id, ws));

    assert.isFalse(await g.denyDialPeer!(mId));
    assert.isTrue(await g.denyDialPeer!(lId));
    assert.isTrue(await g.denyOutboundEncryptedConnection!(lId, tcp));

    gate.penalise(mId);
    assert.isTrue(gate.isPenalised(mId));
    assert.isTrue(await g.denyInboundEncryptedConnection!(mId, tcp));
    assert.isTrue(await g.denyInboundEncryptedConnection!(mId, ws));
    assert.isTrue(await g.denyDialPeer!(mId));
    now += 501;
    assert.isFalse(gate.isPenalised(mId));
    assert.isFalse(await g.denyInboundEncryptedConnection!(mId, tcp));
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
