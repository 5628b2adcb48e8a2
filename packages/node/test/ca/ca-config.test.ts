// The optional `ca` section of a node config, and where `weft up` puts it
// (the first peer of each peer org, pointing at that org's material).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import {
  ConfigError,
  DEFAULT_CA,
  loadNodeConfig,
  parseNodeConfig,
  resolveNodeConfig,
  writeNodeConfig,
} from '../../src/config/index.js';
import { NETWORK_FILE, type NetworkInfo, prepareDevNetwork } from '../../src/up/dev-network.js';

const MINIMAL = `name: n1
dataDir: data
identity: ../material/orgs/Org1/peer0
listen: { tcp: /ip4/127.0.0.1/tcp/0 }
channels: []
`;

function fieldError(text: string, field: string): void {
  try {
    parseNodeConfig(text, { baseDir: '/srv/n1' });
  } catch (err) {
    assert.instanceOf(err, ConfigError);
    assert.equal((err as ConfigError).code, 'NODE_CONFIG_FIELD');
    assert.equal((err as ConfigError).field, field, (err as Error).message);
    return;
  }
  assert.fail(`expected an error at ${field}`);
}

describe('node config: ca', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('is absent unless given; given, defaults apply and the path resolves against the file', () => {
    assert.notProperty(parseNodeConfig(MINIMAL, { baseDir: '/srv/n1' }), 'ca');
    assert.notProperty(parseNodeConfig(`${MINIMAL}ca: null\n`, { baseDir: '/srv/n1' }), 'ca');
    const c = parseNodeConfig(`${MINIMAL}ca: { orgDir: ../material/orgs/Org1 }\n`, {
      baseDir: '/srv/n1',
    });
    assert.deepEqual(c.ca, { orgDir: '/srv/material/orgs/Org1', ...DEFAULT_CA });
    const full = parseNodeConfig(
      `${MINIMAL}ca:\n  orgDir: /m/Org1\n  secretTtlMs: 60000\n  maxSecretTtlMs: 120000\n  certValidityMs: 600000\n  requestsPerMinute: 10\n  requestsPerPeerPerMinute: 2\n`,
      { baseDir: '/' },
    );
    assert.deepEqual(full.ca, {
      orgDir: '/m/Org1',
      secretTtlMs: 60_000,
      maxSecretTtlMs: 120_000,
      certValidityMs: 600_000,
      requestsPerMinute: 10,
      requestsPerPeerPerMinute: 2,
    });
  });

  it('is strict: unknown keys, missing orgDir, ranges, a default lifetime over the maximum', () => {
    fieldError(`${MINIMAL}ca: { orgDir: x, rootKey: y }\n`, 'ca.rootKey');
    fieldError(`${MINIMAL}ca: { secretTtlMs: 1000 }\n`, 'ca.orgDir');
    fieldError(`${MINIMAL}ca: { orgDir: x, secretTtlMs: 10 }\n`, 'ca.secretTtlMs');
    fieldError(`${MINIMAL}ca: { orgDir: x, certValidityMs: -1 }\n`, 'ca.certValidityMs');
    fieldError(`${MINIMAL}ca: { orgDir: x, requestsPerMinute: 0 }\n`, 'ca.requestsPerMinute');
    fieldError(
      `${MINIMAL}ca: { orgDir: x, secretTtlMs: 7200000, maxSecretTtlMs: 3600000 }\n`,
      'ca.secretTtlMs',
    );
    fieldError(`${MINIMAL}ca: Org1\n`, 'ca');
  });

  it('writes a portable orgDir and loads back the same config', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-ca-config-'));
    dirs.push(dir);
    const base = path.join(dir, 'nodes');
    const config = resolveNodeConfig(
      {
        name: 'peer0',
        dataDir: path.join(dir, 'data'),
        identity: path.join(dir, 'material', 'orgs', 'Org1', 'peer0'),
        listen: { tcp: '/ip4/127.0.0.1/tcp/0' },
        channels: [],
        ca: { orgDir: path.join(dir, 'material', 'orgs', 'Org1'), certValidityMs: 86_400_000 },
      },
      { baseDir: base },
    );
    const file = path.join(base, 'peer0.yaml');
    await writeNodeConfig({ file, config });
    assert.include(await readFile(file, 'utf8'), 'orgDir: ../material/orgs/Org1');
    assert.deepEqual(await loadNodeConfig(file), config);
  });

  it('weft up gives the first peer of each peer org its CA and records it in network.json', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-ca-up-'));
    dirs.push(dir);
    const layout = { dir, orgs: 2, peersPerOrg: 2, basePort: 31_000, channel: 'weft' };
    const prepared = await prepareDevNetwork(layout);
    const withCa = prepared.nodes.filter((n) => n.caOrg !== undefined);
    assert.deepEqual(
      withCa.map((n) => [n.name, n.caOrg]),
      [
        ['org1-peer0', 'Org1'],
        ['org2-peer0', 'Org2'],
      ],
    );
    for (const n of prepared.nodes) {
      const written = await loadNodeConfig(n.configFile);
      if (n.caOrg)
        assert.equal(written.ca?.orgDir, path.join(prepared.materialDir, 'orgs', n.caOrg));
      else assert.notProperty(written, 'ca');
    }
    const info = JSON.parse(await readFile(path.join(dir, NETWORK_FILE), 'utf8')) as NetworkInfo;
    assert.deepEqual(info.cas, { Org1: withCa[0]!.ws, Org2: withCa[1]!.ws });
    // Resumed: the same.
    const again = await prepareDevNetwork(layout);
    assert.isFalse(again.fresh);
    assert.deepEqual(
      again.nodes.map((n) => n.caOrg),
      prepared.nodes.map((n) => n.caOrg),
    );
    await rejectsWithCode(
      () => loadNodeConfig(path.join(dir, 'nodes', 'none.yaml')),
      'NODE_CONFIG_IO',
    );
  });
});
