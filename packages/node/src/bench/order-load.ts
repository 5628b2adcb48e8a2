import { setTimeout as sleep } from 'node:timers/promises';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import {
  blockHash,
  type Channel,
  decodeBlock,
  decodeBroadcastAck,
  encodeBlocksRequest,
  encodeBroadcastRequest,
  encodeHello,
  MAX_BLOCK_BYTES,
  MAX_BROADCAST_REQUEST,
  MAX_HELLO_BYTES,
  MAX_SMALL_MESSAGE,
  PROTOCOLS,
  toHex,
  WeftError,
} from '@weft/core';
import type { LoadedMember } from '../material/member.js';
import {
  callProtocol,
  createNodeHost,
  MutableMembership,
  type NodeHost,
  serveProtocol,
  streamProtocol,
} from '../net/index.js';
import { envelopeKey } from './order-envelopes.js';
import { latencySummary, round } from './stats.js';

/** Pause of a broadcasting worker after a failure (OrdererClient's default retry delay). */
const FAILURE_PAUSE_MS = 500;

/** An orderer accepts this many concurrent broadcast streams per connection (node/handlers.ts). */
export const BROADCAST_STREAMS_PER_CONNECTION = 1024;

/**
 * libp2p hosts with peers' keys, each connected to every orderer and
 * introduced by hello: what a gateway is to the ordering service.
 */
