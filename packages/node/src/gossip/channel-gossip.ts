import { TopicValidatorResult } from '@libp2p/gossipsub';
import type { PeerId } from '@libp2p/interface';
import {
  type Alive,
  type Attestation,
  type Block,
  blocksTopic,
  type Certificate,
  type Channel,
  decodeBlock,
  decodeStateMessage,
  encodeStateMessage,
  type Signer,
  signAlive,
  stateTopic,
  type TxCode,
  toHex,
  verifyAlive,
  verifyAttestation,
  verifyBlockSeal,
  WeftError,
} from '@weft/core';
import type { Logger } from 'pino';
import type { GossipConfig } from '../config/index.js';
import type { ChannelLedger } from '../ledger/index.js';
import { type NodeHost, peerIdFromEd25519 } from '../net/index.js';
import type { NodeMetrics } from '../ops/index.js';
import type { CommitPipeline } from '../pipeline/commit-pipeline.js';
import { sleep } from '../util/sleep.js';
import { AttestationInbox } from './attestation-inbox.js';
import { LeaderElection } from './leader-election.js';
import { PeerTable } from './peer-table.js';
import { runPulls } from './pulls.js';
import type { PeerHeight } from './state-transfer.js';
import { gossipedAttestation } from './test-faults.js';

export interface ChannelGossipOptions {
  channel: Channel;
  host: NodeHost;
  ledger: ChannelLedger;
  pipeline: CommitPipeline;
  identity: { signer: Signer; cert: Certificate };
  /** Whether `peer` is a node certified by this channel's config. */
  isMember: (peer: PeerId) => boolean;
  config: GossipConfig;
  /** Pulls blocks from the ordering service while this peer leads its org; resolves when `signal` aborts. */
  followOrderer: (
    onBlock: (block: Block, bytes: Uint8Array) => Promise<void>,
    signal: AbortSignal,
  ) => Promise<void>;
  log: Logger;
  metrics: NodeMetrics;
  now?: () => number;
}

/** How far ahead of our height a pushed block is still taken (the pipeline's reorder window is larger). */
const PUSH_WINDOW = 128;

type Verdict = TopicValidatorResult;

/**
 * A peer's gossip on one channel (DESIGN §5 steps 4–6): org leader
 * election, push of blocks on the blocks topic (only the leader pulls
 * from the orderer, and publishes what it gets), pull from peers ahead,
 * and commit attestations on the state topic. Every message is judged by
 * a topic validator before gossipsub forwards it: forged or malformed
 * ones are rejected and their sender cut off.
 */
export class ChannelGossip {
  readonly #o: ChannelGossipOptions;
  readonly #name: string;
  readonly #topics: { blocks: string; state: string };
  readonly #election: LeaderElection;
  readonly #self: string;
  readonly #now: () => number;
  readonly #stop = new AbortController();
  readonly #peers: PeerTable;
  readonly #inbox: AttestationInbox;
  #following?: AbortController;
  #tasks: Promise<void>[] = [];

