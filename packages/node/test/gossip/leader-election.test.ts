import { assert, describe, it } from '@weft/test/harness';
import * as fc from 'fast-check';
import { type ElectionMode, LeaderElection } from '../../src/gossip/leader-election.js';

const TIMEOUT = 1000;
const make = (self: string, mode: ElectionMode = 'elect', startedAt = 0) =>
  new LeaderElection({ self, mode, electionTimeoutMs: TIMEOUT, startedAt });

describe('gossip: org leader election', () => {
  it('nobody leads before one election timeout; then the lowest id heard leads', () => {
    const a = make('a');
    const b = make('b');
    a.heard('b', false, 100);
    b.heard('a', false, 100);
    assert.isFalse(a.tick(500), 'still in the startup grace');
    a.heard('b', false, 900);
    b.heard('a', false, 900);
    assert.isTrue(a.tick(1100));
    assert.isFalse(b.tick(1100), 'b hears a alive and a has the lower id');
    b.heard('a', true, 1150);
    assert.equal(b.leader(1200), 'a');
  });

  it('a follower takes over when the leader goes silent, and only the lowest live id does', () => {
    const b = make('b');
    const c = make('c');
    for (const t of [1000, 1500, 2000]) {
      b.heard('a', true, t);
      c.heard('a', true, t);
      b.heard('c', false, t);
      c.heard('b', false, t);
    }
    assert.isFalse(b.tick(2500));
    assert.isFalse(c.tick(2500));
    // a stops; b and c keep announcing.
    b.heard('c', false, 3000);
    c.heard('b', false, 3000);
    assert.isTrue(b.tick(3100), 'a silent for more than the timeout: b is the lowest alive');
    assert.isFalse(c.tick(3100), 'b is alive and lower');
  });

  it('a live leader is followed even by a lower id (no preemption)', () => {
    const a = make('a', 'elect', 0);
    a.heard('b', true, 5000);
    assert.isFalse(a.tick(5100));
    assert.equal(a.leader(5100), 'b');
  });

  it('of two leaders the higher id steps down', () => {
    const b = make('b');
    b.heard('c', false, 900);
    assert.isTrue(b.tick(1000));
    b.heard('a', true, 1100);
    assert.isFalse(b.tick(1200));
  });

  it('static modes never change', () => {
    const lead = make('z', 'static-leader');
    const follow = make('a', 'static-follower');
    assert.isTrue(lead.isLeader);
    lead.heard('a', true, 10);
    assert.isTrue(lead.tick(5000));
    assert.isFalse(follow.tick(5000));
    assert.isFalse(follow.tick(50_000));
  });

  it('property: once settled, peers that hear each other agree on exactly one leader', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (ids) => {
          const peers = ids.map((id) => make(id));
          // Rounds of: everyone announces (with its current role), everyone re-evaluates.
          for (let round = 1; round <= 6; round++) {
            const now = round * 600;
            const roles = peers.map((p) => p.isLeader);
            for (const p of peers) {
              for (const [i, id] of ids.entries()) p.heard(id, roles[i]!, now);
            }
            for (const p of peers) p.tick(now + 10);
          }
          const leaders = peers.filter((p) => p.isLeader);
          return leaders.length === 1 && leaders[0] === peers[ids.indexOf([...ids].sort()[0]!)];
        },
      ),
    );
  });
});
