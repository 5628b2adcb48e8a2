import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import {
  type ConfigError,
  DEFAULT_GOSSIP,
  loadNodeConfig,
  parseNodeConfig,
  resolveNodeConfig,
  writeNodeConfig,
} from '../../src/config/index.js';

const dir = await mkdtemp(join(tmpdir(), 'weft-config-'));
after(() => rm(dir, { recursive: true, force: true }));

const PEER = '12D3KooWAHoEkEqnKzM5PXFygh2movVBCSX3k8tDsT2cneU68Gyt';
const HASH = 'AB'.repeat(32);

const FULL = `
name: peer0.org1
dataDir: ./data
identity: ../material/orgs/Org1/peer0
listen:
  tcp: /ip4/0.0.0.0/tcp/7051
  ws: /ip4/127.0.0.1/tcp/7052/ws
ops: { host: 0.0.0.0, port: 9444 }
log: { level: debug, pretty: false }
channels:
  - name: weft
    genesis: genesis/weft.block
    genesisHash: ${HASH}
    roles: [peer, gateway]
    orderers: [/dns4/orderer/tcp/7050/p2p/${PEER}]
  - name: other
    genesis: /abs/other.block
    roles: [orderer]
    natsServers: [nats://10.0.0.7:4222, tls://nats.example:4222]
bootstrap: [/ip4/10.0.0.2/tcp/7051/p2p/${PEER}]
gossip:
  leaderDeclareIntervalMs: 100
  electionTimeoutMs: 300
  staticLeader: true
  pullIntervalMs: 50
  stateTransferBatchSize: 20
`;

const MINIMAL = `
name: n1
dataDir: data
identity: id
listen: { tcp: /ip4/127.0.0.1/tcp/0 }
channels: []
`;

function fieldError(text: string, field: string, code = 'NODE_CONFIG_FIELD'): ConfigError {
  try {
    parseNodeConfig(text, { baseDir: '/etc/weft' });
  } catch (err) {
    const e = err as ConfigError;
    assert.equal(e.code, code, e.message);
    assert.equal(e.field, field, e.message);
    return e;
  }
  assert.fail(`expected ${code} at ${field}`);
}

function edit(text: string, find: string, replace: string): string {
  assert.include(text, find);
  return text.replace(find, replace);
}

