import {
  type Certificate,
  type Channel,
  equalBytes,
  type Hello,
  MembershipError,
  type Role,
  toHex,
} from '@weft/core';
import type { Membership } from '../net/index.js';

/** A node this one knows to be certified, and what it says it does on which channel. */
export interface KnownNode {
  publicKey: Uint8Array;
  cert: Certificate;
  org: string;
  role: Role;
  /** Channels (joined by this node) whose config certifies the node's certificate. */
  channels: Set<string>;
  /** Self-declared roles per channel, from its hello. */
  roles: Map<string, string[]>;
}

const NODE_ROLES: readonly Role[] = ['peer', 'orderer'];

/**
 * Which keys are members, learned from certificates: the orderers named in
 * the joined channels' configs, and nodes whose hello presented a
 * certificate that one of those channels' MSPs accepts. A node is a
 * member of exactly the channels whose org roots certify it, so channel
 * data is served per channel, never to the whole mesh.
 */
export class NodeDirectory implements Membership {
  readonly #channels = new Map<string, Channel>();
  readonly #known = new Map<string, KnownNode>();
  readonly #now: () => number;
  /** Called whenever a node is recorded as certified (first time or again). */
  onMember: (node: KnownNode) => void = () => {};

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Joins a channel: its orderers become known at once. */
  async addChannel(channel: Channel): Promise<void> {
    this.#channels.set(channel.config.channel, channel);
    for (const o of channel.config.orderers) await this.certify(o.cert, []);
  }

  /** Keys known, other than `self`'s. */
  countOthers(self: Uint8Array): number {
    return this.#known.size - (this.isMember(self) ? 1 : 0);
  }

  isMember(publicKey: Uint8Array): boolean {
    return this.#known.has(toHex(publicKey));
  }

  get(publicKey: Uint8Array): KnownNode | undefined {
    return this.#known.get(toHex(publicKey));
  }

  /** Whether `publicKey` belongs to a node certified by `channel`'s config. */
  isChannelMember(channel: string, publicKey: Uint8Array | undefined): boolean {
    return publicKey !== undefined && !!this.get(publicKey)?.channels.has(channel);
  }

  /** Known nodes of `channel` that declared `role` there. */
  nodesOf(channel: string, role: string): KnownNode[] {
    return [...this.#known.values()].filter(
      (n) => n.channels.has(channel) && (n.roles.get(channel) ?? []).includes(role),
    );
  }

  /**
   * A hello received on a connection authenticated as `connectionKey`: the
   * certificate must be for that key (certificates are public; anyone can
   * present someone else's). Returns the record, or undefined.
   */
  introduce(connectionKey: Uint8Array | undefined, hello: Hello): Promise<KnownNode | undefined> {
    if (!connectionKey || !equalBytes(hello.cert.publicKey, connectionKey))
      return Promise.resolve(undefined);
    return this.certify(hello.cert, hello.channels);
  }

  /**
   * Records `cert` if some joined channel certifies it as a peer or
   * orderer; returns the record, or undefined when no channel does.
   */
  async certify(cert: Certificate, declared: Hello['channels']): Promise<KnownNode | undefined> {
    const channels = new Set<string>();
    for (const [name, channel] of this.#channels) {
      try {
        await channel.msp.identify(cert, { at: this.#now(), roles: NODE_ROLES });
        channels.add(name);
      } catch (err) {
        if (!(err instanceof MembershipError)) throw err;
      }
    }
    if (channels.size === 0) return undefined;
    const roles = new Map<string, string[]>();
    for (const d of declared) if (channels.has(d.name)) roles.set(d.name, [...d.roles]);
    if (cert.role === 'orderer') {
      for (const name of channels)
        roles.set(name, [...new Set([...(roles.get(name) ?? []), 'orderer'])]);
    }
    const node: KnownNode = {
      publicKey: cert.publicKey,
      cert,
      org: cert.org,
      role: cert.role,
      channels,
      roles,
    };
    this.#known.set(toHex(cert.publicKey), node);
    this.onMember(node);
    return node;
  }
}
