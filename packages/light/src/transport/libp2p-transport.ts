import './polyfill.js';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { Libp2p } from '@libp2p/interface';
import { webSockets } from '@libp2p/websockets';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import {
  type Attestation,
  CodecError,
  decodeLightAttestations,
  decodeLightBlock,
  decodeLightCoinPage,
  decodeLightHeader,
  decodeLightInfo,
  decodeLightTx,
  decodeTxStatus,
  encodeGatewayRequest,
  encodeLightRequest,
  equalBytes,
  type GatewayRequest,
  type LightBlock,
  type LightCoinPage,
  type LightHeader,
  type LightInfo,
  type LightRequest,
  type LightTx,
  MAX_ENROLL_RESPONSE_BYTES,
  MAX_LIGHT_ATTESTATIONS_BYTES,
  MAX_LIGHT_BLOCK_BYTES,
  MAX_LIGHT_COINS_BYTES,
  MAX_LIGHT_HEADER_BYTES,
  MAX_LIGHT_INFO_BYTES,
  MAX_LIGHT_TX_BYTES,
  MAX_SMALL_MESSAGE,
  PROTOCOLS,
  type SignedProposal,
  type TxStatus,
  type WeftError,
} from '@weft/core';
import { createLibp2p, type Libp2pOptions } from 'libp2p';
import type { EnrollTransport } from '../enroll/enroll.js';
import { TransportError } from '../errors.js';
import { type FailoverPolicy, failover, failoverStream } from './failover.js';
import { ConnectionKeeper, type KeepConnectedOptions, onPeerEvents } from './keep-connected.js';
import { NodeSet } from './node-set.js';
import { requestFrames, requestOne } from './stream-call.js';
import type { Answer, CallOptions, GatherOptions, LightTransport } from './transport.js';

export type { KeepConnectedOptions } from './keep-connected.js';

export interface Libp2pTransportOptions {
  channel: string;
  /** Full nodes' multiaddrs, each ending in /p2p/<PeerId>; asked in this order at first. */
  nodes: readonly (string | Multiaddr)[];
  /** Transports besides WebSockets (e.g. TCP from Node code). */
  transports?: Libp2pOptions['transports'];
  /** One call: dial, request and answer. Default 20 s. */
  timeoutMs?: number;
  /** A gateway call that waits for the commit. Default 120 s. */
  waitTimeoutMs?: number;
  /**
   * Hold a connection open to every node, redialling those that drop with
   * backoff until close() (keep-connected.ts): for a page that shows which
   * nodes it reaches. Off by default, when only the nodes asked are dialled.
   */
  keepConnected?: boolean | KeepConnectedOptions;
}

/** Per-stream receive window; the read buffer is twice it, as on the node (PROTOCOLS.md). */
const STREAM_WINDOW = 4 << 20;

/**
 * A LightTransport over libp2p: a client-only host (no listener; WebSockets
 * by default, as in a browser) that opens one stream per call to one of the
 * given full nodes and fails over between them (see failover.ts). Answers
 * are decoded with core's bounded decoders; nothing is verified here.
 */
export class Libp2pTransport implements LightTransport {
  readonly channel: string;
  readonly #host: Libp2p;
  readonly #nodes: NodeSet<Multiaddr>;
  readonly #timeoutMs: number;
  readonly #waitTimeoutMs: number;
  readonly #keeper: ConnectionKeeper | undefined;

