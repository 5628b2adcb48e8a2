// Connecting in Chromium: a network whose only full node is unreachable is
// shown as such, in words, and the header says so too.
import { assert, describe, it } from '@weft/test/harness';
import { h } from 'preact';
import { ServicesContext } from '../src/app/services.js';
import { AuditService } from '../src/auditor/audit-service.js';
import { ConnectionPill } from '../src/network/ConnectionPill.js';
import { ConnectionManager } from '../src/network/connection.js';
import { NetworkPage } from '../src/network/NetworkPage.js';
import { WalletService } from '../src/wallet/wallet-service.js';
import { mount, text, waitFor } from './support/dom.js';

// A valid PeerId on a port nothing listens on.
const NODE = '/ip4/127.0.0.1/tcp/9/ws/p2p/12D3KooWMuRhbpzSE7tKWv5iPmrwX9aAxoZ1bndseg75cq9YKgN4';

describe('connection status', () => {
  it('shows an unreachable network as offline, with what to check', async () => {
    const connection = new ConnectionManager();
    const wallet = new WalletService({
      connection,
      openStore: () => Promise.reject(new Error('unused')),
    });
    const services = { connection, wallet, audit: new AuditService() };
    const m = mount(
      h(ServicesContext.Provider, { value: services }, [h(ConnectionPill, {}), h(NetworkPage, {})]),
    );
    await connection.connect(
      { name: 'Nowhere', channel: 'weft', genesisHash: 'ab'.repeat(32), nodes: [NODE], cas: {} },
      'link',
    );
    const client = connection.client!;
    await waitFor('offline', () => client.state.value.phase === 'offline', 60_000);
    assert.equal(client.state.value.error?.code, 'LIGHT_NO_NODES');
    const alert = await waitFor('alert', () => m.root.querySelector('[role="alert"]'));
    assert.include(text(alert), 'Syncing failed. No full node could be reached.');
    const pill = m.root.querySelector('[data-testid="connection"]')!;
    assert.include(pill.className, 'pill-bad');
    assert.include(text(pill), '0/1 nodes · no verified blocks yet');
    assert.include(text(m.root), 'Not connected');
    m.unmount();
    await client.close();
  });
});
