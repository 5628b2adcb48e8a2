import { sha256, toHex, utf8 } from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { callProtocol, type NodeHost, serveProtocol } from '../../src/net/index.js';
import {
  eventually,
  HostPool,
  LISTEN_BOTH,
  membershipOf,
  sleep,
  tcpAddr,
  testPeer,
  wsAddr,
} from '../net/fixtures.js';

const SEED = 'net-gossip-test';
const TOPIC = '/weft/test-channel/blocks/1';
const PING = '/weft/test/ping/1.0.0';
const CALL = { maxResponseBytes: 64, timeoutMs: 3000 };

describe('net: gossipsub on the node host', () => {
  const pool = new HostPool();
  let a: NodeHost;
  let b: NodeHost;
  let light: NodeHost;

  before(async () => {
    const [pa, pb, pl] = await Promise.all(['a', 'b', 'light'].map((n) => testPeer(SEED, n)));
    const members = membershipOf(pa!, pb!);
    const fast = { gossipsub: { heartbeatInterval: 200 } };
    a = await pool.start(pa!, members, { listen: LISTEN_BOTH, ...fast });
    b = await pool.start(pb!, members, fast);
    light = await pool.start(pl!, membershipOf(pa!), fast);
    await serveProtocol(a, PING, {
      maxRequestBytes: 8,
      timeoutMs: 1000,
      access: 'public',
      handler: (r) => r,
    });
    for (const h of [a, b, light]) h.services.pubsub.subscribe(TOPIC);
    // Connect b over TCP and the light client over WebSockets.
    await callProtocol(b, tcpAddr(a), PING, utf8('b'), CALL);
    await callProtocol(light, wsAddr(a), PING, utf8('l'), CALL);
  });

  after(() => pool.stopAll());

  it('members exchange unsigned messages whose id is the hash of the data', async () => {
    await eventually(
      () => a.services.pubsub.getSubscribers(TOPIC).some((p) => p.equals(b.peerId)),
      "a seeing b's subscription",
    );
    const received: Uint8Array[] = [];
    const ids: string[] = [];
    a.services.pubsub.addEventListener('message', (evt) => {
      assert.equal(evt.detail.type, 'unsigned');
      received.push(evt.detail.data);
    });
    a.services.pubsub.addEventListener('gossipsub:message', (evt) => ids.push(evt.detail.msgId));
    const data = utf8('block 1');
    await b.services.pubsub.publish(TOPIC, data);
    await eventually(() => received.length === 1, 'delivery');
    assert.deepEqual(received[0], data);
    // Gossipsub ids are base64 strings of msgIdFn's bytes.
    assert.equal(
      toHex(Uint8Array.from(atob(ids[0]!), (c) => c.charCodeAt(0))),
      toHex(sha256(data)),
    );
  });

  it('a light client connected over WebSockets is kept out of gossip', async () => {
    const heard: Uint8Array[] = [];
    light.services.pubsub.addEventListener('message', (evt) => heard.push(evt.detail.data));
    await sleep(500); // several heartbeats: time to graft, if it were allowed
    assert.isFalse(a.services.pubsub.getSubscribers(TOPIC).some((p) => p.equals(light.peerId)));
    await a.services.pubsub.publish(TOPIC, utf8('block 2'));
    await sleep(300);
    assert.lengthOf(heard, 0);
    assert.isAtLeast(
      a.getConnections(light.peerId).length,
      1,
      'still connected for light protocols',
    );
  });
});
