import {
  type BroadcastAck,
  type Coin,
  coinKey,
  decodeEndorseResponse,
  decodeEnvelope,
  type EndorseResponse,
  encodeEndorseResponse,
  encodeEnvelope,
  endorse,
  rwsetHash,
  type SignedProposal,
  sha256,
  signerFromSecret,
  TxCode,
  type TxEnvelope,
  utf8,
  WeftError,
} from '@weft/core';
import {
  type BuiltTx,
  buildBlock,
  buildMint,
  buildSpend,
  createDevNetwork,
  type DevMember,
  type DevNetwork,
  devSecret,
  issueDevMember,
} from '@weft/core/dev';
import { after, assert, before, describe, it } from '@weft/test/harness';
import { ChannelLedger, type NodeDatabase, openNodeDatabase } from '../../src/ledger/index.js';
import { CommitWatcher } from '../../src/peer/commit-watcher.js';
import { Endorser } from '../../src/peer/endorser.js';
import { PeerError } from '../../src/peer/errors.js';
import { type EndorsingPeer, Gateway, type GatewayOptions } from '../../src/peer/gateway.js';
import { commitBlocks } from '../ledger/fixture.js';

const SEED = 'gateway-test';
const DAY = 86_400_000;
const alice = await signerFromSecret(devSecret(SEED, 'alice'));
const bob = await signerFromSecret(devSecret(SEED, 'bob'));
const usd = (amount: bigint, owner = alice): Coin => ({
  amount,
  owner: owner.publicKey,
  label: 'USD',
});

/** AND(Org1.peer, Org2.peer), the dev default. */
const net = await createDevNetwork({ seed: SEED });
/** OR(Org1.peer, Org2.peer): one endorsement is enough. */
const orNet = await createDevNetwork({ seed: SEED, endorsement: "OR('Org1.peer','Org2.peer')" });

/** A second peer of `org`, valid around the network's time. */
function extraPeer(n: DevNetwork, org: number, name: string): Promise<DevMember> {
  return issueDevMember({
    org: n.orgs[org]!,
    role: 'peer',
    name,
    seed: SEED,
    notBefore: n.time - DAY,
    notAfter: n.time + DAY,
  });
}

async function rejectsWith(p: Promise<unknown>, code: string, what = ''): Promise<WeftError> {
  try {
    await p;
  } catch (err) {
    assert.instanceOf(err, WeftError, String(err));
    assert.equal((err as WeftError).code, code, `${what} ${String(err)}`);
    return err as WeftError;
  }
  assert.fail(`${what}: expected ${code}, nothing was thrown`);
}

type Answer = (channel: string, sp: SignedProposal) => Promise<EndorseResponse>;

/**
 * One gateway peer: a real memory-level ledger, real Endorsers on it (the
 * network's one peer per org unless told otherwise), and a broadcast that
 * orders the envelope into the next block and commits it, as the orderer
 * and the commit pipeline would.
 */
