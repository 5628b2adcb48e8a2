// Gossip across real node processes: org leaders, push and pull, channel
// isolation, a forging member, a non-member, a killed leader, a peer that
// joins late with the orderer out of its reach, and attestation pull (the
// late peer's old-block attestations, and its own, which it never gossips).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { multiaddr } from '@multiformats/multiaddr';
import {
  blocksTopic,
  decodeBlock,
  encodeBlock,
  encodeBlocksRequest,
  encodeHello,
  MAX_BLOCK_BYTES,
  MAX_HELLO_BYTES,
  PROTOCOLS,
  stateTopic,
  toHex,
  txCodeName,
} from '@weft/core';
import { createDevNetwork } from '@weft/core/dev';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { GatewayClient } from '../../src/client/gateway-client.js';
import { LightSource } from '../../src/client/light-source.js';
import { mintProposal } from '../../src/client/proposals.js';
import { defaultSpecInput } from '../../src/material/index.js';
import { type LoadedMember, loadMember } from '../../src/material/member.js';
import {
  callProtocol,
  createNodeHost,
  type NodeHost,
  streamProtocol,
} from '../../src/net/index.js';
import { missingAttestations } from './light-attestations.js';
import { freeBasePort } from './ports.js';
import { TestNetwork, until } from './test-network.js';

let basePort = 0;
const ORG1 = ['org1-peer0', 'org1-peer1'];
const ORG2 = ['org2-peer0', 'org2-peer1'];
const LATE = 'org1-peer2';
/** The node's test-only switch (gossip/attestation-pull.ts): it never publishes its attestations. */
const SILENT_ATTESTER = 'WEFT_FAULT_SILENT_ATTESTER';

function spec(): Record<string, unknown> {
  const s = defaultSpecInput({
    peerOrgs: 2,
    peersPerOrg: 3,
    ordererAddress: `/ip4/127.0.0.1/tcp/${basePort}`,
    // One transaction per block, so blocks are cheap to make in numbers.
    maxTxCount: 1,
    batchTimeoutMs: 50,
  });
  const channels = s.channels as Record<string, unknown>[];
  channels.push({
    ...channels[0],
    name: 'org1only',
    orgs: ['Org1', 'OrdererOrg', 'CentralBank'],
  });
  return s;
}

