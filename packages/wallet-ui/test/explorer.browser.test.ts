// The explorer's block list in Chromium: any block of a long chain is
// reachable from the list by its paging links (which live in the URL) or by
// jumping to a number, and only the blocks of the page shown are loaded.
import type { AttestedCodes } from '@weft/light';
import { assert, describe, it } from '@weft/test/harness';
import { h } from 'preact';
import { useRoute } from '../src/app/route.js';
import { BlockList } from '../src/explorer/BlockList.js';
import type { ExplorerBlock } from '../src/explorer/block-data.js';
import { field, mount, settle, text, type as typeInto, waitFor } from './support/dom.js';

const HEIGHT = 95;

function fakeBlock(n: number): ExplorerBlock {
  return {
    number: n,
    hash: n.toString(16).padStart(64, '0'),
    previousHash: '00'.repeat(32),
    dataHash: '00'.repeat(32),
    time: Date.UTC(2030, 0, 1) + n * 1000,
    lastConfig: 0,
    signers: [{ org: 'OrdererOrg', key: 'aa'.repeat(32) }],
    txs: [],
    attestation: { status: 'attested' } as AttestedCodes,
    codesVerified: true,
    node: 'node',
  };
}

describe('explorer: the block list pages through the chain', () => {
  it('goes older, oldest, newer and to a typed block number, loading only the page shown', async () => {
    location.hash = '#/explorer';
    const loaded: number[] = [];
    const load = async (n: number) => {
      loaded.push(n);
      return fakeBlock(n);
    };
    function Routed() {
      const route = useRoute();
      return h(BlockList, {
        height: HEIGHT,
        top: route.page === 'explorer' ? route.top : undefined,
        load,
      });
    }
    const m = mount(h(Routed, {}));
    const shownBlocks = () =>
      [...m.root.querySelectorAll('[data-testid="latest-blocks"] tbody tr td:first-child')].map(
        (td) => text(td),
      );
    const page = async (first: string, range: string) => {
      await waitFor(`page from ${first}`, () => shownBlocks()[0] === first);
      assert.equal(text(m.root.querySelector('[data-testid="block-range"]')), range);
    };
    const follow = async (name: string) => {
      const link = [
        ...m.root.querySelectorAll<HTMLAnchorElement>('[data-testid="block-pager"] a'),
      ].find((a) => text(a) === name);
      assert.exists(link, `a link "${name}"`);
      link!.click();
      await settle();
    };
    const disabled = () =>
      [...m.root.querySelectorAll('[data-testid="block-pager"] [aria-disabled="true"]')].map((e) =>
        text(e),
      );

    await page('#94', 'Blocks #94 to #85 of 95');
    assert.deepEqual(shownBlocks(), [
      '#94',
      '#93',
      '#92',
      '#91',
      '#90',
      '#89',
      '#88',
      '#87',
      '#86',
      '#85',
    ]);
    assert.deepEqual(disabled(), ['Newest', 'Newer']);
    assert.sameMembers(loaded, [94, 93, 92, 91, 90, 89, 88, 87, 86, 85]);

    await follow('Older');
    assert.equal(location.hash, '#/explorer/84');
    await page('#84', 'Blocks #84 to #75 of 95');
    await follow('Oldest');
    await page('#9', 'Blocks #9 to #0 of 95');
    assert.equal(shownBlocks().at(-1), '#0', 'block 0 is reachable from the list');
    assert.deepEqual(disabled(), ['Older', 'Oldest']);
    await follow('Newer');
    await page('#19', 'Blocks #19 to #10 of 95');

    // A jump to any number lists the page that starts there.
    await typeInto(field(m.root, 'List from block'), '42');
    m.root.querySelector<HTMLFormElement>('[data-testid="block-pager"] form')!.requestSubmit();
    await page('#42', 'Blocks #42 to #33 of 95');
    assert.equal(location.hash, '#/explorer/42');
    await follow('Newest');
    await page('#94', 'Blocks #94 to #85 of 95');
    assert.equal(location.hash, '#/explorer');
    assert.notInclude(loaded, 50, 'pages not shown are never loaded');
    m.unmount();
    location.hash = '';
  });
});
