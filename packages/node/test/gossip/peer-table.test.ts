import { peerIdFromString } from '@libp2p/peer-id';
import { assert, describe, it } from '@weft/test/harness';
import { PeerTable } from '../../src/gossip/peer-table.js';

const peer = peerIdFromString('12D3KooWREF1B7MArFPboEK629KhqXiey9j2HGdHzEMsN3VheJiN');

describe('gossip: the peer table of alive messages', () => {
  it('takes newer messages only: a replay or an older seq cannot move a peer back', () => {
    const t = new PeerTable({ forgetAfterMs: 10_000 });
    assert.isTrue(t.record('a', { peer, height: 5, seq: 100 }, 1000));
    assert.isFalse(t.record('a', { peer, height: 2, seq: 100 }, 1100), 'replayed');
    assert.isFalse(t.record('a', { peer, height: 2, seq: 99 }, 1100), 'older');
    assert.deepEqual(
      t.heights(1200, 1000).map((p) => p.height),
      [5],
    );
    assert.isTrue(t.record('a', { peer, height: 7, seq: 101 }, 1300));
    assert.deepEqual(
      t.heights(1300, 1000).map((p) => p.height),
      [7],
    );
  });

  it('a message from the far future is not believed (it would pin the seq)', () => {
    const t = new PeerTable({ forgetAfterMs: 10_000 });
    assert.isFalse(t.record('a', { peer, height: 1, seq: 1_000_000 }, 1000));
    assert.isTrue(t.record('a', { peer, height: 1, seq: 1000 }, 1000));
  });

  it('lists only peers heard recently, and forgets the long silent', () => {
    const t = new PeerTable({ forgetAfterMs: 5000 });
    t.record('a', { peer, height: 1, seq: 1 }, 0);
    assert.lengthOf(t.heights(500, 1000), 1);
    assert.lengthOf(t.heights(2000, 1000), 0, 'silent longer than the window');
    t.heights(6000, 1000);
    assert.isTrue(
      t.record('a', { peer, height: 1, seq: 1 }, 6000),
      'forgotten, so seq starts over',
    );
  });
});
