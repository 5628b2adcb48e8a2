import {
  type Attestation,
  decodeAttestation,
  encodeAttestation,
  equalBytes,
  PUBLIC_KEY_LENGTH,
  toHex,
} from '@weft/core';
import { corrupt, guardDecode, guardRead, LedgerError } from './errors.js';
import { asView, attestationKey, readU64, u64 } from './keys.js';
import { type ChannelTables, type LedgerOp, writeBatch } from './tables.js';

/**
 * Range reads and writes of the `attestations` table (LAYOUT.md) for
 * attestation anti-entropy: which signers a peer holds per block (keys
 * only, no values decoded), the attestations of some signers over a range,
 * and a batch of gathered attestations in one write.
 */

function range(from: number, count: number) {
  return { gte: u64(from), lt: u64(from + count) };
}

/** The key's block number and signer, checked against the range read. */
function splitKey(channel: string, key: Uint8Array, from: number, count: number) {
  const number = readU64(key);
  if (key.length !== 8 + PUBLIC_KEY_LENGTH || number === undefined || number < from) {
    throw corrupt(channel, `attestations from block ${from}`, 'a key is not u64(number) || signer');
  }
  if (number >= from + count) throw corrupt(channel, 'attestations', 'a key is out of its range');
  return { number, signer: key.slice(8) };
}

/** For each block `from..from+count-1`: the signer keys of the attestations held, ascending. */
export async function attestationSigners(
  t: ChannelTables,
  channel: string,
  from: number,
  count: number,
): Promise<Uint8Array[][]> {
  const out: Uint8Array[][] = Array.from({ length: count }, () => []);
  const keys = await guardRead(channel, `attestations from block ${from}`, () =>
    t.tables.attestations.keys(range(from, count)).all(),
  );
  for (const k of keys) {
    const { number, signer } = splitKey(channel, asView(k), from, count);
    out[number - from]!.push(signer);
  }
  return out;
}

/** The attestations by any of `signers` of blocks `from..from+count-1`, in (number, signer) order. */
export async function attestationsBy(
  t: ChannelTables,
  channel: string,
  from: number,
  count: number,
  signers: readonly Uint8Array[],
): Promise<Attestation[]> {
  const wanted = new Set(signers.map(toHex));
  const what = `attestations from block ${from}`;
  const entries = await guardRead(channel, what, () =>
    t.tables.attestations.iterator(range(from, count)).all(),
  );
  const out: Attestation[] = [];
  for (const [k, v] of entries) {
    const { number, signer } = splitKey(channel, asView(k), from, count);
    if (!wanted.has(toHex(signer))) continue;
    out.push(
      guardDecode(channel, what, () => {
        const a = decodeAttestation(asView(v));
        if (a.number !== number || a.channel !== channel || !equalBytes(a.signer.publicKey, signer))
          throw corrupt(channel, what, 'an attestation is filed under the wrong key');
        return a;
      }),
    );
  }
  return out;
}

/** Stores verified attestations of this channel in one batch (a signer's later one replaces its earlier). */
export async function putAttestations(
  t: ChannelTables,
  channel: string,
  list: readonly Attestation[],
): Promise<void> {
  const ops: LedgerOp[] = list.map((a) => {
    if (a.channel !== channel)
      throw new LedgerError('LEDGER_CHANNEL', `attestation of channel ${a.channel}`);
    return {
      type: 'put',
      table: 'attestations',
      key: attestationKey(a.number, a.signer.publicKey),
      value: encodeAttestation(a),
    };
  });
  if (ops.length > 0) await writeBatch(t, ops);
}
