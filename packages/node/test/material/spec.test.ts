import { assert, describe, it } from '@weft/test/harness';
import {
  defaultNetworkSpec,
  formatNetworkSpec,
  type MaterialError,
  parseNetworkSpec,
  validateNetworkSpec,
} from '../../src/material/index.js';

const NOW = Date.UTC(2026, 0, 1);

const GOOD = `
version: 1
validity:
  notBefore: 2026-01-01T00:00:00Z
  days: 30
orgs:
  - { name: Org1, kind: peer, peers: 2, clients: 1 }
  - { name: Org2, kind: peer }
  - { name: Org3, kind: peer }
  - { name: OrdererOrg, kind: orderer, addresses: [/dns4/orderer.example/tcp/7050] }
  - { name: CentralBank, kind: bank, centralBanks: 3 }
channels:
  - name: weft
    ordering: { maxTxCount: 100 }
    fabcoin: { mintThreshold: 2 }
  - name: side.chan
    orgs: [Org1, OrdererOrg, CentralBank]
    policies: { endorsement: "OR('Org1.peer','Org1.admin')" }
`;

/** Parses `text` expecting a MATERIAL_SPEC error for `field`. */
function specError(text: string, field: string, code = 'MATERIAL_SPEC'): MaterialError {
  try {
    parseNetworkSpec(text, { now: NOW });
  } catch (err) {
    const e = err as MaterialError;
    assert.equal(e.code, code, e.message);
    assert.equal(e.field, field, e.message);
    assert.include(e.message, field);
    return e;
  }
  assert.fail(`expected ${code} at ${field}`);
}

/** GOOD with one line replaced. */
function edit(find: string, replace: string): string {
  assert.include(GOOD, find);
  return GOOD.replace(find, replace);
}

