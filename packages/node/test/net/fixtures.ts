// Shared set-up for the network tests: deterministic keys and real libp2p
// hosts on 127.0.0.1 with ephemeral ports.
import type { Multiaddr } from '@multiformats/multiaddr';
import { signerFromSecret } from '@weft/core';
import { devSecret } from '@weft/core/dev';
import {
  createNodeHost,
  isWebSocketAddr,
  type Membership,
  MutableMembership,
  type NodeHost,
  type NodeHostOptions,
} from '../../src/net/index.js';

export interface TestPeer {
  name: string;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export async function testPeer(seed: string, name: string): Promise<TestPeer> {
  const secretKey = devSecret(seed, name);
  return { name, secretKey, publicKey: (await signerFromSecret(secretKey)).publicKey };
}

export function membershipOf(...peers: TestPeer[]): MutableMembership {
  return new MutableMembership(peers.map((p) => p.publicKey));
}

/** Every test connects from 127.0.0.1 in a burst, which libp2p's per-host rate limit would refuse. */
const TEST_LIMITS = { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 100 };

export const LISTEN_BOTH = { tcp: '/ip4/127.0.0.1/tcp/0', ws: '/ip4/127.0.0.1/tcp/0/ws' };

/** Starts a host and records it so `stopAll` can stop it in an after hook. */
export class HostPool {
  readonly #hosts: NodeHost[] = [];

  async start(
    peer: TestPeer,
    membership: Membership,
    extra: Partial<NodeHostOptions> = {},
  ): Promise<NodeHost> {
    const host = await createNodeHost({
      secretKey: peer.secretKey,
      membership,
      limits: TEST_LIMITS,
      ...extra,
    });
    this.#hosts.push(host);
    return host;
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.#hosts.splice(0).map((h) => h.stop()));
  }
}

export function tcpAddr(host: NodeHost): Multiaddr {
  const a = host.getMultiaddrs().find((m) => !isWebSocketAddr(m));
  if (!a) throw new Error('host has no TCP address');
  return a;
}

export function wsAddr(host: NodeHost): Multiaddr {
  const a = host.getMultiaddrs().find((m) => isWebSocketAddr(m));
  if (!a) throw new Error('host has no WebSocket address');
  return a;
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually(
  check: () => boolean,
  what: string,
  timeoutMs = 3000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A promise with its resolver, for "the handler saw X" checks. */
export function signal<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Rejects if `p` takes longer than `ms`. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