describe('node config', () => {
  it('reads every field, resolving paths against the file and normalising the hash', () => {
    const c = parseNodeConfig(FULL, { baseDir: '/etc/weft' });
    assert.equal(c.name, 'peer0.org1');
    assert.equal(c.dataDir, '/etc/weft/data');
    assert.equal(c.identity, '/etc/material/orgs/Org1/peer0');
    assert.deepEqual(c.listen, { tcp: '/ip4/0.0.0.0/tcp/7051', ws: '/ip4/127.0.0.1/tcp/7052/ws' });
    assert.deepEqual(c.ops, { host: '0.0.0.0', port: 9444 });
    assert.deepEqual(c.log, { level: 'debug', pretty: false });
    assert.deepEqual(c.channels[0], {
      name: 'weft',
      genesis: '/etc/weft/genesis/weft.block',
      genesisHash: HASH.toLowerCase(),
      roles: ['peer', 'gateway'],
      orderers: [`/dns4/orderer/tcp/7050/p2p/${PEER}`],
      natsServers: null,
    });
    assert.deepEqual(c.channels[1], {
      name: 'other',
      genesis: '/abs/other.block',
      genesisHash: null,
      roles: ['orderer'],
      orderers: null,
      natsServers: ['nats://10.0.0.7:4222', 'tls://nats.example:4222'],
    });
    assert.deepEqual(c.gossip, {
      leaderDeclareIntervalMs: 100,
      electionTimeoutMs: 300,
      staticLeader: true,
      pullIntervalMs: 50,
      stateTransferBatchSize: 20,
    });
  });

  it('applies defaults: Fabric gossip timings, ops on loopback:9443, info logs, auto pretty', () => {
    const c = parseNodeConfig(MINIMAL, { baseDir: '/srv' });
    assert.deepEqual(c.gossip, { ...DEFAULT_GOSSIP });
    assert.equal(c.gossip.leaderDeclareIntervalMs, 5000);
    assert.equal(c.gossip.electionTimeoutMs, 10_000);
    assert.deepEqual(c.ops, { host: '127.0.0.1', port: 9443 });
    assert.deepEqual(c.log, { level: 'info', pretty: null });
    assert.deepEqual(c.listen, { tcp: '/ip4/127.0.0.1/tcp/0', ws: null });
    assert.deepEqual(c.bootstrap, []);
    assert.isNull(parseNodeConfig(`${MINIMAL}ops: null\n`, { baseDir: '/' }).ops);
  });

  it('rejects unknown keys at every level, naming them', () => {
    fieldError(`${MINIMAL}colour: blue\n`, 'colour');
    fieldError(edit(FULL, 'pretty: false', 'pretty: false, format: json'), 'log.format');
    fieldError(
      edit(FULL, 'roles: [orderer]', 'roles: [orderer]\n    role: peer'),
      'channels[1].role',
    );
    fieldError(edit(FULL, 'pullIntervalMs: 50', 'pullIntervalMS: 50'), 'gossip.pullIntervalMS');
    fieldError(edit(MINIMAL, 'listen: { tcp', 'listen: { udp'), 'listen.udp');
  });

  it('checks types, ranges and required fields', () => {
    fieldError(edit(MINIMAL, 'name: n1\n', ''), 'name');
    fieldError(edit(MINIMAL, 'name: n1', 'name: "bad name"'), 'name');
    fieldError(edit(FULL, 'port: 9444', 'port: 70000'), 'ops.port');
    fieldError(edit(FULL, 'port: 9444', 'port: "9444"'), 'ops.port');
    fieldError(edit(FULL, 'level: debug', 'level: verbose'), 'log.level');
    fieldError(edit(FULL, 'staticLeader: true', 'staticLeader: yes'), 'gossip.staticLeader');
    fieldError(
      edit(FULL, 'stateTransferBatchSize: 20', 'stateTransferBatchSize: 0'),
      'gossip.stateTransferBatchSize',
    );
    fieldError(
      edit(FULL, 'electionTimeoutMs: 300', 'electionTimeoutMs: 100'),
      'gossip.electionTimeoutMs',
    );
    fieldError(edit(MINIMAL, 'channels: []', 'channels: {}'), 'channels');
  });

  it('checks channels: names, roles, hashes, duplicates', () => {
    fieldError(edit(FULL, 'name: weft', 'name: Weft'), 'channels[0].name');
    fieldError(edit(FULL, 'roles: [peer, gateway]', 'roles: []'), 'channels[0].roles');
    fieldError(
      edit(FULL, 'nats://10.0.0.7:4222,', 'http://10.0.0.7:4222,'),
      'channels[1].natsServers[0]',
    );
    fieldError(edit(FULL, 'natsServers: [nats', 'natsServers: nats'), 'channels[1].natsServers');
    fieldError(
      edit(FULL, 'roles: [peer, gateway]', 'roles: [peer, endorser]'),
      'channels[0].roles[1]',
    );
    fieldError(edit(FULL, 'roles: [peer, gateway]', 'roles: [peer, peer]'), 'channels[0].roles[1]');
    fieldError(edit(FULL, `genesisHash: ${HASH}`, 'genesisHash: abc'), 'channels[0].genesisHash');
    fieldError(edit(FULL, 'name: other', 'name: weft'), 'channels[1]');
    fieldError(edit(FULL, '    genesis: /abs/other.block\n', ''), 'channels[1].genesis');
  });

  it('checks multiaddrs: transports, listen without /p2p, dial targets with /p2p', () => {
    fieldError(edit(MINIMAL, 'tcp: /ip4/127.0.0.1/tcp/0', 'tcp: 127.0.0.1:7051'), 'listen.tcp');
    fieldError(
      edit(MINIMAL, 'tcp: /ip4/127.0.0.1/tcp/0', 'tcp: /ip4/127.0.0.1/tcp/0/ws'),
      'listen.tcp',
    );
    fieldError(
      edit(FULL, 'ws: /ip4/127.0.0.1/tcp/7052/ws', 'ws: /ip4/127.0.0.1/tcp/7052'),
      'listen.ws',
    );
    fieldError(
      edit(FULL, 'tcp: /ip4/0.0.0.0/tcp/7051', `tcp: /ip4/0.0.0.0/tcp/7051/p2p/${PEER}`),
      'listen.tcp',
    );
    fieldError(edit(MINIMAL, 'tcp: /ip4/127.0.0.1/tcp/0', 'tcp: null'), 'listen');
    fieldError(
      edit(
        FULL,
        `bootstrap: [/ip4/10.0.0.2/tcp/7051/p2p/${PEER}]`,
        'bootstrap: [/ip4/10.0.0.2/tcp/7051]',
      ),
      'bootstrap[0]',
    );
    fieldError(edit(FULL, `tcp/7051/p2p/${PEER}]`, 'tcp/7051/p2p/QmNotAPeer]'), 'bootstrap[0]');
    fieldError(
      edit(
        FULL,
        `orderers: [/dns4/orderer/tcp/7050/p2p/${PEER}]`,
        'orderers: [/dns4/orderer/tcp/7050]',
      ),
      'channels[0].orderers[0]',
    );
  });

  it('reports YAML errors as NODE_CONFIG_YAML and unreadable files as NODE_CONFIG_IO', async () => {
    fieldError(`${MINIMAL}name: twice\n`, undefined as unknown as string, 'NODE_CONFIG_YAML');
    await rejectsWithCode(() => loadNodeConfig(join(dir, 'missing.yaml')), 'NODE_CONFIG_IO');
  });

  it('loadNodeConfig resolves paths against the file and names it in errors', async () => {
    const file = join(dir, 'node.yaml');
    await writeFile(file, MINIMAL);
    const c = await loadNodeConfig(file);
    assert.equal(c.dataDir, join(dir, 'data'));
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, `${MINIMAL}extra: 1\n`);
    const err = await loadNodeConfig(bad).catch((e: ConfigError) => e);
    assert.equal((err as ConfigError).file, bad);
    assert.equal((err as ConfigError).field, 'extra');
    assert.include((err as ConfigError).message, bad);
  });

  it('writeNodeConfig writes portable relative paths that load back to the same config', async () => {
    const base = join(dir, 'net', 'peer0');
    const config = resolveNodeConfig(
      {
        name: 'peer0',
        dataDir: join(base, 'data'),
        identity: join(dir, 'net', 'material', 'orgs', 'Org1', 'peer0'),
        listen: { tcp: '/ip4/127.0.0.1/tcp/7051' },
        channels: [
          {
            name: 'weft',
            genesis: join(dir, 'net', 'weft.block'),
            roles: ['peer'],
            genesisHash: HASH,
          },
        ],
        bootstrap: [`/ip4/127.0.0.1/tcp/7061/p2p/${PEER}`],
        gossip: { leaderDeclareIntervalMs: 200, electionTimeoutMs: 600 },
        ops: { port: 0 },
      },
      { baseDir: base },
    );
    const file = join(base, 'node.yaml');
    await writeNodeConfig({ file, config });
    const text = await readFile(file, 'utf8');
    assert.include(text, 'identity: ../material/orgs/Org1/peer0');
    assert.include(text, 'dataDir: data');
    assert.deepEqual(await loadNodeConfig(file), config);
    await rejectsWithCode(() => writeNodeConfig({ file, config }), 'NODE_CONFIG_EXISTS');
    await writeNodeConfig({ file, config: { ...config, name: 'peer9' }, force: true });
    assert.equal((await loadNodeConfig(file)).name, 'peer9');
  });
});