class Harness {
  readonly broadcasts: TxEnvelope[] = [];
  readonly calls: string[] = [];
  endorsers: EndorsingPeer[];
  /** false: broadcast acknowledges but nothing is ever committed. */
  commit = true;
  /** Commit this long after acknowledging (0: before the ack). */
  commitDelayMs = 0;
  readonly gateway: Gateway;
  #commits: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly net: DevNetwork,
    readonly db: NodeDatabase,
    readonly ledger: ChannelLedger,
    readonly commits: CommitWatcher,
    options: Partial<GatewayOptions>,
  ) {
    this.endorsers = net.peers.map((p) => this.honest(p));
    this.gateway = new Gateway({
      channel: net.channel,
      ledger,
      commits,
      endorsers: () => this.endorsers,
      broadcast: (envelope) => this.#broadcast(envelope),
      now: () => net.time,
      ...options,
    });
  }

  static async open(n: DevNetwork = net, options: Partial<GatewayOptions> = {}): Promise<Harness> {
    const db = await openNodeDatabase();
    const ledger = await ChannelLedger.open({ db, channel: n.config.channel, genesis: n.genesis });
    return new Harness(n, db, ledger, new CommitWatcher(ledger), options);
  }

  /** An EndorsingPeer that records its calls and answers with `answer`, through the wire codec. */
  peer(org: string, id: string, answer: Answer): EndorsingPeer {
    return {
      org,
      id,
      endorse: async (channel, sp) => {
        this.calls.push(id);
        return decodeEndorseResponse(encodeEndorseResponse(await answer(channel, sp)));
      },
    };
  }

  /** A real Endorser for `member` on this gateway's ledger. */
  endorserOf(member: DevMember, state = this.ledger.stateView()): Endorser {
    return new Endorser({
      channel: this.net.channel,
      state,
      signer: member.signer,
      cert: member.cert,
      now: () => this.net.time,
    });
  }

  honest(member: DevMember, id = `${member.org}/${member.name}`): EndorsingPeer {
    const e = this.endorserOf(member);
    return this.peer(member.org, id, (channel, signedProposal) =>
      e.endorse({ channel, signedProposal }),
    );
  }

  async #broadcast(bytes: Uint8Array): Promise<BroadcastAck> {
    const envelope = decodeEnvelope(bytes);
    assert.equal(envelope.type, 'tx');
    this.broadcasts.push(envelope as TxEnvelope);
    if (!this.commit) return { channel: this.net.config.channel, block: 999, index: 0 };
    const number = this.ledger.info().height;
    const done = this.#commits.then(async () => {
      if (this.commitDelayMs) await new Promise((r) => setTimeout(r, this.commitDelayMs));
      await this.append([bytes]);
    });
    this.#commits = done;
    if (!this.commitDelayMs) await done;
    return { channel: this.net.config.channel, block: number, index: 0 };
  }

  /** Orders `data` into the next block, commits it and tells the watcher. */
  async append(data: Uint8Array[]): Promise<void> {
    const info = this.ledger.info();
    const block = await buildBlock(
      this.net,
      { number: info.height - 1, hash: info.lastHash, timestamp: info.lastTimestamp },
      data,
    );
    await commitBlocks(this.ledger, this.net, [block]);
    this.commits.blockCommitted();
  }

  async settled(): Promise<void> {
    await this.#commits;
  }

  async close(): Promise<void> {
    await this.#commits;
    this.commits.close();
    await this.ledger.close();
    await this.db.close();
  }
}

/** Signs an endorsement by `member` over `rwset` as if it had simulated the proposal so. */
async function signedBy(
  member: DevMember,
  sp: SignedProposal,
  rwset: EndorseResponse['rwset'],
): Promise<EndorseResponse> {
  const endorsement = await endorse({
    signer: member.signer,
    cert: member.cert,
    proposalHash: sha256(sp.proposal),
    rwsetHash: rwsetHash(rwset),
  });
  return { rwset, endorsement };
}

const mintProposal = (n: DevNetwork, coins: Coin[]) =>
  buildMint(n, coins).then((t) => t.envelope.signedProposal);

