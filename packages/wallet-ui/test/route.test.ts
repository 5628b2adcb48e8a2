import { assert, describe, it } from '@weft/test/harness';
import { parseRoute, type Route, routeHref } from '../src/app/route.js';

describe('pages live in the hash', () => {
  it('parses every page and prints it back', () => {
    const routes: Route[] = [
      { page: 'wallet', view: 'home' },
      { page: 'wallet', view: 'send' },
      { page: 'explorer' },
      { page: 'explorer', top: 0 },
      { page: 'explorer', top: 9_999 },
      { page: 'block', number: 42 },
      { page: 'tx', txid: 'ab'.repeat(32) },
      { page: 'search', query: 'ab cd/ef' },
      { page: 'audit' },
      { page: 'network' },
    ];
    for (const r of routes) assert.deepEqual(parseRoute(routeHref(r)), r);
    assert.deepEqual(parseRoute(''), { page: 'wallet', view: 'home' });
    assert.deepEqual(parseRoute(`#/tx/${'AB'.repeat(32)}`), { page: 'tx', txid: 'ab'.repeat(32) });
  });

  it('sends anything else to not-found rather than guessing', () => {
    for (const bad of [
      '#/block/x',
      '#/block/-1',
      '#/explorer/1e3',
      '#/tx/abc',
      '#/wallet/nope',
      '#/elsewhere',
    ]) {
      assert.equal(parseRoute(bad).page, 'notfound', bad);
    }
  });
});
