// Chains for the page bench, committed by a real peer: an in-process local
// network (a solo orderer and Org1's peer, each a WeftNode; the peer on
// WebSockets), whose peer is given prepared blocks, signed with the
// orderer's own key as its solo orderer would, through its commit pipeline:
// it verifies, validates (its VSCC pool), attests and stores each as it
// would a delivered block, and serves them to the page over the light
// protocol. Building the blocks here rather than ordering them is what makes
// a 10,000-block chain take seconds instead of hours of batch timeouts.
import { type Block, type ChainTip, type Coin, chainTipOf, toHex, WeftError } from '@weft/core';
import { buildBlock, buildMint, buildSpend, type DevMember, type DevNetwork } from '@weft/core/dev';
import { fabcoinMints } from '../../packages/light/bench/workload.js';
import { type LoadedMember, loadMember } from '../../packages/node/src/material/index.js';
import type { CommitPipeline } from '../../packages/node/src/pipeline/commit-pipeline.js';
import type { UiNetwork } from '../../packages/node/src/up/ui-server.js';
import {
  type LocalNetwork,
  startLocalNetwork,
} from '../../packages/node/test/node/local-network.js';

/** Blocks offered past the peer's height before waiting for it (its reorder window is 256). */
const AHEAD = 128;
/** A peer that commits nothing for this long has rejected a block (its log is silent). */
const STALL_MS = 60_000;

function devMember(m: LoadedMember): DevMember {
  const { org, role } = m.cert;
  return { name: m.name, org, role, secretKey: m.secretKey, signer: m.signer, cert: m.cert };
}

/** The local network's channel and members as core's dev kit builds with them. */
async function devNetworkOf(net: LocalNetwork): Promise<DevNetwork> {
  const load = async (ref: string) => devMember(await loadMember(net.member(ref)));
  const genesis = await net.peer.channels.get('weft')?.ledger?.getBlock(0);
  if (!genesis) throw new WeftError('BENCH_NO_GENESIS', 'the peer has no genesis block');
  return {
    config: net.channel.config,
    channel: net.channel,
    genesis: genesis.block,
    genesisHash: net.genesisHash,
    // Org roots only issue dev members; these members come from the network's material.
    orgs: [],
    peers: [await load('Org1/peer0')],
    orderer: await load('OrdererOrg/orderer0'),
    client: await load('Org1/client0'),
    banks: [await load('CentralBank/cb0')],
    time: Date.now(),
    backend: undefined,
  };
}

/** A running local network and a way to grow its chain through the peer. */
export class BenchNetwork {
  #tip: ChainTip;
  txs = 0;

  private constructor(
    readonly net: LocalNetwork,
    readonly dev: DevNetwork,
    readonly pipeline: CommitPipeline,
  ) {
    this.#tip = chainTipOf(dev.genesis);
  }

  static async start(): Promise<BenchNetwork> {
    const net = await startLocalNetwork();
    try {
      const pipeline = net.peer.channels.get('weft')?.pipeline;
      if (!pipeline) throw new WeftError('BENCH_NO_PEER', 'the peer runs no commit pipeline');
      return new BenchNetwork(net, await devNetworkOf(net), pipeline);
    } catch (err) {
      await net.stop();
      throw err;
    }
  }

  /** Blocks in the chain, genesis included. */
  get height(): number {
    return this.#tip.number + 1;
  }

  /** What the page connects to (network.json of the UI server). */
  get uiNetwork(): UiNetwork {
    return {
      name: 'page bench',
      channel: this.dev.config.channel,
      genesisHash: toHex(this.net.genesisHash),
      nodes: [this.net.peerWs],
      cas: {},
    };
  }

  /** Orders `data` into the next block and hands it to the peer. */
  async append(data: Uint8Array[]): Promise<Block> {
    const block = await buildBlock(this.dev, this.#tip, data);
    this.#tip = chainTipOf(block);
    this.txs += data.length;
    const n = block.header.number;
    if (n >= this.pipeline.height + AHEAD) await this.#committed(n - AHEAD / 2);
    const verdict = this.pipeline.offer(block);
    if (verdict !== 'held')
      throw new WeftError('BENCH_NOT_HELD', `the peer did not take block ${n}: ${verdict}`);
    return block;
  }

  /** Resolves once the peer has committed every block appended. */
  settled(): Promise<void> {
    return this.#committed(this.height);
  }

  async #committed(height: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new WeftError(
              'BENCH_PEER_STALLED',
              `the peer stopped at height ${this.pipeline.height}, short of ${height}`,
            ),
          ),
        STALL_MS,
      );
    });
    try {
      await Promise.race([this.pipeline.waitForHeight(height), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `blocks` blocks of one mint each (a coin to the client). */
  async mintBlocks(blocks: number): Promise<void> {
    const owner = this.dev.client.signer.publicKey;
    for (let i = 0; i < blocks; i++) {
      const mint = await buildMint(this.dev, [{ amount: 1n, owner, label: 'FBC' }]);
      await this.append([mint.bytes]);
    }
    await this.settled();
  }

  /**
   * About `txs` transactions in blocks of the channel's maxTxCount: the
   * light bench's Fabcoin workload (fabcoinMints), mints of coins to the
   * client, then one-in/one-out spends of those coins by their owner. The
   * spends' endorser simulates against the peer's committed state.
   */
  async transferBlocks(txs: number): Promise<void> {
    const perBlock = this.dev.config.ordering.maxTxCount;
    const owner = this.dev.client.signer.publicKey;
    const coin = (): Coin => ({ amount: 10n, owner, label: 'FBC' });
    const inBlocks = async (envelopes: Uint8Array[]) => {
      for (let i = 0; i < envelopes.length; i += perBlock)
        await this.append(envelopes.slice(i, i + perBlock));
      await this.settled();
    };
    const { mints, spendKeys } = await fabcoinMints(this.dev, txs, coin);
    await inBlocks(mints);
    const state = this.net.peer.channels.get('weft')!.ledger!.stateView();
    const spent = await Promise.all(
      spendKeys.map(async (key) => (await buildSpend(this.dev, [key], [coin()], { state })).bytes),
    );
    await inBlocks(spent);
  }

  stop(): Promise<void> {
    return this.net.stop();
  }
}
