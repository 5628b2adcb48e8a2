import { assert, describe, it, throwsWithCode } from '@weft/test/harness';
import fc from 'fast-check';
import { ReorderBuffer } from '../../src/pipeline/reorder-buffer.js';

function drain<T>(buffer: ReorderBuffer<T>): T[] {
  const out: T[] = [];
  for (let item = buffer.peek(); item !== undefined; item = buffer.peek()) {
    out.push(item);
    buffer.advance();
  }
  return out;
}

describe('reorder buffer', () => {
  it('releases items strictly in order, whatever order they arrive in', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...Array(40).keys()], { minLength: 40, maxLength: 40 }),
        (order) => {
          const buffer = new ReorderBuffer<number>({ next: 0, window: 64 });
          const released: number[] = [];
          for (const n of order) {
            assert.equal(buffer.offer(n, n), 'held');
            released.push(...drain(buffer));
          }
          assert.deepEqual(released, [...Array(40).keys()]);
          assert.equal(buffer.size, 0);
        },
      ),
    );
  });

  it('holds nothing back when a gap remains, and releases once it is filled', () => {
    const buffer = new ReorderBuffer<string>({ next: 5, window: 10 });
    buffer.offer(7, 'b7');
    buffer.offer(6, 'b6');
    assert.deepEqual(drain(buffer), []);
    buffer.offer(5, 'b5');
    assert.deepEqual(drain(buffer), ['b5', 'b6', 'b7']);
    assert.equal(buffer.next, 8);
  });

  it('ignores stale and duplicate items and refuses items beyond the window', () => {
    const buffer = new ReorderBuffer<string>({ next: 3, window: 4 });
    assert.equal(buffer.offer(2, 'old'), 'stale');
    assert.equal(buffer.offer(4, 'first'), 'held');
    assert.equal(buffer.offer(4, 'second'), 'duplicate');
    assert.equal(buffer.offer(7, 'far'), 'ahead');
    assert.equal(buffer.offer(6, 'edge'), 'held');
    buffer.offer(3, 'b3');
    buffer.offer(5, 'b5');
    assert.deepEqual(drain(buffer), ['b3', 'first', 'b5', 'edge']);
  });

  it('discardNext drops a bad copy so a good one can be offered', () => {
    const buffer = new ReorderBuffer<string>({ next: 0, window: 4 });
    buffer.offer(0, 'forged');
    buffer.discardNext();
    assert.equal(buffer.offer(0, 'good'), 'held');
    assert.deepEqual(drain(buffer), ['good']);
  });

  it('advance without a held item is an error, not a silent skip', () => {
    const buffer = new ReorderBuffer<string>({ next: 0, window: 4 });
    buffer.offer(1, 'b1');
    throwsWithCode(() => buffer.advance(), 'REORDER_NOTHING_HELD');
    assert.equal(buffer.next, 0);
  });

  it('rejects a bad start or window', () => {
    throwsWithCode(() => new ReorderBuffer({ next: -1, window: 4 }), 'REORDER_BAD_START');
    throwsWithCode(() => new ReorderBuffer({ next: 0, window: 0 }), 'REORDER_BAD_WINDOW');
  });
});