  constructor(options: ChannelGossipOptions) {
    this.#o = options;
    this.#name = options.channel.config.channel;
    this.#topics = { blocks: blocksTopic(this.#name), state: stateTopic(this.#name) };
    this.#now = options.now ?? Date.now;
    this.#self = toHex(options.identity.cert.publicKey);
    this.#peers = new PeerTable({ forgetAfterMs: options.config.electionTimeoutMs * 10 });
    this.#inbox = new AttestationInbox({ ledger: options.ledger });
    const { staticLeader, electionTimeoutMs } = options.config;
    this.#election = new LeaderElection({
      self: this.#self,
      mode: staticLeader === null ? 'elect' : staticLeader ? 'static-leader' : 'static-follower',
      electionTimeoutMs,
      startedAt: this.#now(),
    });
  }

  get isLeader(): boolean {
    return this.#election.isLeader;
  }

  start(): void {
    const pubsub = this.#o.host.services.pubsub;
    pubsub.topicValidators.set(this.#topics.blocks, (peer, msg) => this.#onBlock(peer, msg.data));
    pubsub.topicValidators.set(this.#topics.state, (peer, msg) => this.#onState(peer, msg.data));
    pubsub.subscribe(this.#topics.blocks);
    pubsub.subscribe(this.#topics.state);
    this.#tasks.push(
      this.#heartbeat(),
      ...runPulls({
        ...this.#o,
        now: this.#now,
        signal: this.#stop.signal,
        peers: () => this.#peerHeights(),
        punish: (peer, reason) => this.#punish(peer, reason),
      }),
    );
  }

  /** Publishes this peer's commit attestation for a block it committed with `codes`. */
  async publishAttestation(attestation: Attestation, codes: readonly TxCode[]): Promise<void> {
    const gossiped = await gossipedAttestation(attestation, codes, this.#o.identity);
    if (!gossiped) return;
    this.#publish(
      this.#topics.state,
      encodeStateMessage({ type: 'attestation', attestation: gossiped }),
      'attestation',
    );
  }

  /** After each commit: gossiped attestations held for the blocks now committed are checked and stored. */
  async blockCommitted(): Promise<void> {
    const { mismatched } = await this.#inbox.settle();
    if (mismatched > 0) {
      this.#o.log.info(
        { mismatched },
        'gossip: attestations of other blocks at our heights dropped',
      );
    }
  }

  async close(): Promise<void> {
    this.#stop.abort();
    this.#following?.abort();
    const pubsub = this.#o.host.services.pubsub;
    for (const topic of Object.values(this.#topics)) {
      pubsub.unsubscribe(topic);
      pubsub.topicValidators.delete(topic);
    }
    await Promise.all(this.#tasks.map((t) => t.catch(() => {})));
  }

  /** Every declare interval: re-run the election, act on it, announce ourselves. */
  async #heartbeat(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      try {
        this.#evaluate();
        await this.#announce();
      } catch (err) {
        this.#o.log.warn({ err }, 'gossip heartbeat failed');
      }
      await sleep(Math.min(this.#o.config.leaderDeclareIntervalMs, 1000), signal);
    }
  }

  #evaluate(): void {
    const was = this.#election.isLeader;
    const leads = this.#election.tick(this.#now());
    this.#o.metrics.setLeader(this.#name, leads);
    this.#o.metrics.setGossipPeers(this.#name, this.#peerHeights().length);
    if (leads && !this.#following) this.#startFollowing();
    if (!leads && this.#following) {
      this.#following.abort();
      this.#following = undefined;
    }
    if (leads !== was) {
      this.#o.log.info(
        { leader: leads },
        leads ? 'became org leader' : 'stepped down as org leader',
      );
    }
  }

  #startFollowing(): void {
    const stop = new AbortController();
    this.#following = stop;
    const { pipeline, metrics } = this.#o;
    const task = this.#o.followOrderer(async (block, bytes) => {
      metrics.blockReceived(this.#name, 'orderer');
      pipeline.offer(block);
      this.#publish(this.#topics.blocks, bytes, 'block');
      // Backpressure: do not read further ahead than the reorder window.
      await pipeline.waitForHeight(block.header.number - 64);
    }, stop.signal);
    this.#tasks.push(
      task.catch((err) => this.#o.log.warn({ err }, 'following the orderer failed')),
    );
  }

  #lastSeq = 0;

  async #announce(): Promise<void> {
    // Strictly increasing even if the clock steps back.
    const seq = Math.max(this.#now(), this.#lastSeq + 1);
    this.#lastSeq = seq;
    const alive = await signAlive(
      {
        channel: this.#name,
        height: this.#o.pipeline.height,
        role: this.#election.isLeader ? 'leader' : 'follower',
        seq,
      },
      this.#o.identity.signer,
      this.#o.identity.cert,
    );
    this.#publish(this.#topics.state, encodeStateMessage({ type: 'alive', alive }), 'alive');
  }

  #publish(topic: string, data: Uint8Array, type: string): void {
    this.#o.host.services.pubsub.publish(topic, data).then(
      () =>
        this.#o.metrics.gossipMessage({
          channel: this.#name,
          direction: 'out',
          type,
          verdict: 'sent',
        }),
      (err: unknown) => this.#o.log.debug({ err, topic }, 'gossip publish failed'),
    );
  }

  #peerHeights(): PeerHeight[] {
    return this.#peers.heights(this.#now(), this.#o.config.electionTimeoutMs);
  }

  async #onBlock(from: PeerId, data: Uint8Array): Promise<Verdict> {
    return this.#judge('block', from, async () => {
      const block = decodeBlock(data);
      const n = block.header.number;
      const height = this.#o.pipeline.height;
      if (n < height || n >= height + PUSH_WINDOW) return TopicValidatorResult.Ignore;
      await verifyBlockSeal({ block, channel: this.#o.channel });
      this.#o.metrics.blockReceived(this.#name, 'push');
      // Our own failure (a stopped pipeline) is not the sender's fault.
      return this.#local('offering a pushed block', () => this.#o.pipeline.offer(block));
    });
  }

  async #onState(from: PeerId, data: Uint8Array): Promise<Verdict> {
    const message = (() => {
      try {
        return decodeStateMessage(data);
      } catch {
        return undefined;
      }
    })();
    const type = message?.type ?? 'state';
    return this.#judge(type, from, async () => {
      if (!message) throw new WeftError('GOSSIP_MALFORMED', 'undecodable state message');
      if (message.type === 'alive') return this.#onAlive(message.alive);
      const a = message.attestation;
      await verifyAttestation(a, { channel: this.#o.channel, at: this.#now() });
      if (a.number >= this.#o.pipeline.height + PUSH_WINDOW) return TopicValidatorResult.Ignore;
      let outcome: string | undefined;
      const verdict = await this.#local('storing an attestation', async () => {
        outcome = await this.#inbox.take(a);
      });
      // Signed about another block at one of our heights: the signer's fault,
      // not the relay's, so nobody is punished, but it goes no further.
      return outcome === 'mismatch' ? TopicValidatorResult.Ignore : verdict;
    });
  }

  async #onAlive(a: Alive): Promise<Verdict> {
    const now = this.#now();
    const who = await verifyAlive(a, { channel: this.#o.channel, at: now });
    const key = toHex(a.signer.publicKey);
    if (key === this.#self) return TopicValidatorResult.Ignore;
    const peer = peerIdFromEd25519(a.signer.publicKey);
    if (!this.#peers.record(key, { peer, height: a.height, seq: a.seq }, now)) {
      return TopicValidatorResult.Ignore;
    }
    if (who.org === this.#o.identity.cert.org) {
      this.#election.heard(key, a.role === 'leader', now);
      this.#evaluate();
    }
    return TopicValidatorResult.Accept;
  }

  /**
   * Runs a validator body: only the channel's members may speak on its
   * topics; a WeftError (malformed, forged, not certified) rejects the
   * message and cuts its sender off; the verdict is counted.
   */
  async #judge(type: string, from: PeerId, body: () => Promise<Verdict>): Promise<Verdict> {
    let verdict: Verdict;
    if (!this.#o.isMember(from)) {
      verdict = TopicValidatorResult.Reject;
    } else {
      try {
        verdict = await body();
      } catch (err) {
        if (!(err instanceof WeftError)) throw err;
        this.#punish(from, `${type} rejected: ${err.code}`);
        verdict = TopicValidatorResult.Reject;
      }
    }
    this.#o.metrics.gossipMessage({
      channel: this.#name,
      direction: 'in',
      type,
      verdict:
        verdict === TopicValidatorResult.Accept
          ? 'accept'
          : verdict === TopicValidatorResult.Reject
            ? 'reject'
            : 'ignore',
    });
    return verdict;
  }

  /** Runs a local step of accepting a message; if it fails the message is ignored, nobody punished. */
  async #local(what: string, step: () => unknown): Promise<Verdict> {
    try {
      await step();
      return TopicValidatorResult.Accept;
    } catch (err) {
      this.#o.log.warn({ err }, `gossip: ${what} failed`);
      return TopicValidatorResult.Ignore;
    }
  }

  #punish(peer: PeerId, reason: string): void {
    const host = this.#o.host;
    this.#o.log.warn({ peer: peer.toString(), reason }, 'gossip: peer misbehaved; disconnected');
    host.services.access.penalise(peer);
    void host.hangUp(peer).catch(() => {});
  }
}
