import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export type Sha256Function = (data: Uint8Array) => Uint8Array;

let implementation: Sha256Function = nobleSha256;
let implementationName = 'noble';

/** SHA-256, the one hash of the protocol. */
export function sha256(data: Uint8Array): Uint8Array {
  return implementation(data);
}

/**
 * Replaces the SHA-256 implementation (noble by default): @weft/node installs
 * Node's native one, about twice as fast. Any replacement must be SHA-256
 * exactly, return a plain Uint8Array and keep nothing of its input: callers
 * hash scratch buffers they reuse (headers, Merkle nodes, write sets).
 */
export function setSha256Implementation(name: string, fn: Sha256Function): void {
  implementation = fn;
  implementationName = name;
}

export function sha256ImplementationName(): string {
  return implementationName;
}

export const HASH_LENGTH = 32;
