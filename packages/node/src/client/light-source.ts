import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { Libp2p } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { webSockets } from '@libp2p/websockets';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import {
  type AuditInput,
  decodeLightAttestations,
  decodeLightBlock,
  decodeLightInfo,
  encodeLightRequest,
  type LightRequest,
  MAX_LIGHT_ATTESTATIONS_BYTES,
  MAX_LIGHT_BLOCK_BYTES,
  MAX_LIGHT_INFO_BYTES,
  PROTOCOLS,
  prefetchInOrder,
} from '@weft/core';
import { createLibp2p } from 'libp2p';
import '../net/polyfill.js';
import { callProtocol } from '../net/index.js';

export interface LightSourceOptions {
  /** A full node's multiaddr with /p2p (TCP or WebSockets). */
  peer: string;
  channel: string;
  /** Per request. Default 60 s. */
  timeoutMs?: number;
}

/**
 * `/weft/light/1.0.0` from a client-only libp2p host: it only dials (TCP
 * or WebSockets), so a node treats it as a light client and serves any
 * channel it keeps. Nothing it answers is trusted; core's replay checks it.
 */
export class LightSource {
  private constructor(
    readonly host: Libp2p,
    readonly target: Multiaddr,
    readonly channel: string,
    readonly timeoutMs: number,
  ) {}

  static async connect(o: LightSourceOptions): Promise<LightSource> {
    const host = await createLibp2p({
      transports: [tcp(), webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      // The node to audit is given explicitly (often on loopback); nothing else is dialled.
      connectionGater: { denyDialMultiaddr: () => false },
    });
    return new LightSource(host, multiaddr(o.peer), o.channel, o.timeoutMs ?? 60_000);
  }

  call(request: LightRequest, maxResponseBytes: number): Promise<Uint8Array> {
    return callProtocol(this.host, this.target, PROTOCOLS.light, encodeLightRequest(request), {
      maxResponseBytes,
      timeoutMs: this.timeoutMs,
    });
  }

  async height(): Promise<number> {
    const info = await this.call({ type: 'info', channel: this.channel }, MAX_LIGHT_INFO_BYTES);
    return decodeLightInfo(info).height;
  }

  async input(number: number): Promise<AuditInput> {
    const { channel } = this;
    const [block, list] = await Promise.all([
      this.call({ type: 'block', channel, number }, MAX_LIGHT_BLOCK_BYTES),
      this.call({ type: 'attestations', channel, number }, MAX_LIGHT_ATTESTATIONS_BYTES),
    ]);
    const { block: b, codes } = decodeLightBlock(block);
    return { block: b, codes, attestations: decodeLightAttestations(list), node: this.node };
  }

  get node(): string {
    return (
      this.target.getComponents().find((c) => c.name === 'p2p')?.value ?? this.target.toString()
    );
  }

  /** Blocks 0..height-1 in order, `depth` requests in flight. */
  blocks(height: number, depth: number): AsyncGenerator<AuditInput> {
    return prefetchInOrder(height, depth, (n) => this.input(n));
  }

  async close(): Promise<void> {
    await this.host.stop();
  }
}
