// `weft up` (one orderer and one org with one peer, each its own process):
// on first start it registers enrollment secrets with the org's CA and
// prints them once; one of them enrolls a key. A restart resumes without
// printing secrets again.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseEnrollSecret, signerFromSecret } from '@weft/core';
import { devSecret } from '@weft/core/dev';
import { after, assert, describe, it } from '@weft/test/harness';
import { CaClient } from '../../src/ca/index.js';
import { loadOrgRoot } from '../../src/material/index.js';
import { type RunningNetwork, up } from '../../src/up/up.js';

describe('weft up: enrollment secrets', () => {
  let dir: string;
  let net: RunningNetwork | undefined;
  const basePort = 21_000 + Math.floor(Math.random() * 200) * 40;

  after(async () => {
    await net?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const start = async () => {
    let printed = '';
    net = await up({
      dir,
      orgs: 1,
      peersPerOrg: 1,
      basePort,
      channel: 'weft',
      startingCoins: 0n,
      out: (line) => {
        printed += line;
      },
    });
    return printed;
  };

  it('registers two secrets per org on first start, prints them once, and they enroll', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'weft-up-ca-'));
    const first = await start();
    const lines = first.split('\n').filter((l) => l.includes(' secret '));
    assert.lengthOf(lines, 2, first);
    const parsed = lines.map((l) => {
      const m = /^\s+(\S+)\s+id (\S+)\s+secret ([0-9a-f]+)\s+expires (\S+)$/.exec(l);
      assert.isNotNull(m, l);
      return { org: m![1]!, id: m![2]!, secret: m![3]! };
    });
    assert.deepEqual(
      parsed.map((p) => p.org),
      ['Org1', 'Org1'],
    );
    const caNode = net!.prepared.nodes.find((n) => n.caOrg === 'Org1');
    assert.isDefined(caNode);
    const root = await loadOrgRoot(path.join(net!.prepared.materialDir, 'orgs', 'Org1'));
    const client = await CaClient.connect({ node: caNode!.ws });
    try {
      const signer = await signerFromSecret(devSecret('up-secrets-test', 'wallet'));
      const cert = await client.enroll({
        org: 'Org1',
        id: parsed[0]!.id,
        secret: parseEnrollSecret(parsed[0]!.secret),
        signer,
        rootKey: root.rootKey,
      });
      assert.equal(cert.role, 'client');
    } finally {
      await client.close();
    }

    await net!.stop();
    net = undefined;
    const second = await start();
    assert.notInclude(second, ' secret ');
    assert.include(second, 'weft ca register --org Org1');
  });
});
