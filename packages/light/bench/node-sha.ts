import { createHash } from 'node:crypto';
import { setSha256Implementation } from '@weft/core';

/**
 * Node's SHA-256 for core, as every Node host of the client installs it
 * (@weft/node does for its entry points); browsers keep core's noble.
 */
export function installNodeSha256(): void {
  setSha256Implementation('native', (data) => {
    const digest = createHash('sha256').update(data).digest();
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  });
}
