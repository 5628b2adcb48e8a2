import { assert, describe, it } from '@weft/test/harness';
import { blockPage } from '../src/explorer/block-pages.js';

describe('explorer: pages of blocks', () => {
  it('pages a long chain from the head to block 0 and back to the same pages', () => {
    // 25 blocks (0..24), pages of 10: 24..15, 14..5, 4..0.
    assert.deepEqual(blockPage(25), { top: 24, bottom: 15, hasNewer: false, older: 14, oldest: 9 });
    assert.deepEqual(blockPage(25, 14), {
      top: 14,
      bottom: 5,
      hasNewer: true,
      older: 4,
      oldest: 9,
    });
    assert.deepEqual(blockPage(25, 4), { top: 4, bottom: 0, hasNewer: true, newer: 14, oldest: 9 });
    // Newer from 14 is the head's page: no fixed top, so it follows new blocks.
    assert.isUndefined(blockPage(25, 14).newer);
  });

  it('clamps a page beyond the head, and handles chains shorter than a page', () => {
    assert.deepEqual(blockPage(25, 900), blockPage(25));
    assert.deepEqual(blockPage(3), { top: 2, bottom: 0, hasNewer: false, oldest: 2 });
    assert.deepEqual(blockPage(1), { top: 0, bottom: 0, hasNewer: false, oldest: 0 });
    assert.deepEqual(blockPage(10_000, 5_000, 10), {
      top: 5_000,
      bottom: 4_991,
      hasNewer: true,
      newer: 5_010,
      older: 4_990,
      oldest: 9,
    });
  });
});