describe('material: network spec', () => {
  it('resolves defaults: counts by kind, validity, batch, majority policies, banks', () => {
    const spec = parseNetworkSpec(GOOD, { now: NOW });
    assert.deepEqual(spec.validity, { notBefore: NOW, notAfter: NOW + 30 * 86_400_000 });
    const [org1, org2, , orderer, bank] = spec.orgs;
    assert.deepInclude(org1, { peers: 2, clients: 1, admins: 1, orderers: 0, centralBanks: 0 });
    assert.deepInclude(org2, { peers: 1, clients: 0, admins: 1 });
    assert.deepInclude(orderer, { orderers: 1, addresses: ['/dns4/orderer.example/tcp/7050'] });
    assert.equal(bank!.centralBanks, 3);
    const [weft, side] = spec.channels;
    assert.deepEqual(weft!.orgs, ['Org1', 'Org2', 'Org3', 'OrdererOrg', 'CentralBank']);
    assert.deepEqual(weft!.ordering, {
      type: 'solo',
      maxTxCount: 100,
      maxBytes: 8 * 1024 * 1024,
      batchTimeoutMs: 2000,
    });
    assert.deepEqual(weft!.policies, {
      endorsement: "OutOf(2,'Org1.peer','Org2.peer','Org3.peer')",
      blockSignatures: "'OrdererOrg.orderer'",
      attestation: "OutOf(2,'Org1.peer','Org2.peer','Org3.peer')",
    });
    assert.deepEqual(weft!.fabcoin, { centralBanks: ['CentralBank'], mintThreshold: 2 });
    assert.equal(side!.policies.endorsement, "OR('Org1.peer','Org1.admin')");
    assert.equal(side!.policies.attestation, "'Org1.peer'");
  });

  it('defaults validity to five minutes before now for 365 days, and orderer ports from 7050', () => {
    const spec = parseNetworkSpec(
      'orgs: [{name: A, kind: peer}, {name: O, kind: orderer}, {name: B, kind: bank}]\nchannels: [{name: c}]',
      { now: NOW },
    );
    assert.equal(spec.validity.notBefore, NOW - 5 * 60_000);
    assert.equal(spec.validity.notAfter, NOW - 5 * 60_000 + 365 * 86_400_000);
    assert.deepEqual(spec.orgs[1]!.addresses, ['/ip4/127.0.0.1/tcp/7050']);
  });

  it('rejects unknown, missing and mistyped fields, naming them', () => {
    specError(edit('version: 1', 'version: 1\nextra: true'), 'extra');
    specError(edit('version: 1', 'version: 2'), 'version');
    specError('orgs: []\nchannels: []', 'orgs');
    specError(edit('peers: 2,', 'peers: two,'), 'orgs[0].peers');
    specError(edit('peers: 2,', 'peers: 0,'), 'orgs[0].peers');
    specError(edit('kind: peer, peers: 2', 'kind: notary, peers: 2'), 'orgs[0].kind');
    specError(
      edit('{ name: Org2, kind: peer }', '{ name: Org2, kind: peer, orderers: 1 }'),
      'orgs[1].orderers',
    );
    specError(edit('{ name: Org2, kind: peer }', '{ name: 2Org, kind: peer }'), 'orgs[1].name');
    specError(edit('{ name: Org2, kind: peer }', '{ name: org1, kind: peer }'), 'orgs[1]');
    specError(edit('name: weft', 'name: Weft'), 'channels[0].name');
    specError(edit('name: weft', 'name: side.chan'), 'channels[1]');
    specError(edit('maxTxCount: 100', 'maxTxCount: 0'), 'channels[0].ordering.maxTxCount');
    specError(edit('maxTxCount: 100', 'type: kafka'), 'channels[0].ordering.type');
    specError(edit('days: 30', 'days: 30\n  notAfter: 2027-01-01'), 'validity.days');
    specError(
      edit('notBefore: 2026-01-01T00:00:00Z', 'notBefore: yesterday'),
      'validity.notBefore',
    );
  });

  it('rejects inconsistent channels: unknown orgs, no orderer, solo with two orderers, bad banks', () => {
    specError(
      edit('orgs: [Org1, OrdererOrg', 'orgs: [Org1, Org9, OrdererOrg'),
      'channels[1].orgs[1]',
    );
    specError(
      edit('orgs: [Org1, OrdererOrg, CentralBank]', 'orgs: [Org1, CentralBank]'),
      'channels[1].orgs',
    );
    specError(
      edit('orgs: [Org1, OrdererOrg, CentralBank]', 'orgs: [OrdererOrg, CentralBank]'),
      'channels[1].orgs',
    );
    specError(
      edit(
        'kind: orderer, addresses: [/dns4/orderer.example/tcp/7050]',
        'kind: orderer, orderers: 2',
      ),
      'channels[0].ordering.type',
    );
    specError(
      edit('orgs: [Org1, OrdererOrg, CentralBank]', 'orgs: [Org1, OrdererOrg]'),
      'channels[1].fabcoin.centralBanks',
    );
    specError(edit('mintThreshold: 2', 'mintThreshold: 4'), 'channels[0].fabcoin.mintThreshold');
    specError(
      edit('mintThreshold: 2', 'centralBanks: [Org1]'),
      'channels[0].fabcoin.centralBanks[0]',
    );
  });

  it('rejects orderer addresses that are malformed, carry a peer id or repeat', () => {
    const field = 'orgs[3].addresses[0]';
    specError(edit('/dns4/orderer.example/tcp/7050', 'tcp://orderer:7050'), field);
    specError(edit('/dns4/orderer.example/tcp/7050', '/dns4/o/tcp/7050/ws'), field);
    specError(
      edit(
        '/dns4/orderer.example/tcp/7050',
        '/ip4/1.2.3.4/tcp/7050/p2p/12D3KooWAHoEkEqnKzM5PXFygh2movVBCSX3k8tDsT2cneU68Gyt',
      ),
      field,
    );
    specError(
      edit('addresses: [/dns4/orderer.example/tcp/7050]', 'addresses: []'),
      'orgs[3].addresses',
    );
  });

  it('checks policies early: syntax, foreign orgs, and members that could never sign', () => {
    const pol = (p: string) =>
      edit("endorsement: \"OR('Org1.peer','Org1.admin')\"", `endorsement: "${p}"`);
    const field = 'channels[1].policies.endorsement';
    assert.include(specError(pol("AND('Org1.peer'"), field).message, 'AND');
    assert.include(specError(pol("'Org2.peer'"), field).message, 'not an org of this channel');
    specError(pol("'Org1.orderer'"), field);
    specError(pol("AND('Org1.peer','Org1.peer','Org1.peer')"), field);
  });

  it('reports YAML syntax and duplicate keys as MATERIAL_SPEC_YAML', () => {
    for (const text of ['orgs: [', 'orgs: []\norgs: []']) {
      try {
        parseNetworkSpec(text);
        assert.fail('expected an error');
      } catch (err) {
        assert.equal((err as MaterialError).code, 'MATERIAL_SPEC_YAML');
      }
    }
  });

  it('formats a resolved spec as YAML that parses back to the same spec', () => {
    const spec = parseNetworkSpec(GOOD, { now: NOW });
    assert.deepEqual(parseNetworkSpec(formatNetworkSpec(spec)), spec);
  });

  it('the default dev spec: 2 peer orgs x 2 peers, solo orderer, one cb, a client per peer org', () => {
    const spec = defaultNetworkSpec({ now: NOW });
    assert.deepEqual(
      spec.orgs.map((o) => [o.name, o.kind, o.peers, o.orderers, o.centralBanks, o.clients]),
      [
        ['Org1', 'peer', 2, 0, 0, 1],
        ['Org2', 'peer', 2, 0, 0, 1],
        ['OrdererOrg', 'orderer', 0, 1, 0, 0],
        ['CentralBank', 'bank', 0, 0, 1, 0],
      ],
    );
    const [weft] = spec.channels;
    assert.equal(weft!.name, 'weft');
    assert.equal(weft!.ordering.type, 'solo');
    assert.equal(weft!.policies.endorsement, "OutOf(2,'Org1.peer','Org2.peer')");
    const bigger = defaultNetworkSpec({ peerOrgs: 3, peersPerOrg: 1, channel: 'dev', now: NOW });
    assert.deepEqual(
      bigger.orgs.map((o) => o.name),
      ['Org1', 'Org2', 'Org3', 'OrdererOrg', 'CentralBank'],
    );
    assert.equal(bigger.channels[0]!.name, 'dev');
    assert.throws(() => defaultNetworkSpec({ peersPerOrg: 0 }), /orgs\[0\]\.peers/);
    assert.throws(() => validateNetworkSpec({ orgs: [], channels: [] }), /needs at least 1/);
  });
});

