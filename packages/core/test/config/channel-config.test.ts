import { assert, describe, it, rejectsWithCode } from '@weft/test/harness';
import { createDevNetwork } from '../../src/dev/index.js';
import {
  type ChannelConfig,
  decodeEnvelope,
  encodeEnvelope,
  issueCertificate,
  loadChannel,
} from '../../src/index.js';

const net = await createDevNetwork({ seed: 'config-test' });

function variant(edit: (c: ChannelConfig) => void): ChannelConfig {
  const c = structuredClone(net.config);
  edit(c);
  return c;
}

describe('channel config validation', () => {
  it('accepts the dev config and prepares its MSP and policies', async () => {
    const ch = await loadChannel(net.config);
    assert.isTrue(ch.msp.hasOrg('Org1'));
    assert.equal(ch.orderers.size, 1);
  });

  it('round-trips through a config envelope', () => {
    const e = decodeEnvelope(encodeEnvelope({ type: 'config', config: net.config }));
    assert.equal(e.type, 'config');
    assert.deepEqual(e.type === 'config' ? e.config : undefined, net.config);
  });

  it('rejects duplicate orgs and reused roots', async () => {
    await rejectsWithCode(
      () => loadChannel(variant((c) => c.orgs.push({ ...c.orgs[0]! }))),
      'CONFIG_DUPLICATE_ORG',
    );
    await rejectsWithCode(
      () => loadChannel(variant((c) => c.orgs.push({ name: 'Org9', rootKey: c.orgs[0]!.rootKey }))),
      'CONFIG_DUPLICATE_ROOT',
    );
  });

  it('rejects bad channel and org names', async () => {
    await rejectsWithCode(
      () =>
        loadChannel(
          variant((c) => {
            c.channel = 'Bad Name';
          }),
        ),
      'CONFIG_CHANNEL_NAME',
    );
    await rejectsWithCode(
      () =>
        loadChannel(
          variant((c) => {
            c.orgs[0]!.name = "Org'1";
          }),
        ),
      'CONFIG_ORG_NAME',
    );
  });

  it('rejects insane batch sizes', async () => {
    for (const edit of [
      (c: ChannelConfig) => {
        c.ordering.maxTxCount = 0;
      },
      (c: ChannelConfig) => {
        c.ordering.maxTxCount = 1_000_000;
      },
      (c: ChannelConfig) => {
        c.ordering.maxBytes = 10;
      },
      (c: ChannelConfig) => {
        c.ordering.batchTimeoutMs = 0;
      },
    ]) {
      await rejectsWithCode(() => loadChannel(variant(edit)), 'CONFIG_BATCH');
    }
  });

  it('rejects orderers not certified by a known root or not in the orderer role', async () => {
    const peerAsOrderer = variant((c) => {
      c.orderers[0]!.cert = net.peers[0]!.cert;
    });
    await rejectsWithCode(() => loadChannel(peerAsOrderer), 'CONFIG_BAD_ORDERER');
    const selfSigned = await issueCertificate(net.orderer.signer, { ...net.orderer.cert });
    await rejectsWithCode(
      () =>
        loadChannel(
          variant((c) => {
            c.orderers[0]!.cert = selfSigned;
          }),
        ),
      'CONFIG_BAD_ORDERER',
    );
    await rejectsWithCode(
      () =>
        loadChannel(
          variant((c) => {
            c.orderers = [];
          }),
        ),
      'CONFIG_NO_ORDERERS',
    );
  });

  it('rejects policies that do not parse, name unknown orgs or can never be satisfied', async () => {
    const bad = (p: Partial<ChannelConfig['policies']>) =>
      variant((c) => {
        Object.assign(c.policies, p);
      });
    await rejectsWithCode(
      () => loadChannel(bad({ endorsement: "AND('Org1.peer'" })),
      'CONFIG_POLICY',
    );
    await rejectsWithCode(
      () => loadChannel(bad({ endorsement: "AND('Org7.peer')" })),
      'CONFIG_POLICY',
    );
    await rejectsWithCode(
      () => loadChannel(bad({ attestation: "OutOf(3,'Org1.peer','Org2.peer')" })),
      'CONFIG_POLICY',
    );
    // Satisfiable in principle, but this channel lists only one orderer.
    await rejectsWithCode(
      () => loadChannel(bad({ blockSignatures: "AND('OrdererOrg.orderer','OrdererOrg.orderer')" })),
      'CONFIG_POLICY',
    );
  });

  it('rejects unknown central banks and thresholds out of range', async () => {
    await rejectsWithCode(
      () =>
        loadChannel(
          variant((c) => {
            c.fabcoin.centralBanks = ['Nobody'];
          }),
        ),
      'CONFIG_FABCOIN',
    );
    await rejectsWithCode(
      () =>
        loadChannel(
          variant((c) => {
            c.fabcoin.centralBanks = [];
          }),
        ),
      'CONFIG_FABCOIN',
    );
    await rejectsWithCode(
      () =>
        loadChannel(
          variant((c) => {
            c.fabcoin.mintThreshold = 0;
          }),
        ),
      'CONFIG_FABCOIN',
    );
  });
});
