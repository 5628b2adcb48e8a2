import { assert, describe, it } from '@weft/test/harness';
import { NodeSet } from '../../src/transport/node-set.js';

const set = (...ids: string[]) => new NodeSet(ids.map((id) => ({ id, target: id })));

describe('NodeSet: which full node to ask first', () => {
  it('keeps the given order, puts failures behind and the last success in front', () => {
    const s = set('a', 'b', 'c');
    assert.deepEqual(s.ids(), ['a', 'b', 'c']);
    s.failed('a');
    assert.deepEqual(s.ids(), ['b', 'c', 'a']);
    s.succeeded('c');
    assert.deepEqual(s.ids(), ['c', 'b', 'a']);
  });

  it('asks a blamed node only after every node that is not, and never drops it', () => {
    const s = set('a', 'b');
    s.blame('a');
    assert.isTrue(s.isBlamed('a'));
    assert.deepEqual(s.ids(), ['b', 'a']);
    // Even a success does not lift a blamed node above an unblamed one.
    s.succeeded('a');
    assert.deepEqual(s.ids(), ['b', 'a']);
    s.blame('b');
    assert.deepEqual(s.ids(), ['a', 'b'], 'all blamed: all still asked');
  });

  it('needs at least one node, each listed once', () => {
    assert.throws(() => set(), RangeError);
    assert.throws(() => set('a', 'a'), RangeError);
  });
});