describe('material: a spec ordered by jetstream', () => {
  const JETSTREAM = `
orgs:
  - { name: Org1, kind: peer }
  - { name: OrdererOrg, kind: orderer, orderers: 3 }
  - { name: CentralBank, kind: bank }
channels:
  - name: my.chan
    ordering:
      type: jetstream
      jetstream: { servers: [nats://10.0.0.7:4222, nats://10.0.0.8:4222, nats://10.0.0.9:4222] }
`;
  const js = (find: string, replace: string) => {
    assert.include(JETSTREAM, find);
    return JETSTREAM.replace(find, replace);
  };
  const fails = (text: string, field: string) => {
    try {
      parseNetworkSpec(text, { now: NOW });
    } catch (err) {
      assert.equal((err as MaterialError).field, field, (err as Error).message);
      return;
    }
    assert.fail(`expected an error at ${field}`);
  };

  it('takes several orderers and names the log, with the stream and replicas defaulted', () => {
    const spec = parseNetworkSpec(JETSTREAM, { now: NOW });
    assert.deepEqual(spec.orgs[1]!.addresses, [
      '/ip4/127.0.0.1/tcp/7050',
      '/ip4/127.0.0.1/tcp/7051',
      '/ip4/127.0.0.1/tcp/7052',
    ]);
    assert.deepEqual(spec.channels[0]!.ordering.jetstream, {
      servers: ['nats://10.0.0.7:4222', 'nats://10.0.0.8:4222', 'nats://10.0.0.9:4222'],
      stream: 'weft-my_chan',
      replicas: 3,
    });
    // Any one orderer signs a block, as in Fabric; a spec may ask for more.
    assert.equal(spec.channels[0]!.policies.blockSignatures, "'OrdererOrg.orderer'");
    const defaults = defaultNetworkSpec({
      ordering: 'jetstream',
      natsServers: ['nats://127.0.0.1:4222'],
      now: NOW,
    });
    assert.equal(defaults.orgs.find((o) => o.kind === 'orderer')!.orderers, 3);
    assert.equal(defaults.channels[0]!.ordering.jetstream!.stream, 'weft-weft');
  });

  it('refuses a jetstream channel without servers, bad servers, streams or replicas, and solo with a log', () => {
    const jf = 'channels[0].ordering.jetstream';
    fails(js('nats://10.0.0.7:4222,', 'http://10.0.0.7:4222,'), `${jf}.servers[0]`);
    fails(js('nats://10.0.0.8:4222,', 'nats://10.0.0.7:4222,'), `${jf}.servers[1]`);
    fails(js('nats://10.0.0.9:4222] }', 'nats://10.0.0.9:4222], stream: a.b }'), `${jf}.stream`);
    fails(js('nats://10.0.0.9:4222] }', 'nats://10.0.0.9:4222], replicas: 6 }'), `${jf}.replicas`);
    const noLog = js(
      '      jetstream: { servers: [nats://10.0.0.7:4222, nats://10.0.0.8:4222, nats://10.0.0.9:4222] }\n',
      '',
    );
    fails(noLog, jf);
    // Solo takes one orderer and no log.
    fails(noLog.replace('type: jetstream', 'type: solo'), 'channels[0].ordering.type');
    fails(
      js(
        '{ name: OrdererOrg, kind: orderer, orderers: 3 }',
        '{ name: OrdererOrg, kind: orderer }',
      ).replace('type: jetstream', 'type: solo'),
      jf,
    );
  });
});