export async function connectBroadcasters(o: {
  identities: readonly LoadedMember[];
  channel: Channel;
}): Promise<{ hosts: NodeHost[]; orderers: Multiaddr[]; close(): Promise<void> }> {
  const orderers = o.channel.config.orderers.map((x) => multiaddr(x.address));
  const keys = o.channel.config.orderers.map((x) => x.cert.publicKey);
  const hosts: NodeHost[] = [];
  const close = async () => {
    await Promise.allSettled(hosts.map((h) => h.stop()));
  };
  try {
    for (const id of o.identities) {
      const host = await createNodeHost({
        secretKey: id.secretKey,
        membership: new MutableMembership(keys),
      });
      hosts.push(host);
      // A node serves broadcast too, which is what lets it open that many
      // streams of it; this host orders nothing and says so.
      await serveProtocol(host, PROTOCOLS.broadcast, {
        access: 'members',
        maxRequestBytes: MAX_BROADCAST_REQUEST,
        timeoutMs: 1_000,
        maxOutboundStreams: BROADCAST_STREAMS_PER_CONNECTION,
        handler: () => {
          throw new WeftError('NODE_NOT_ORDERER', 'a benchmark client orders nothing');
        },
      });
      for (const target of orderers) {
        await callProtocol(
          host,
          target,
          PROTOCOLS.hello,
          encodeHello({ cert: id.cert, channels: [] }),
          {
            maxResponseBytes: MAX_HELLO_BYTES,
            timeoutMs: 10_000,
          },
        );
      }
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { hosts, orderers, close };
}

/**
 * Broadcasts every envelope once over /weft/broadcast, `inFlight` at a
 * time (closed loop), spread evenly over every host and orderer pair;
 * latency is from sending the request to the acknowledgement (the
 * orderer has stored the block holding it). A failed broadcast is counted
 * by code and not retried.
 */
export async function broadcastAll(o: {
  hosts: readonly NodeHost[];
  orderers: readonly Multiaddr[];
  channel: string;
  envelopes: readonly Uint8Array[];
  inFlight: number;
  log?: (line: string) => void;
}) {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let next = 0;
  let lastAck = 0;
  const start = performance.now();
  const worker = async (w: number) => {
    const host = o.hosts[w % o.hosts.length]!;
    const target = o.orderers[Math.floor(w / o.hosts.length) % o.orderers.length]!;
    while (next < o.envelopes.length) {
      const envelope = o.envelopes[next++]!;
      const t = performance.now();
      try {
        const reply = await callProtocol(
          host,
          target,
          PROTOCOLS.broadcast,
          encodeBroadcastRequest({ channel: o.channel, envelope }),
          { maxResponseBytes: MAX_SMALL_MESSAGE, timeoutMs: 60_000 },
        );
        decodeBroadcastAck(reply);
        lastAck = performance.now();
        latencies.push(lastAck - t);
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'ERROR';
        if (!failures.has(code)) o.log?.(`first ${code}: ${(err as Error).message}`);
        failures.set(code, (failures.get(code) ?? 0) + 1);
        // As a gateway pauses before its next attempt: an outage must not
        // use up the remaining envelopes in a burst of instant failures.
        await sleep(FAILURE_PAUSE_MS);
      }
    }
  };
  await Promise.all(Array.from({ length: o.inFlight }, (_, w) => worker(w)));
  latencies.sort((a, b) => a - b);
  const seconds = (lastAck - start) / 1000;
  return {
    start,
    sent: o.envelopes.length,
    acked: latencies.length,
    failed: o.envelopes.length - latencies.length,
    failures: Object.fromEntries(failures),
    /** Acknowledgements per second, first send to last acknowledgement. */
    ackThroughput: round(seconds > 0 ? latencies.length / seconds : 0, 1),
    latencyMs: latencySummary(latencies),
  };
}

/** What one orderer delivered from a height on: block hashes, and how often each key appeared. */
export interface Delivered {
  hashes: string[];
  /** Envelope key -> times seen in a delivered block. */
  seen: Map<string, number>;
  /** Envelopes in those blocks that are none of `keys`. */
  foreign: number;
  /** performance.now() when the last block holding one of `keys` arrived. */
  lastOurs: number;
  /** Resolves once every key has been seen (and never when one is missing). */
  allSeen: Promise<void>;
  /** Ends with the stream: once `signal` aborts (rejects if it failed before). */
  done: Promise<void>;
}

/**
 * Follows one orderer's /weft/deliver stream from `from`, recording every
 * block, until `signal` aborts: kept on after every key was seen, so a
 * copy ordered again later would still be counted. A stream that breaks is
 * asked again from the next block, as a peer would.
 */
export function followDeliver(o: {
  host: NodeHost;
  orderer: Multiaddr;
  channel: string;
  from: number;
  keys: ReadonlySet<string>;
  signal: AbortSignal;
  log?: (line: string) => void;
}): Delivered {
  let resolveSeen = () => {};
  const allSeen = new Promise<void>((resolve) => {
    resolveSeen = resolve;
  });
  const d: Delivered = {
    hashes: [],
    seen: new Map(),
    foreign: 0,
    lastOurs: 0,
    allSeen,
    done: Promise.resolve(),
  };
  const record = (bytes: Uint8Array) => {
    const block = decodeBlock(bytes);
    d.hashes.push(toHex(blockHash(block.header)));
    let ours = false;
    for (const envelope of block.data) {
      const key = envelopeKey(envelope);
      if (!o.keys.has(key)) d.foreign += 1;
      else {
        ours = true;
        d.seen.set(key, (d.seen.get(key) ?? 0) + 1);
      }
    }
    if (ours) d.lastOurs = performance.now();
    if (d.seen.size === o.keys.size) resolveSeen();
  };
  d.done = (async () => {
    while (!o.signal.aborted) {
      const request = encodeBlocksRequest({ channel: o.channel, from: o.from + d.hashes.length });
      try {
        for await (const bytes of streamProtocol(o.host, o.orderer, PROTOCOLS.deliver, request, {
          maxResponseBytes: MAX_BLOCK_BYTES,
          timeoutMs: Number.POSITIVE_INFINITY,
          signal: o.signal,
        }))
          record(bytes);
      } catch (err) {
        if (o.signal.aborted) return;
        o.log?.(`deliver from ${o.orderer.toString()} broke (${(err as Error).message}); resuming`);
      }
      await sleep(250, undefined, { signal: o.signal }).catch(() => {});
    }
  })();
  return d;
}