describe('Gateway', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.open();
  });
  after(async () => {
    await h.close();
  });

  it('submit and wait: endorsed by one peer per org, ordered, and committed VALID with its block and index', async () => {
    const mint = await buildMint(net, [usd(100n), usd(10n, bob)]);
    const status = await h.gateway.submit(mint.envelope.signedProposal, true);
    assert.deepEqual(status, {
      txid: mint.txid,
      status: 'committed',
      code: TxCode.VALID,
      block: 1,
      index: 0,
    });
    const env = h.broadcasts.at(-1)!;
    assert.deepEqual(
      env.endorsements.map((e) => e.endorser),
      net.peers.map((p) => p.cert),
    );
    assert.deepEqual(env.rwset, mint.envelope.rwset);
    assert.deepEqual(h.calls, ['Org1/peer0', 'Org2/peer0']);

    // Then a spend of what was minted, against the committed state.
    const spend = await buildSpend(net, [coinKey(mint.txid, 0)], [usd(70n, bob), usd(30n)], {
      owners: [alice],
      state: h.ledger.stateView(),
    });
    const s2 = await h.gateway.submit(spend.envelope.signedProposal, true);
    assert.deepEqual(s2, {
      txid: spend.txid,
      status: 'committed',
      code: TxCode.VALID,
      block: 2,
      index: 0,
    });
    assert.deepEqual(await h.gateway.status(spend.txid, false), s2);
    assert.deepEqual(await h.gateway.status(mint.txid, true), { ...status });
  });

  it('reports the code the ledger gave, VALID or not', async () => {
    // Endorsed while the coin exists, committed after another spend took it: MVCC_READ_CONFLICT.
    const mint = await buildMint(net, [usd(5n)]);
    await h.gateway.submit(mint.envelope.signedProposal, true);
    const state = h.ledger.stateView();
    const first = await buildSpend(net, [coinKey(mint.txid, 0)], [usd(5n, bob)], {
      owners: [alice],
      state,
    });
    const second = await buildSpend(net, [coinKey(mint.txid, 0)], [usd(5n)], {
      owners: [alice],
      state,
    });
    h.commitDelayMs = 30;
    try {
      const [a, b] = await Promise.all([
        h.gateway.submit(first.envelope.signedProposal, true),
        h.gateway.submit(second.envelope.signedProposal, true),
      ]);
      assert.equal(a.status, 'committed');
      assert.equal(b.status, 'committed');
      const codes = [a, b].map((s) => (s.status === 'committed' ? s.code : -1)).sort();
      assert.deepEqual(codes, [TxCode.VALID, TxCode.MVCC_READ_CONFLICT]);
    } finally {
      h.commitDelayMs = 0;
    }
  });

  it('submit without waiting answers submitted; status then finds the commit', async () => {
    h.commitDelayMs = 20;
    try {
      const mint = await buildMint(net, [usd(1n)]);
      const s = await h.gateway.submit(mint.envelope.signedProposal, false);
      assert.deepEqual(s, { txid: mint.txid, status: 'submitted' });
      assert.deepEqual(await h.gateway.status(mint.txid, false), {
        txid: mint.txid,
        status: 'unknown',
      });
      const waited = await h.gateway.status(mint.txid, true);
      assert.equal(waited.status, 'committed');
      await h.settled();
      assert.deepEqual(await h.gateway.status(mint.txid, false), waited);
    } finally {
      h.commitDelayMs = 0;
    }
  });

  it('falls back to another peer of the org when one fails, and counts only one endorsement per org', async () => {
    const peer1 = await extraPeer(net, 0, 'peer1');
    const saved = h.endorsers;
    const failing: [string, Answer][] = [
      ['throws', async () => Promise.reject(new Error('connection reset'))],
      ['throws synchronously', async () => Promise.reject(new Error('unused'))],
      [
        'forges its signature',
        async (channel, sp) => {
          const r = await h.endorserOf(net.peers[0]!).endorse({ channel, signedProposal: sp });
          const signature = r.endorsement.signature.slice();
          signature[0]! ^= 1;
          return { ...r, endorsement: { ...r.endorsement, signature } };
        },
      ],
      [
        'is of the wrong org',
        async (channel, sp) => h.endorserOf(net.peers[1]!).endorse({ channel, signedProposal: sp }),
      ],
      [
        'answers with a client certificate',
        async (channel, sp) => {
          const r = await h.endorserOf(net.peers[0]!).endorse({ channel, signedProposal: sp });
          return signedBy(net.client, sp, r.rwset);
        },
      ],
      [
        'returns garbage',
        async () => ({ rwset: { reads: [], writes: [] } }) as unknown as EndorseResponse,
      ],
      [
        // A peer that lags behind (or lies) refuses; a refusal is not final while the org has other peers.
        'refuses',
        async () => {
          throw new PeerError('ENDORSE_CHAINCODE', 'input does not exist');
        },
      ],
    ];
    try {
      for (const [what, answer] of failing) {
        h.calls.length = 0;
        h.endorsers = [
          what === 'throws synchronously'
            ? {
                org: 'Org1',
                id: 'bad',
                endorse: () => {
                  h.calls.push('bad');
                  throw new Error('boom');
                },
              }
            : h.peer('Org1', 'bad', answer),
          h.honest(peer1, 'Org1/peer1'),
          h.honest(net.peers[1]!),
        ];
        const mint = await buildMint(net, [usd(2n)]);
        const s = await h.gateway.submit(mint.envelope.signedProposal, true);
        assert.equal(s.status, 'committed', what);
        assert.equal(s.status === 'committed' && s.code, TxCode.VALID, what);
        assert.sameMembers(h.calls, ['bad', 'Org1/peer1', 'Org2/peer0'], what);
        assert.deepEqual(
          h.broadcasts.at(-1)!.endorsements.map((e) => e.endorser),
          [peer1.cert, net.peers[1]!.cert],
          what,
        );
      }
      // A working first peer: the second is never asked.
      h.calls.length = 0;
      h.endorsers = [
        h.honest(net.peers[0]!),
        h.honest(peer1, 'Org1/peer1'),
        h.honest(net.peers[1]!),
      ];
      await h.gateway.submit(await mintProposal(net, [usd(3n)]), true);
      assert.sameMembers(h.calls, ['Org1/peer0', 'Org2/peer0']);
      assert.lengthOf(h.broadcasts.at(-1)!.endorsements, 2);
    } finally {
      h.endorsers = saved;
    }
  });

  it('refuses endorsements that disagree on the rw-set (GATEWAY_ENDORSEMENTS_DIFFER)', async () => {
    const saved = h.endorsers;
    const before = h.broadcasts.length;
    try {
      // Org2's peer signs, validly, a different simulation (a stale or divergent state).
      h.endorsers = [
        h.honest(net.peers[0]!),
        h.peer('Org2', 'divergent', async (channel, sp) => {
          const r = await h.endorserOf(net.peers[1]!).endorse({ channel, signedProposal: sp });
          const rwset = { ...r.rwset, reads: [{ key: 'x', version: { block: 1, tx: 0 } }] };
          return signedBy(net.peers[1]!, sp, rwset);
        }),
      ];
      await rejectsWith(
        h.gateway.submit(await mintProposal(net, [usd(4n)]), true),
        'GATEWAY_ENDORSEMENTS_DIFFER',
      );
      // A different rw-set under a signature that does not cover it is a forgery, not a disagreement.
      h.endorsers = [
        h.honest(net.peers[0]!),
        h.peer('Org2', 'tampered', async (channel, sp) => {
          const r = await h.endorserOf(net.peers[1]!).endorse({ channel, signedProposal: sp });
          return { ...r, rwset: { ...r.rwset, reads: [{ key: 'x', version: null }] } };
        }),
      ];
      await rejectsWith(
        h.gateway.submit(await mintProposal(net, [usd(4n)]), true),
        'GATEWAY_ENDORSEMENT_FAILED',
      );
      assert.equal(h.broadcasts.length, before, 'nothing was broadcast');
    } finally {
      h.endorsers = saved;
    }
  });

  it('does not count a forged endorsement: the policy is unmet (GATEWAY_ENDORSEMENT_FAILED)', async () => {
    const saved = h.endorsers;
    const before = h.broadcasts.length;
    const forgeries: [string, Answer][] = [
      [
        'a flipped signature',
        async (channel, sp) => {
          const r = await h.endorserOf(net.peers[1]!).endorse({ channel, signedProposal: sp });
          const signature = r.endorsement.signature.slice();
          signature[63]! ^= 0x10;
          return { ...r, endorsement: { ...r.endorsement, signature } };
        },
      ],
      [
        "another key under Org2's certificate",
        async (channel, sp) => {
          const r = await h.endorserOf(net.peers[0]!).endorse({ channel, signedProposal: sp });
          return { ...r, endorsement: { ...r.endorsement, endorser: net.peers[1]!.cert } };
        },
      ],
      [
        'an Org1 endorsement answered for Org2',
        async (channel, sp) => h.endorserOf(net.peers[0]!).endorse({ channel, signedProposal: sp }),
      ],
      [
        'an Org2 certificate from another root',
        async (channel, sp) => {
          const other = await createDevNetwork({ seed: `${SEED}-other` });
          const r = await h.endorserOf(net.peers[1]!).endorse({ channel, signedProposal: sp });
          return signedBy(other.peers[1]!, sp, r.rwset);
        },
      ],
      [
        'an endorsement of another proposal',
        async (channel) => {
          const otherSp = await mintProposal(net, [usd(77n)]);
          return h.endorserOf(net.peers[1]!).endorse({ channel, signedProposal: otherSp });
        },
      ],
    ];
    try {
      for (const [what, answer] of forgeries) {
        h.endorsers = [h.honest(net.peers[0]!), h.peer('Org2', 'forger', answer)];
        const err = await rejectsWith(
          h.gateway.submit(await mintProposal(net, [usd(6n)]), true),
          'GATEWAY_ENDORSEMENT_FAILED',
          what,
        );
        assert.instanceOf(err, PeerError, what);
      }
      assert.equal(h.broadcasts.length, before, 'nothing was broadcast');
    } finally {
      h.endorsers = saved;
    }
  });

  it('leaves a forged endorsement out of the envelope when the others satisfy the policy', async () => {
    const or = await Harness.open(orNet);
    try {
      or.endorsers = [
        or.honest(orNet.peers[0]!),
        or.peer('Org2', 'forger', async (channel, sp) => {
          const r = await or.endorserOf(orNet.peers[1]!).endorse({ channel, signedProposal: sp });
          return { ...r, endorsement: { ...r.endorsement, signature: new Uint8Array(64) } };
        }),
      ];
      const mint = await buildMint(orNet, [usd(8n)]);
      const s = await or.gateway.submit(mint.envelope.signedProposal, true);
      // With the forged endorsement in it, VSCC would mark the transaction BAD_ENDORSEMENT.
      assert.deepEqual(s, {
        txid: mint.txid,
        status: 'committed',
        code: TxCode.VALID,
        block: 1,
        index: 0,
      });
      assert.deepEqual(
        or.broadcasts[0]!.endorsements.map((e) => e.endorser),
        [orNet.peers[0]!.cert],
      );
      // Both orgs honest: both endorsements go in.
      or.endorsers = orNet.peers.map((p) => or.honest(p));
      await or.gateway.submit(await mintProposal(orNet, [usd(9n)]), true);
      assert.lengthOf(or.broadcasts[1]!.endorsements, 2);
    } finally {
      await or.close();
    }
  });

  it("passes an endorser's ENDORSE_ refusal through", async () => {
    const missing = coinKey(sha256(utf8('never minted')), 0);
    const spend = await buildSpend(net, [missing], [usd(1n)], { owners: [alice], unchecked: true });
    const err = await rejectsWith(
      h.gateway.submit(spend.envelope.signedProposal, true),
      'ENDORSE_CHAINCODE',
    );
    assert.instanceOf(err, PeerError);

    // Already committed: ENDORSE_DUPLICATE_TXID.
    const mint = await buildMint(net, [usd(11n)]);
    await h.gateway.submit(mint.envelope.signedProposal, true);
    await rejectsWith(
      h.gateway.submit(mint.envelope.signedProposal, true),
      'ENDORSE_DUPLICATE_TXID',
    );

    // Forged creator signature: ENDORSE_BAD_SIGNATURE.
    const sp = await mintProposal(net, [usd(12n)]);
    await rejectsWith(
      h.gateway.submit({ ...sp, signature: new Uint8Array(64) }, true),
      'ENDORSE_BAD_SIGNATURE',
    );

    // A refusal from every peer of an org is passed through even though another org endorsed.
    const saved = h.endorsers;
    try {
      h.endorsers = [
        h.honest(net.peers[0]!),
        h.peer('Org2', 'refuses', async () => {
          throw new PeerError('ENDORSE_STALE', 'proposal timestamp is too far from now');
        }),
      ];
      await rejectsWith(
        h.gateway.submit(await mintProposal(net, [usd(13n)]), true),
        'ENDORSE_STALE',
      );
    } finally {
      h.endorsers = saved;
    }
  });

  it('fails when a needed org has no endorsing peer, or every peer of it fails', async () => {
    const saved = h.endorsers;
    try {
      h.endorsers = [h.honest(net.peers[0]!)];
      await rejectsWith(
        h.gateway.submit(await mintProposal(net, [usd(14n)]), true),
        'GATEWAY_ENDORSEMENT_FAILED',
      );
      h.endorsers = [
        h.honest(net.peers[0]!),
        h.peer('Org2', 'down1', async () => Promise.reject(new Error('down'))),
        h.peer('Org2', 'down2', async () => Promise.reject(new Error('down'))),
      ];
      h.calls.length = 0;
      const err = await rejectsWith(
        h.gateway.submit(await mintProposal(net, [usd(15n)]), true),
        'GATEWAY_ENDORSEMENT_FAILED',
      );
      assert.include(err.message, 'down2');
      assert.sameMembers(h.calls, ['Org1/peer0', 'down1', 'down2']);
    } finally {
      h.endorsers = saved;
    }
  });

  it('refuses proposal bytes it cannot read (GATEWAY_BAD_PROPOSAL)', async () => {
    const sp = await mintProposal(net, [usd(16n)]);
    h.calls.length = 0;
    await rejectsWith(
      h.gateway.submit({ ...sp, proposal: utf8('junk') }, true),
      'GATEWAY_BAD_PROPOSAL',
    );
    assert.deepEqual(h.calls, [], 'no endorser was asked');
  });

  it("status of a txid nobody submitted is 'unknown', waiting or not", async () => {
    const txid = sha256(utf8('nobody'));
    assert.deepEqual(await h.gateway.status(txid, false), { txid, status: 'unknown' });
    const quick = await Harness.open(net, { commitTimeoutMs: 20 });
    try {
      const t0 = Date.now();
      assert.deepEqual(await quick.gateway.status(txid, true), { txid, status: 'unknown' });
      assert.isAtLeast(Date.now() - t0, 15);
    } finally {
      await quick.close();
    }
  });

  it("a waiting submit that sees no commit in time answers 'submitted'", async () => {
    const quick = await Harness.open(net, { commitTimeoutMs: 40 });
    try {
      quick.commit = false;
      const mint = await buildMint(net, [usd(17n)]);
      const t0 = Date.now();
      const s = await quick.gateway.submit(mint.envelope.signedProposal, true);
      assert.deepEqual(s, { txid: mint.txid, status: 'submitted' });
      assert.isAtLeast(Date.now() - t0, 30);
      assert.lengthOf(quick.broadcasts, 1);
      // It commits later: status finds it.
      await quick.append([encodeEnvelope(quick.broadcasts[0]!)]);
      const later = await quick.gateway.status(mint.txid, false);
      assert.equal(later.status, 'committed');
    } finally {
      await quick.close();
    }
  });

  it('propagates a broadcast failure and does not wait', async () => {
    const failing = await Harness.open(net);
    try {
      const g = new Gateway({
        channel: net.channel,
        ledger: failing.ledger,
        commits: failing.commits,
        endorsers: () => failing.endorsers,
        broadcast: async () => {
          throw new PeerError('ORDERER_UNAVAILABLE', 'no orderer answered');
        },
        now: () => net.time,
      });
      await rejectsWith(g.submit(await mintProposal(net, [usd(18n)]), true), 'ORDERER_UNAVAILABLE');
    } finally {
      await failing.close();
    }
  });
});

