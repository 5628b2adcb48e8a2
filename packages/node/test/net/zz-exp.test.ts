import { utf8 } from '@weft/core';
import { after, assert, describe, it } from '@weft/test/harness';
import { HostPool, LISTEN_BOTH, membershipOf, sleep, tcpAddr, testPeer } from './fixtures.js';

const TOPIC = 't';
describe('exp', () => {
  const pool = new HostPool();
  after(() => pool.stopAll());
  it('candidate turned member gossips', async () => {
    const [pa, pb] = await Promise.all(['a', 'b'].map((n) => testPeer('exp', n)));
    const ma = membershipOf(pa!);
    const fast = { gossipsub: { heartbeatInterval: 200 } };
    const a = await pool.start(pa!, ma, { listen: LISTEN_BOTH, introductionMs: 2000, ...fast });
    const b = await pool.start(pb!, membershipOf(pa!, pb!), fast);
    for (const h of [a, b]) h.services.pubsub.subscribe(TOPIC);
    await b.dial(tcpAddr(a));
    await sleep(100);
    ma.add(pb!.publicKey);
    const got: string[] = [];
    const gotB: string[] = [];
    b.services.pubsub.addEventListener('message', (e) => gotB.push(new TextDecoder().decode(e.detail.data)));
    a.services.pubsub.addEventListener('message', (e) => got.push(new TextDecoder().decode(e.detail.data)));
    await sleep(1500);
    console.log('a subs', a.services.pubsub.getSubscribers(TOPIC).map(String), 'b subs', b.services.pubsub.getSubscribers(TOPIC).map(String));
    await b.services.pubsub.publish(TOPIC, utf8('x')).catch((e) => console.log('pub err', e.message));
    await a.services.pubsub.publish(TOPIC, utf8('y')).catch((e) => console.log('pub err a', e.message));
    await sleep(500);
    console.log('gotB', gotB);
    console.log('got', got, a.getConnections(b.peerId).length);
    assert.isTrue(true);
  });
});
