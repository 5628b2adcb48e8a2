import { type Attestation, equalBytes } from '@weft/core';
import type { ChannelLedger } from '../ledger/index.js';

/**
 * Whether an attestation is about OUR block at its height (committed here,
 * same hash): the check every attestation passes before it is stored,
 * gossiped or pulled, since a light client asking this node blames
 * whatever does not match the header it verified. Each height's hash is
 * read once per matcher.
 */
export function ourBlockMatcher(
  ledger: Pick<ChannelLedger, 'getBlockHead'>,
): (a: Pick<Attestation, 'number' | 'blockHash'>) => Promise<boolean> {
  const hashes = new Map<number, Promise<Uint8Array | undefined>>();
  return async (a) => {
    let ours = hashes.get(a.number);
    if (!ours) {
      ours = ledger.getBlockHead(a.number).then((head) => head?.hash);
      hashes.set(a.number, ours);
    }
    const hash = await ours;
    return hash !== undefined && equalBytes(hash, a.blockHash);
  };
}
