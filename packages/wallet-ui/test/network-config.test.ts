import { assert, describe, it } from '@weft/test/harness';
import {
  checkNetworkConfig,
  isNodeAddress,
  networkFromQuery,
  networkLink,
  parseNetworkInput,
} from '../src/network/network-config.js';

const GENESIS = 'ab'.repeat(32);
const NODE_A =
  '/ip4/127.0.0.1/tcp/7151/ws/p2p/12D3KooWMuRhbpzSE7tKWv5iPmrwX9aAxoZ1bndseg75cq9YKgN4';
const NODE_B =
  '/dns4/peer.example.org/tcp/443/wss/p2p/12D3KooWCmSMYGLVFWSPwvJgCVTa9oL4nCnMTbp68biKpoBCBih7';
const valid = {
  channel: 'weft',
  genesisHash: GENESIS,
  nodes: [NODE_A, NODE_B],
  cas: { Org1: NODE_A },
};

function error(value: unknown): string {
  const checked = checkNetworkConfig(value);
  assert.isFalse(checked.ok, JSON.stringify(value));
  return checked.ok ? '' : checked.error;
}

describe('network descriptions: genesis hash, channel and WebSocket full nodes', () => {
  it('accepts a well-formed network and normalises it', () => {
    const checked = checkNetworkConfig({
      ...valid,
      genesisHash: GENESIS.toUpperCase(),
      faucet: '/faucet',
    });
    assert.isTrue(checked.ok);
    if (!checked.ok) return;
    assert.equal(checked.value.genesisHash, GENESIS);
    assert.equal(checked.value.name, 'weft', 'the channel names an unnamed network');
    assert.deepEqual(checked.value.cas, { Org1: NODE_A });
    assert.equal(checked.value.faucet, '/faucet');
  });

  it('refuses what a browser could not use, each with a reason a person can act on', () => {
    assert.match(error({ ...valid, genesisHash: 'abc' }), /64 hexadecimal/);
    assert.match(error({ ...valid, channel: 'Bad Channel' }), /channel/);
    assert.match(error({ ...valid, nodes: [] }), /at least one/);
    assert.match(error({ ...valid, nodes: ['/ip4/127.0.0.1/tcp/7051'] }), /WebSocket multiaddr/);
    assert.match(error({ ...valid, cas: { Org1: 'http://x' } }), /CA address of Org1/);
    assert.match(error('not an object'), /Not a network/);
    // A faucet elsewhere than on the serving origin is ignored, not followed.
    const off = checkNetworkConfig({ ...valid, faucet: 'https://evil.example/faucet' });
    assert.isTrue(off.ok && off.value.faucet === undefined);
  });

  it('tells dialable addresses apart', () => {
    assert.isTrue(isNodeAddress(NODE_A));
    assert.isTrue(isNodeAddress(NODE_B));
    assert.isFalse(isNodeAddress(`${NODE_A}/extra`));
    assert.isFalse(isNodeAddress('/ip4/127.0.0.1/tcp/7151/ws'));
  });

  it('round-trips through a shareable link, without the server-only faucet', () => {
    const config = checkNetworkConfig({ ...valid, name: 'Dev net', faucet: '/faucet' });
    assert.isTrue(config.ok);
    if (!config.ok) return;
    const link = networkLink(config.value, 'http://127.0.0.1:8050/#/wallet');
    assert.notInclude(link, '#');
    const back = parseNetworkInput(link);
    assert.isTrue(back.ok);
    if (!back.ok) return;
    const { faucet: _f, ...shared } = config.value;
    assert.deepEqual(back.value, shared);
    assert.deepEqual(networkFromQuery(new URL(link).search), back);
  });

  it('reads pasted JSON and says what is wrong with anything else', () => {
    const pasted = parseNetworkInput(JSON.stringify(valid));
    assert.isTrue(pasted.ok);
    assert.deepEqual(parseNetworkInput('{nope'), { ok: false, error: 'That is not valid JSON.' });
    assert.isFalse(parseNetworkInput('hello').ok);
    assert.match((parseNetworkInput('http://x/?a=1') as { error: string }).error, /no network/);
    assert.isUndefined(networkFromQuery('?channel=weft'), 'no genesis: not a network link');
  });
});
