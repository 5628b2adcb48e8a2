import { toHex } from '@weft/core';

/**
 * Who may join the TCP mesh and call 'members' protocols. The caller decides
 * from the joined channels' configs (a key certified by any joined channel's
 * org roots); the network layer only asks.
 */
export interface Membership {
  isMember(publicKey: Uint8Array): boolean;
}

/** A replaceable set of member keys: swap it whenever a channel is joined or reconfigured. */
export class MutableMembership implements Membership {
  #keys = new Set<string>();

  constructor(publicKeys: Iterable<Uint8Array> = []) {
    this.replace(publicKeys);
  }

  isMember(publicKey: Uint8Array): boolean {
    return this.#keys.has(toHex(publicKey));
  }

  /** Atomically replaces the whole set, so a check never sees a half-updated membership. */
  replace(publicKeys: Iterable<Uint8Array>): void {
    const next = new Set<string>();
    for (const k of publicKeys) next.add(toHex(k));
    this.#keys = next;
  }

  add(publicKey: Uint8Array): void {
    this.#keys.add(toHex(publicKey));
  }

  remove(publicKey: Uint8Array): void {
    this.#keys.delete(toHex(publicKey));
  }

  get size(): number {
    return this.#keys.size;
  }
}