describe('CommitWatcher', () => {
  let db: NodeDatabase;
  let ledger: ChannelLedger;
  let n: DevNetwork;

  before(async () => {
    n = net;
    db = await openNodeDatabase();
    ledger = await ChannelLedger.open({ db, channel: 'weft', genesis: n.genesis });
  });
  after(async () => {
    await ledger.close();
    await db.close();
  });

  async function commitMint(amount: bigint): Promise<BuiltTx> {
    const mint = await buildMint(n, [usd(amount)]);
    const info = ledger.info();
    const block = await buildBlock(
      n,
      { number: info.height - 1, hash: info.lastHash, timestamp: info.lastTimestamp },
      [mint.bytes],
    );
    await commitBlocks(ledger, n, [block]);
    return mint;
  }

  it('resolves at once for a transaction already committed', async () => {
    const w = new CommitWatcher(ledger);
    const mint = await commitMint(1n);
    assert.isTrue(await w.waitFor(mint.txid, 10_000));
  });

  it('resolves every waiter of a txid once it commits, and leaves the others waiting', async () => {
    const w = new CommitWatcher(ledger);
    const mint = await buildMint(n, [usd(2n)]);
    const other = sha256(utf8('other'));
    const settled: string[] = [];
    const track = (name: string, p: Promise<boolean>) =>
      p.then((found) => {
        settled.push(`${name}:${found}`);
        return found;
      });
    const a = track('a', w.waitFor(mint.txid, 5_000));
    const b = track('b', w.waitFor(mint.txid, 5_000));
    const c = track('c', w.waitFor(other, 5_000));
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(settled, []);

    const info = ledger.info();
    const block = await buildBlock(
      n,
      { number: info.height - 1, hash: info.lastHash, timestamp: info.lastTimestamp },
      [mint.bytes],
    );
    await commitBlocks(ledger, n, [block]);
    w.blockCommitted();
    assert.isTrue(await a);
    assert.isTrue(await b);
    // More commits: nothing is resolved twice, the unrelated waiter still waits.
    w.blockCommitted();
    w.blockCommitted();
    await new Promise((r) => setTimeout(r, 5));
    assert.sameMembers(settled, ['a:true', 'b:true']);
    w.close();
    assert.isFalse(await c);
    assert.sameMembers(settled, ['a:true', 'b:true', 'c:false']);
  });

  it('times out to false, each waiter on its own timer', async () => {
    const w = new CommitWatcher(ledger);
    const txid = sha256(utf8('never'));
    const t0 = Date.now();
    const short = w.waitFor(txid, 15);
    const long = w.waitFor(txid, 60);
    assert.isFalse(await short);
    const shortAt = Date.now() - t0;
    assert.isFalse(await long);
    const longAt = Date.now() - t0;
    assert.isAtLeast(shortAt, 10);
    assert.isAtLeast(longAt, 50);
    assert.isBelow(shortAt, longAt);
  });

  it('close() releases every waiter with false at once and clears its timers', async () => {
    const w = new CommitWatcher(ledger);
    const t0 = Date.now();
    const waits = [1, 2, 3].map((i) => w.waitFor(sha256(utf8(`closing ${i}`)), 4_000));
    await new Promise((r) => setTimeout(r, 5));
    w.close();
    assert.deepEqual(await Promise.all(waits), [false, false, false]);
    assert.isBelow(Date.now() - t0, 1_000);
    // Closing twice, and commits after closing, are harmless.
    w.close();
    w.blockCommitted();
  });

  it('sees a commit that lands while an earlier check is in flight', async () => {
    const txid = sha256(utf8('racing'));
    let committed = false;
    let calls = 0;
    const gates: (() => void)[] = [];
    // A ledger whose reads answer only when the test lets them, and as of when they started.
    const fake = {
      hasTxids: async (txids: readonly Uint8Array[]) => {
        calls++;
        const answer = txids.map(() => committed);
        if (calls > 1) await new Promise<void>((r) => gates.push(r));
        return answer;
      },
    } as unknown as ChannelLedger;
    const w = new CommitWatcher(fake);
    const found = w.waitFor(txid, 5_000);
    await new Promise((r) => setTimeout(r, 1));
    // waitFor's registration started a check (call 2), still in flight.
    assert.equal(calls, 2);
    committed = true;
    w.blockCommitted(); // during the check: must re-check afterwards
    gates.shift()!(); // the first check answers "not yet"
    await new Promise((r) => setTimeout(r, 1));
    assert.equal(calls, 3, 'a second check ran after the first');
    gates.shift()!();
    assert.isTrue(await found);
  });

  it('a ledger failure while checking leaves waiters to time out, without an unhandled rejection', async () => {
    let calls = 0;
    const fake = {
      hasTxids: async (txids: readonly Uint8Array[]) => {
        calls++;
        if (calls > 1) throw new Error('ledger closed');
        return txids.map(() => false);
      },
    } as unknown as ChannelLedger;
    const w = new CommitWatcher(fake);
    assert.isFalse(await w.waitFor(sha256(utf8('x')), 20));
    w.blockCommitted();
  });
});