  private constructor(host: Libp2p, nodes: NodeSet<Multiaddr>, o: Libp2pTransportOptions) {
    this.#host = host;
    this.#nodes = nodes;
    this.channel = o.channel;
    this.#timeoutMs = o.timeoutMs ?? 20_000;
    this.#waitTimeoutMs = o.waitTimeoutMs ?? 120_000;
    if (o.keepConnected) {
      this.#keeper = new ConnectionKeeper(host, nodes.order(), {
        ...(o.keepConnected === true ? {} : o.keepConnected),
        dialTimeoutMs: this.#timeoutMs,
      });
      this.#keeper.start();
    }
  }

  static async create(options: Libp2pTransportOptions): Promise<Libp2pTransport> {
    const nodes = new NodeSet(options.nodes.map(nodeEntry));
    const host = await createLibp2p({
      addresses: { listen: [] },
      transports: [webSockets(), ...(options.transports ?? [])],
      connectionEncrypters: [noise()],
      streamMuxers: [
        yamux({
          streamOptions: {
            maxStreamWindowSize: STREAM_WINDOW,
            maxReadBufferLength: 2 * STREAM_WINDOW,
          },
        }),
      ],
      // Only the configured full nodes are dialled, and a dev network is on
      // loopback over ws://, which the default browser gater refuses.
      connectionGater: { denyDialMultiaddr: () => false },
    });
    return new Libp2pTransport(host, nodes, options);
  }

  nodes(): readonly string[] {
    return this.#nodes.ids();
  }

  blame(node: string, _reason: WeftError): void {
    this.#nodes.blame(node);
  }

  /** The full nodes (PeerIds) this host holds an open connection to now, e.g. for a UI. */
  connectedNodes(): string[] {
    const open = new Set(this.#host.getConnections().map((c) => c.remotePeer.toString()));
    return this.#nodes.ids().filter((id) => open.has(id));
  }

  /**
   * Calls `listener` with connectedNodes() each time a node gets its first
   * open connection or loses its last one; returns the unsubscribe.
   */
  onConnectionChange(listener: (connected: string[]) => void): () => void {
    const ids = new Set(this.#nodes.ids());
    const changed = (peer: string) => {
      if (ids.has(peer)) listener(this.connectedNodes());
    };
    return onPeerEvents(this.#host, { connect: changed, disconnect: changed });
  }

  /** `/weft/enroll/1.0.0` to one CA node (an org's node that runs its CA) over this host. */
  enrollTransport(ca: string | Multiaddr): EnrollTransport {
    const { target } = nodeEntry(ca);
    return {
      request: (protocol, bytes) =>
        requestOne(this.#host, target, protocol, bytes, {
          maxDataBytes: MAX_ENROLL_RESPONSE_BYTES,
          timeoutMs: this.#timeoutMs,
        }),
    };
  }

  async close(): Promise<void> {
    // First, so the connections host.stop() closes are not redialled.
    this.#keeper?.stop();
    await this.#host.stop();
  }

  info(o?: CallOptions): Promise<Answer<LightInfo>> {
    const r: LightRequest = { type: 'info', channel: this.channel };
    return this.#light(r, MAX_LIGHT_INFO_BYTES, decodeLightInfo, o);
  }

  block(number: number, o?: CallOptions): Promise<Answer<LightBlock>> {
    const r: LightRequest = { type: 'block', channel: this.channel, number };
    return this.#light(r, MAX_LIGHT_BLOCK_BYTES, decodeLightBlock, o);
  }

  tx(txid: Uint8Array, o?: CallOptions): Promise<Answer<LightTx>> {
    const r: LightRequest = { type: 'tx', channel: this.channel, txid };
    return this.#light(r, MAX_LIGHT_TX_BYTES, decodeLightTx, o);
  }

  attestations(number: number, o?: GatherOptions): Promise<Answer<Attestation[]>> {
    const r: LightRequest = { type: 'attestations', channel: this.channel, number };
    return this.#light(r, MAX_LIGHT_ATTESTATIONS_BYTES, decodeLightAttestations, o);
  }

  coins(
    owner: Uint8Array,
    limit: number,
    after?: string,
    o?: CallOptions,
  ): Promise<Answer<LightCoinPage>> {
    const r: LightRequest = { type: 'coins', channel: this.channel, owner, limit };
    if (after !== undefined) r.after = after;
    return this.#light(r, MAX_LIGHT_COINS_BYTES, decodeLightCoinPage, o);
  }

  submit(
    signedProposal: SignedProposal,
    wait: boolean,
    o?: CallOptions,
  ): Promise<Answer<TxStatus>> {
    const r: GatewayRequest = { type: 'submit', channel: this.channel, signedProposal, wait };
    return this.#gateway(r, wait, 'submit', o);
  }

  status(txid: Uint8Array, wait: boolean, o?: CallOptions): Promise<Answer<TxStatus>> {
    const r: GatewayRequest = { type: 'status', channel: this.channel, txid, wait };
    return this.#gateway(r, wait, 'read', o, (s) => {
      if (!equalBytes(s.txid, txid)) throw new CodecError('CODEC_SCHEMA', 'status of another tx');
    });
  }

  headers(
    from: number,
    count: number,
    o: CallOptions = {},
  ): AsyncGenerator<Answer<LightHeader>, void, undefined> {
    return failoverStream({
      nodes: this.#nodes,
      what: `headers from ${from}`,
      signal: o.signal,
      open: (entry, yielded) =>
        this.#headerFrames(entry.target, from + yielded, count - yielded, o.signal),
    });
  }

  async *#headerFrames(target: Multiaddr, from: number, count: number, signal?: AbortSignal) {
    const request = encodeLightRequest({ type: 'headers', channel: this.channel, from, count });
    const frames = requestFrames(this.#host, target, PROTOCOLS.light, request, {
      maxDataBytes: MAX_LIGHT_HEADER_BYTES,
      openTimeoutMs: this.#timeoutMs,
      frameTimeoutMs: this.#timeoutMs,
      signal,
    });
    // A frame that does not decode is this node's fault (failoverStream blames it).
    for await (const frame of frames) yield decodeLightHeader(frame);
  }

  #light<T>(
    request: LightRequest,
    maxDataBytes: number,
    decode: (bytes: Uint8Array) => T,
    o?: GatherOptions,
  ): Promise<Answer<T>> {
    return this.#call(PROTOCOLS.light, encodeLightRequest(request), maxDataBytes, decode, {
      what: request.type,
      policy: 'read',
      timeoutMs: this.#timeoutMs,
      signal: o?.signal,
      skip: o?.skip,
    });
  }

  #gateway(
    request: GatewayRequest,
    wait: boolean,
    policy: FailoverPolicy,
    o?: CallOptions,
    check: (s: TxStatus) => void = () => {},
  ): Promise<Answer<TxStatus>> {
    const bytes = encodeGatewayRequest(request);
    const decode = (b: Uint8Array) => {
      const s = decodeTxStatus(b);
      check(s);
      return s;
    };
    return this.#call(PROTOCOLS.gateway, bytes, MAX_SMALL_MESSAGE, decode, {
      what: request.type,
      policy,
      timeoutMs: wait ? this.#waitTimeoutMs : this.#timeoutMs,
      signal: o?.signal,
    });
  }

  /** Decoding is part of the attempt: bytes that do not decode are that node's fault (failover.ts). */
  #call<T>(
    protocol: string,
    request: Uint8Array,
    maxDataBytes: number,
    decode: (bytes: Uint8Array) => T,
    c: {
      what: string;
      policy: FailoverPolicy;
      timeoutMs: number;
      signal?: AbortSignal;
      skip?: ReadonlySet<string>;
    },
  ): Promise<Answer<T>> {
    return failover({
      nodes: this.#nodes,
      what: c.what,
      policy: c.policy,
      signal: c.signal,
      skip: c.skip,
      attempt: async (entry) =>
        decode(
          await requestOne(this.#host, entry.target, protocol, request, {
            maxDataBytes,
            timeoutMs: c.timeoutMs,
            signal: c.signal,
          }),
        ),
    });
  }
}

function nodeEntry(address: string | Multiaddr): { id: string; target: Multiaddr } {
  const target = typeof address === 'string' ? multiaddr(address) : address;
  const p2p = target.getComponents().findLast((c) => c.name === 'p2p');
  if (!p2p?.value) {
    throw new TransportError('LIGHT_BAD_ADDRESS', `${target.toString()} does not end in /p2p/<id>`);
  }
  return { id: p2p.value, target };
}
