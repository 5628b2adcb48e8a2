import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { buildBlock, buildMint, createDevNetwork, issueDevMember } from '../../src/dev/index.js';
import {
  type ChannelConfig,
  channelConfigToCbor,
  createGenesisBlock,
  decodeEnvelope,
  encodeEnvelope,
  loadChannel,
  openGenesis,
  readChannelConfig,
  verifyBlock,
  verifyHeader,
} from '../../src/index.js';

const SEED = 'jetstream-config-test';
const net = await createDevNetwork({ seed: SEED });
const ordererOrg = net.orgs.find((o) => o.name === 'OrdererOrg')!;
const more = await Promise.all(
  ['orderer1', 'orderer2'].map((name) =>
    issueDevMember({
      org: ordererOrg,
      role: 'orderer',
      name,
      seed: SEED,
      notBefore: net.time - 1000,
      notAfter: net.time + 1e9,
    }),
  ),
);
const orderers = [net.orderer, ...more];
const ANY3 = "'OrdererOrg.orderer','OrdererOrg.orderer','OrdererOrg.orderer'";

/** The dev channel ordered by three orderers over JetStream. */
function jetstreamConfig(edit: (c: ChannelConfig) => void = () => {}): ChannelConfig {
  const c = structuredClone(net.config);
  c.orderers = orderers.map((o, i) => ({
    cert: o.cert,
    address: `/ip4/127.0.0.1/tcp/${7050 + i}`,
  }));
  c.ordering = {
    ...c.ordering,
    type: 'jetstream',
    jetstream: {
      servers: ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4223', 'nats://[::1]:4224'],
      stream: 'weft-ch',
      replicas: 3,
    },
  };
  c.policies.blockSignatures = `OutOf(2,${ANY3})`;
  edit(c);
  return c;
}

describe('jetstream ordering in the channel config', () => {
  it('round-trips canonically, and a solo config encodes no jetstream key', async () => {
    const config = jetstreamConfig();
    await loadChannel(config);
    const e = decodeEnvelope(encodeEnvelope({ type: 'config', config }));
    assert.deepEqual(e.type === 'config' ? e.config : undefined, config);
    const soloBytes = encodeEnvelope({ type: 'config', config: net.config });
    assert.notInclude(new TextDecoder().decode(soloBytes), 'jetstream');
  });

  it('reads the jetstream section strictly', () => {
    const cbor = (edit: (o: Record<string, unknown>) => void) => {
      const value = channelConfigToCbor(jetstreamConfig()) as {
        ordering: Record<string, unknown>;
      };
      edit(value.ordering);
      return () => readChannelConfig(value);
    };
    assert.throws(
      cbor((o) => Object.assign(o.jetstream as object, { extra: 1 })),
      /unknown field extra/,
    );
    assert.throws(
      cbor((o) => delete (o.jetstream as Record<string, unknown>).replicas),
      /missing field replicas/,
    );
    assert.throws(
      cbor((o) => Object.assign(o.jetstream as object, { replicas: -1 })),
      /replicas/,
    );
    assert.throws(
      cbor((o) => Object.assign(o.jetstream as object, { servers: 'nats://a:1' })),
      /servers/,
    );
    assert.throws(
      cbor((o) => Object.assign(o.jetstream as object, { servers: Array(33).fill('nats://a:1') })),
      /more than 32/,
    );
  });

  it('refuses a jetstream section that does not match the ordering type or names no usable log', async () => {
    const bad = (edit: (c: ChannelConfig) => void) =>
      rejectsWithCode(() => loadChannel(jetstreamConfig(edit)), 'CONFIG_ORDERING');
    await bad((c) => {
      delete c.ordering.jetstream;
    });
    await bad((c) => {
      c.ordering.type = 'solo';
    });
    const js = (c: ChannelConfig) => c.ordering.jetstream!;
    await bad((c) => {
      js(c).servers = [];
    });
    for (const url of [
      '127.0.0.1:4222',
      'nats://host',
      'nats://host:0',
      'nats://host:70000',
      'http://h:1',
      'nats://a b:1',
    ]) {
      await bad((c) => {
        js(c).servers = [url];
      });
    }
    await bad((c) => {
      js(c).servers = ['nats://a:1', 'nats://a:1'];
    });
    for (const stream of ['', 'a.b', 'a*', 'a>', 'a/b', 'x'.repeat(65)]) {
      await bad((c) => {
        js(c).stream = stream;
      });
    }
    for (const replicas of [0, 6]) {
      await bad((c) => {
        js(c).replicas = replicas;
      });
    }
  });
});

describe('a block signature policy over several orderers', () => {
  const setup = async () => {
    const genesis = createGenesisBlock({ config: jetstreamConfig(), timestamp: net.time });
    const { channel, hash } = await openGenesis(genesis);
    const previous = { number: 0, hash, timestamp: net.time };
    const mint = await buildMint(net, [
      { amount: 1n, owner: net.client.signer.publicKey, label: 'USD' },
    ]);
    const signed = (signers: typeof orderers) =>
      buildBlock(net, previous, [mint.bytes], { signers: signers.map((o) => o.signer) });
    return { channel, previous, signed };
  };

  it('needs as many distinct orderer signatures as the policy says; a repeated signer counts once', async () => {
    const { channel, previous, signed } = await setup();
    const one = await signed([orderers[1]!]);
    await rejectsWithCode(() => verifyBlock({ block: one, previous, channel }), 'BLOCK_SIGNATURES');
    const twice = await signed([orderers[1]!, orderers[1]!]);
    await rejectsWithCode(
      () => verifyBlock({ block: twice, previous, channel }),
      'BLOCK_SIGNATURES',
    );
    const two = await signed([orderers[2]!, orderers[0]!]);
    const hash = await verifyBlock({ block: two, previous, channel });
    const all = await signed(orderers);
    assert.deepEqual(await verifyBlock({ block: all, previous, channel }), hash);
    assert.deepEqual(
      await verifyHeader({ header: two.header, signatures: two.signatures, previous, channel }),
      hash,
    );
  });

  it('signatures are outside the block hash: copies signed by different orderers are the same block', async () => {
    const { signed, channel, previous } = await setup();
    const a = await signed([orderers[0]!, orderers[1]!]);
    const b = await signed([orderers[2]!, orderers[1]!]);
    assert.deepEqual(
      await verifyBlock({ block: a, previous, channel }),
      await verifyBlock({ block: b, previous, channel }),
    );
  });
});