describe('e2e gossip: leaders, push and pull, isolation, forgery, leader failover, late peer', () => {
  let dir: string;
  let net: TestNetwork;
  let weft: GatewayClient;
  let org1only: GatewayClient;
  let banker: LoadedMember;
  let owner: Uint8Array;
  let mints = 0;

  const peers = () => [...ORG1, ...ORG2];
  const mint = async (client: GatewayClient, wait = true) => {
    const { signedProposal } = await mintProposal(
      client.channel,
      [banker],
      [{ amount: BigInt(++mints), owner, label: 'FBC' }],
    );
    return client.submit(signedProposal, wait);
  };
  const settled = (names: string[], channel: string, atLeast: number) =>
    until(
      `${names.join(', ')} at height >= ${atLeast} on ${channel} with one commitHash`,
      async () => {
        const views = await Promise.all(names.map((n) => net.channel(n, channel)));
        const top = Math.max(...views.map((v) => v.height));
        if (top < atLeast || views.some((v) => v.height !== top)) return undefined;
        return new Set(views.map((v) => v.commitHash)).size === 1 ? views : undefined;
      },
      60_000,
    );
  const leaders = async (names: string[], channel: string) =>
    (
      await Promise.all(names.map(async (n) => ((await net.channel(n, channel)).leader ? n : '')))
    ).filter(Boolean);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'weft-gossip-'));
    basePort = await freeBasePort({ nodes: 6, min: 24_000, max: 30_000 });
    const both = (roles: ('peer' | 'gateway')[]) => [
      { name: 'weft', roles },
      { name: 'org1only', roles },
    ];
    net = await TestNetwork.create({
      dir,
      basePort,
      spec: spec(),
      nodes: [
        {
          name: 'orderer0',
          member: 'OrdererOrg/orderer0',
          channels: [
            { name: 'weft', roles: ['orderer'] },
            { name: 'org1only', roles: ['orderer'] },
          ],
          bootstrap: [],
        },
        { name: 'org1-peer0', member: 'Org1/peer0', channels: both(['peer', 'gateway']) },
        { name: 'org1-peer1', member: 'Org1/peer1', channels: both(['peer', 'gateway']) },
        {
          name: 'org2-peer0',
          member: 'Org2/peer0',
          channels: [{ name: 'weft', roles: ['peer', 'gateway'] }],
        },
        {
          name: 'org2-peer1',
          member: 'Org2/peer1',
          channels: [{ name: 'weft', roles: ['peer', 'gateway'] }],
        },
        {
          // Joins after 200 blocks, told of an orderer address where nothing listens.
          name: LATE,
          member: 'Org1/peer2',
          late: true,
          channels: [
            {
              name: 'weft',
              roles: ['peer'],
              orderers: (peerIdOf) => [
                `/ip4/127.0.0.1/tcp/1/p2p/${peerIdOf('OrdererOrg/orderer0')}`,
              ],
            },
          ],
          bootstrap: ['org2-peer0', 'org2-peer1'],
          gossip: { staticLeader: false },
        },
      ],
    });
    await net.start('orderer0', ...peers());
    banker = await loadMember(net.memberDir('CentralBank/cb0'));
    owner = (await loadMember(net.memberDir('Org1/client0'))).cert.publicKey;
    const gateways = (names: string[]) => names.map((n) => net.node(n).ws);
    weft = await GatewayClient.connect({ gateways: gateways(peers()), channel: 'weft' });
    org1only = await GatewayClient.connect({ gateways: gateways(ORG1), channel: 'org1only' });
    await until('every node knows the others', async () => {
      const known = await Promise.all(peers().map(async (n) => (await net.health(n)).knownNodes));
      return known.every((k) => (k ?? 0) >= 4) ? true : undefined;
    });
  });

  after(async () => {
    await weft?.close();
    await org1only?.close();
    await net?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('one leader per org and channel; followers get their blocks from peers, not the orderer', async () => {
    await until('one leader per org on each channel', async () => {
      const l = [
        await leaders(ORG1, 'weft'),
        await leaders(ORG2, 'weft'),
        await leaders(ORG1, 'org1only'),
      ];
      return l.every((x) => x.length === 1) ? l : undefined;
    });
    const followers = peers();
    const fromOrderer = async () =>
      Promise.all(
        followers.map(async (n) =>
          (await net.channel(n, 'weft')).leader
            ? -1
            : net.metric(n, 'weft_blocks_received_total', { channel: 'weft', source: 'orderer' }),
        ),
      );
    const before = await fromOrderer();
    // A follower whose process stalls past the election timeout (a loaded CI
    // host) rightly leads for a while and pulls from the orderer meanwhile:
    // watched, so only peers that followed throughout are held to it.
    const ledMeanwhile = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const n of await leaders(followers, 'weft')) ledMeanwhile.add(n);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    for (let i = 0; i < 3; i++) {
      const status = await mint(weft);
      assert.equal(status.status, 'committed');
      if (status.status === 'committed') assert.equal(txCodeName(status.code), 'VALID');
    }
    const views = await settled(peers(), 'weft', 4);
    assert.equal(new Set(views.map((v) => v.txCount)).size, 1);
    const afterwards = await fromOrderer();
    watching = false;
    await watch;
    let checked = 0;
    for (const [i, n] of followers.entries()) {
      if (before[i] === -1 || afterwards[i] === -1 || ledMeanwhile.has(n)) continue;
      checked++;
      assert.equal(afterwards[i], before[i], `${n} follows its leader: no blocks from the orderer`);
      const pushed = await net.metric(n, 'weft_blocks_received_total', {
        channel: 'weft',
        source: 'push',
      });
      assert.isAbove(pushed, 0, `${n} received pushed blocks`);
    }
    assert.isAbove(checked, 0, 'some peer followed throughout');
  });

  describe('with a member of one channel only, and a stranger', () => {
    let intruder: NodeHost;
    let org2peer2: LoadedMember;
    const received = new Map<string, number>();

    before(async () => {
      org2peer2 = await loadMember(net.memberDir('Org2/peer2'));
      intruder = await createNodeHost({
        secretKey: org2peer2.secretKey,
        membership: { isMember: () => true },
      });
      intruder.services.pubsub.addEventListener('message', (evt) => {
        received.set(evt.detail.topic, (received.get(evt.detail.topic) ?? 0) + 1);
      });
      for (const t of [blocksTopic('weft'), blocksTopic('org1only'), stateTopic('org1only')]) {
        intruder.services.pubsub.subscribe(t);
      }
      for (const n of peers()) {
        await callProtocol(
          intruder,
          multiaddr(net.node(n).tcp),
          PROTOCOLS.hello,
          encodeHello({ cert: org2peer2.cert, channels: [{ name: 'weft', roles: ['peer'] }] }),
          { maxResponseBytes: MAX_HELLO_BYTES, timeoutMs: 10_000 },
        );
      }
    });

    after(async () => {
      await intruder?.stop();
    });

    it("a member of one channel receives that channel's gossip and nothing of the other", async () => {
      // Let meshes form with the newcomer (gossipsub heartbeats are 1 s).
      await new Promise((r) => setTimeout(r, 2500));
      const w = await mint(weft);
      const o = await mint(org1only);
      assert.equal(w.status, 'committed');
      assert.equal(o.status, 'committed');
      await until('the weft block reaches the member', async () =>
        (received.get(blocksTopic('weft')) ?? 0) > 0 ? true : undefined,
      );
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(received.get(blocksTopic('org1only')) ?? 0, 0, 'no org1only block');
      assert.equal(received.get(stateTopic('org1only')) ?? 0, 0, 'no org1only state');
      // Nor by asking: the blocks protocol serves a channel to its members only.
      const ask = (channel: string) =>
        (async () => {
          const out: Uint8Array[] = [];
          for await (const b of streamProtocol(
            intruder,
            multiaddr(net.node('org1-peer0').tcp),
            PROTOCOLS.blocks,
            encodeBlocksRequest({ channel, from: 0, to: 2 }),
            { maxResponseBytes: MAX_BLOCK_BYTES, timeoutMs: 10_000 },
          ))
            out.push(b);
          return out;
        })();
      assert.equal((await ask('weft')).length, 2);
      let code: string | undefined;
      await ask('org1only').catch((err: { code?: string }) => {
        code = err.code;
      });
      assert.equal(code, 'NET_FORBIDDEN');
    });

    it('a member publishing a forged block is rejected and cut off; honest peers carry on', async () => {
      const target = multiaddr(net.node('org2-peer0').tcp);
      const height = (await net.channel('org2-peer0', 'weft')).height;
      let last: Uint8Array | undefined;
      for await (const b of streamProtocol(
        intruder,
        target,
        PROTOCOLS.blocks,
        encodeBlocksRequest({ channel: 'weft', from: height - 1, to: height }),
        { maxResponseBytes: MAX_BLOCK_BYTES, timeoutMs: 10_000 },
      ))
        last = b;
      const real = decodeBlock(last!);
      // The next number with the last block's signatures: they no longer match.
      const forged = { ...real, header: { ...real.header, number: height } };
      await intruder.services.pubsub.publish(blocksTopic('weft'), encodeBlock(forged));
      await until(
        'every peer cut the forger off',
        async () => (intruder.getConnections().length === 0 ? true : undefined),
        15_000,
      );
      // Coming back, it is refused: the penalty outlasts the connection.
      let refused: unknown;
      await callProtocol(
        intruder,
        target,
        PROTOCOLS.hello,
        encodeHello({ cert: org2peer2.cert, channels: [{ name: 'weft', roles: ['peer'] }] }),
        { maxResponseBytes: MAX_HELLO_BYTES, timeoutMs: 5_000 },
      ).catch((err) => {
        refused = err;
      });
      assert.isDefined(refused, 'the forger is refused when it comes back');
      const rejected = await Promise.all(
        peers().map((n) =>
          net.metric(n, 'weft_gossip_messages_total', {
            channel: 'weft',
            type: 'block',
            verdict: 'reject',
          }),
        ),
      );
      assert.isAbove(
        rejected.reduce((a, b) => a + b, 0),
        0,
      );
      const status = await mint(weft);
      assert.equal(status.status, 'committed');
      await settled(peers(), 'weft', height + 1);
      for (const n of peers()) {
        assert.equal((await net.channel(n, 'weft')).height > height, true, `${n} moved on`);
      }
    });

    it('a node no channel certifies is refused', async () => {
      const fake = await createDevNetwork({ seed: 'intruder', peerOrgs: 1 });
      const stranger = await createNodeHost({
        secretKey: fake.peers[0]!.secretKey,
        membership: { isMember: () => true },
      });
      try {
        let code: string | undefined;
        await callProtocol(
          stranger,
          multiaddr(net.node('org1-peer0').tcp),
          PROTOCOLS.hello,
          encodeHello({ cert: fake.peers[0]!.cert, channels: [{ name: 'weft', roles: ['peer'] }] }),
          { maxResponseBytes: MAX_HELLO_BYTES, timeoutMs: 10_000 },
        ).catch((err: { code?: string }) => {
          code = err.code;
        });
        assert.equal(code, 'NET_FORBIDDEN');
        code = undefined;
        await callProtocol(
          stranger,
          multiaddr(net.node('org1-peer0').tcp),
          PROTOCOLS.blocks,
          encodeBlocksRequest({ channel: 'weft', from: 0, to: 1 }),
          { maxResponseBytes: MAX_BLOCK_BYTES, timeoutMs: 10_000 },
        ).catch((err: { code?: string }) => {
          code = err.code;
        });
        assert.equal(code, 'NET_FORBIDDEN');
      } finally {
        await stranger.stop();
      }
    });
  });

  it('kill the org leader: the other peer takes over, blocks keep flowing; restarted, it catches up', async () => {
    const [old] = await leaders(ORG1, 'weft');
    assert.isDefined(old);
    const other = ORG1.find((n) => n !== old)!;
    await net.kill(old!);
    await until(`${other} leads Org1`, async () =>
      (await net.channel(other, 'weft')).leader ? true : undefined,
    );
    const live = [other, ...ORG2];
    const height = (await net.channel(other, 'weft')).height;
    const status = await mint(weft);
    assert.equal(status.status, 'committed');
    await settled(live, 'weft', height + 1);

    await net.start(old!);
    await settled(peers(), 'weft', height + 1);
    await settled(ORG1, 'org1only', 1);
    // No preemption: the restarted peer follows the leader it finds.
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(await leaders(ORG1, 'weft'), [other]);
  });

  it('a peer started after 200 blocks catches up by pull with the orderer unreachable', async () => {
    // 200 more blocks (one mint each), several in flight at a time.
    let next = 0;
    const workers = Array.from({ length: 8 }, async () => {
      while (next < 200) {
        next++;
        const s = await mint(weft, false);
        assert.notEqual(s.status, 'unknown');
      }
    });
    await Promise.all(workers);
    const views = await settled(peers(), 'weft', 200);
    const target = views[0]!.height;

    // LATE never publishes its attestations (the node's test-only fault switch),
    // as if every one were lost: the others can have them only by pull.
    process.env[SILENT_ATTESTER] = '1';
    try {
      await net.start(LATE);
    } finally {
      delete process.env[SILENT_ATTESTER];
    }
    const caught = await settled([...peers(), LATE], 'weft', target);
    assert.equal(caught.at(-1)!.height, target);
    const by = (source: string) =>
      net.metric(LATE, 'weft_blocks_received_total', { channel: 'weft', source });
    assert.equal(await by('orderer'), 0, 'nothing from the orderer');
    assert.isAtLeast(await by('pull'), target - 1, 'every block but genesis by pull');
  });

  it('attestations of the old blocks reach the late peer, and its own (never gossiped) the others, by pull', async () => {
    const height = (await net.channel(LATE, 'weft')).height;
    const everyone = [...peers(), LATE];
    const keys = await Promise.all(
      ['Org1/peer0', 'Org1/peer1', 'Org2/peer0', 'Org2/peer1', 'Org1/peer2'].map(async (m) =>
        toHex((await loadMember(net.memberDir(m))).cert.publicKey),
      ),
    );
    const pulled = (n: string, outcome: string) =>
      net.metric(n, 'weft_attestations_pulled_total', { channel: 'weft', outcome });
    // LATE can get the four others' attestations of blocks 1..height-1 only by
    // pull (they were gossiped long before it came), and the others LATE's too.
    await until(
      "the late peer pulled the others' attestations and they pulled its own",
      async () => {
        const stored = await Promise.all(everyone.map((n) => pulled(n, 'stored')));
        const enough = stored.every((s, i) => s >= (everyone[i] === LATE ? 4 : 1) * (height - 1));
        return enough ? true : undefined;
      },
      60_000,
    );
    // What light clients are served: the late peer holds all five peers' attestation of
    // every block, and so does a peer not even connected to it (it pulled them from others).
    const sources = await Promise.all(
      [LATE, 'org1-peer0'].map((n) =>
        LightSource.connect({ peer: net.node(n).ws, channel: 'weft' }),
      ),
    );
    try {
      await until('every peer attestation of every block at both', async () => {
        const gaps = await Promise.all(sources.map((s) => missingAttestations(s, height, keys)));
        return gaps.every((g) => g === 0) ? true : undefined;
      });
    } finally {
      await Promise.all(sources.map((s) => s.close()));
    }
    const forged = await Promise.all(everyone.map((n) => pulled(n, 'forged')));
    assert.deepEqual(forged, [0, 0, 0, 0, 0]);
  });
});
