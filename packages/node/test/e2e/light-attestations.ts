// What a node serves light clients of blocks' attestations, for e2e checks.
import { decodeLightAttestations, MAX_LIGHT_ATTESTATIONS_BYTES, toHex } from '@weft/core';
import type { LightSource } from '../../src/client/light-source.js';

/** (block, signer) pairs of blocks 1..height-1 by `keys` that `source`'s node does not serve. */
export async function missingAttestations(source: LightSource, height: number, keys: string[]) {
  let missing = 0;
  for (let n = 1; n < height; n += 8) {
    const numbers = Array.from({ length: 8 }, (_, i) => n + i).filter((x) => x < height);
    const lists = await Promise.all(
      numbers.map(async (number) =>
        decodeLightAttestations(
          await source.call(
            { type: 'attestations', channel: source.channel, number },
            MAX_LIGHT_ATTESTATIONS_BYTES,
          ),
        ),
      ),
    );
    for (const list of lists) {
      const held = new Set(list.map((a) => toHex(a.signer.publicKey)));
      missing += keys.filter((k) => !held.has(k)).length;
    }
  }
  return missing;
}
