import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WeftError } from '@weft/core';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { startUiServer, type UiServer } from '../../src/up/ui-server.js';

const network = {
  name: 'dev',
  channel: 'weft',
  genesisHash: 'ab'.repeat(32),
  nodes: ['/ip4/127.0.0.1/tcp/7151/ws/p2p/12D3KooWMuRhbpzSE7tKWv5iPmrwX9aAxoZ1bndseg75cq9YKgN4'],
  cas: {},
  faucet: '/faucet',
};

describe("weft up's wallet UI server", () => {
  let dir: string;
  let server: UiServer;
  const minted: unknown[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'weft-ui-server-'));
    await mkdir(path.join(dir, 'app', 'assets'), { recursive: true });
    await writeFile(path.join(dir, 'app', 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(path.join(dir, 'app', 'assets', 'main-1a2b.js'), 'export {};');
    await writeFile(path.join(dir, 'secret.txt'), 'outside the app');
    server = await startUiServer({
      dir: path.join(dir, 'app'),
      port: 0,
      network,
      faucet: async (body) => {
        if ((body as { owner?: string }).owner !== 'ok')
          throw new WeftError('FAUCET_BAD_OWNER', 'owner must be a 64-hex owner key');
        minted.push(body);
        return { txid: 'cd'.repeat(32), block: 3 };
      },
    });
  });

  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (p: string, init?: RequestInit) => fetch(new URL(p, server.url), init);

  it('serves the app, its hashed assets for long, and index.html fresh', async () => {
    const index = await get('/');
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const asset = await get('/assets/main-1a2b.js');
    assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.include(asset.headers.get('cache-control')!, 'immutable');
    assert.equal((await get('/missing.js')).status, 404);
  });

  it('tells the app its network', async () => {
    const res = await get('/network.json');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), network);
  });

  it('never serves a file outside the app folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await get(p);
      assert.equal(res.status, 404, p);
      assert.notInclude(await res.text(), 'outside the app', p);
    }
  });

  it('mints through the faucet on POST only, and answers refusals with their code', async () => {
    const ok = await get('/faucet', { method: 'POST', body: JSON.stringify({ owner: 'ok' }) });
    assert.deepEqual(await ok.json(), { txid: 'cd'.repeat(32), block: 3 });
    const refused = await get('/faucet', { method: 'POST', body: JSON.stringify({ owner: 'x' }) });
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), {
      code: 'FAUCET_BAD_OWNER',
      message: 'owner must be a 64-hex owner key',
    });
    assert.equal((await get('/faucet')).status, 405);
    const garbage = await get('/faucet', { method: 'POST', body: '{' });
    assert.equal(garbage.status, 400);
    assert.deepEqual(minted, [{ owner: 'ok' }]);
  });
});
