import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, assert, describe, it } from '@weft/test/harness';
import { readGenesisFile } from '../../src/material/genesis.js';
import { type NetworkInfo, prepareDevNetwork } from '../../src/up/dev-network.js';

const dir = await mkdtemp(path.join(tmpdir(), 'weft-up-js-'));
after(() => rm(dir, { recursive: true, force: true }));

const layout = { dir, orgs: 2, peersPerOrg: 1, basePort: 41_050, channel: 'weft' };

describe('weft up --orderer jetstream: the dev network on disk', () => {
  it('makes three orderer nodes and a channel ordered on a three-server NATS log above the base port', async () => {
    const prepared = await prepareDevNetwork({ ...layout, ordering: 'jetstream' });
    assert.equal(prepared.ordering, 'jetstream');
    const nats = ['nats://127.0.0.1:44050', 'nats://127.0.0.1:44051', 'nats://127.0.0.1:44052'];
    assert.deepEqual(prepared.natsServers, nats);
    const orderers = prepared.nodes.filter((n) => n.roles.includes('orderer'));
    assert.deepEqual(
      orderers.map((n) => n.tcp),
      ['/ip4/127.0.0.1/tcp/41050', '/ip4/127.0.0.1/tcp/41051', '/ip4/127.0.0.1/tcp/41052'],
    );
    // Peers come after the orderers, so no port is used twice.
    const tcp = prepared.nodes.map((n) => n.tcp);
    assert.equal(new Set(tcp).size, tcp.length);
    const { channel } = await readGenesisFile(prepared.genesisFile);
    assert.equal(channel.orderers.size, 3);
    assert.deepEqual(channel.config.ordering.jetstream, {
      servers: nats,
      stream: 'weft-weft',
      replicas: 3,
    });
    const info = JSON.parse(await readFile(path.join(dir, 'network.json'), 'utf8')) as NetworkInfo;
    assert.deepEqual(info.nats, nats);
  });

  it('resumes as it was made, and refuses to turn it into a solo network', async () => {
    const again = await prepareDevNetwork(layout);
    assert.isFalse(again.fresh);
    assert.equal(again.ordering, 'jetstream');
    let refused: unknown;
    try {
      await prepareDevNetwork({ ...layout, ordering: 'solo' });
    } catch (err) {
      refused = err;
    }
    assert.match(String(refused), /ordered by jetstream, not solo/);
  });
});
