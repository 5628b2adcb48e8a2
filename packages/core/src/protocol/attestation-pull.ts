import { compareBytes, toHex } from '../bytes.js';
import { PUBLIC_KEY_LENGTH } from '../crypto/ed25519.js';
import { type CborValue, decode, encode } from '../encoding/cbor.js';
import {
  readArray,
  readBytes,
  readEnum,
  readRecord,
  readString,
  readUint,
  schemaError,
} from '../encoding/fields.js';

/**
 * `/weft/attestations/1.0.0`: commit-attestation anti-entropy between the
 * peers of a channel, after Fabric gossip's pull (digest, request,
 * response). A peer asks another for a digest of the attestations it holds
 * for a range of blocks (which signers, per block), compares it with its
 * own, and fetches what it lacks, verifying each attestation before it
 * stores it. Members only; the node's PROTOCOLS.md has the rules.
 */

/** Blocks one digest or fetch request covers at most. */
export const MAX_PULL_BLOCKS = 256;
/** Distinct signers a digest lists at most (the channel's peers). */
export const MAX_DIGEST_SIGNERS = 256;
/** Signers one fetch request names at most. */
export const MAX_FETCH_SIGNERS = 64;
/** count x signers of one fetch request: the attestations it can bring at most. */
export const MAX_FETCH_ATTESTATIONS = 4096;
export const MAX_ATTESTATION_PULL_REQUEST_BYTES = 4096;
/** A digest at its bounds: 256 keys, and 256 blocks naming every one of them. */
export const MAX_ATTESTATION_DIGEST_BYTES = 144 * 1024;

export type AttestationPullRequest =
  | { type: 'digest'; channel: string; from: number; count: number }
  | { type: 'fetch'; channel: string; from: number; count: number; signers: Uint8Array[] };

/**
 * What a peer holds for blocks `from..from+count-1`: `blocks[i]` lists, in
 * ascending order, indexes into `signers` (distinct public keys in
 * ascending byte order, each used at least once) of the signers whose
 * attestation of block `from + i` it has. Exactly `count` entries.
 */
export interface AttestationDigest {
  signers: Uint8Array[];
  blocks: number[][];
}

export function encodeAttestationPullRequest(r: AttestationPullRequest): Uint8Array {
  const body: Record<string, CborValue> = {
    type: r.type,
    channel: r.channel,
    from: r.from,
    count: r.count,
  };
  if (r.type === 'fetch') body.signers = r.signers;
  return encode(body);
}

export function decodeAttestationPullRequest(bytes: Uint8Array): AttestationPullRequest {
  const value = decode(bytes, { maxBytes: MAX_ATTESTATION_PULL_REQUEST_BYTES });
  const head = readRecord(value, 'pull', ['type', 'channel', 'from', 'count'], ['signers']);
  const type = readEnum(head.type, 'pull.type', ['digest', 'fetch'] as const);
  const channel = readString(head.channel, 'pull.channel', 64);
  const from = readUint(head.from, 'pull.from');
  const count = readUint(head.count, 'pull.count');
  if (count < 1 || count > MAX_PULL_BLOCKS) schemaError(`pull.count: 1..${MAX_PULL_BLOCKS}`);
  if (!Number.isSafeInteger(from + count)) schemaError('pull.from: too large');
  if (type === 'digest') {
    if (head.signers !== undefined) schemaError('pull: unknown field signers');
    return { type, channel, from, count };
  }
  if (head.signers === undefined) schemaError('pull: missing field signers');
  const signers = readKeys(head.signers, 'pull.signers', MAX_FETCH_SIGNERS);
  if (signers.length === 0) schemaError('pull.signers: empty');
  if (count * signers.length > MAX_FETCH_ATTESTATIONS)
    schemaError(`pull: count x signers above ${MAX_FETCH_ATTESTATIONS}`);
  return { type, channel, from, count, signers };
}

/**
 * The digest of per-block signer keys (any order, no repeats within a
 * block). Past MAX_DIGEST_SIGNERS distinct keys, only the lowest are listed.
 */
export function attestationDigest(perBlock: readonly (readonly Uint8Array[])[]): AttestationDigest {
  const byHex = new Map<string, Uint8Array>();
  for (const keys of perBlock) for (const k of keys) byHex.set(toHex(k), k);
  const signers = [...byHex.values()].sort(compareBytes).slice(0, MAX_DIGEST_SIGNERS);
  const index = new Map(signers.map((k, i) => [toHex(k), i]));
  const indexes = (keys: readonly Uint8Array[]) =>
    keys.flatMap((k) => index.get(toHex(k)) ?? []).sort((a, b) => a - b);
  return { signers, blocks: perBlock.map(indexes) };
}

/** The signer keys a digest lists for each block, in its order. */
export function digestKeys(d: AttestationDigest): Uint8Array[][] {
  return d.blocks.map((b) => b.map((i) => d.signers[i]!));
}

export function encodeAttestationDigest(d: AttestationDigest): Uint8Array {
  return encode({ signers: d.signers, blocks: d.blocks });
}

export function decodeAttestationDigest(bytes: Uint8Array): AttestationDigest {
  const r = readRecord(decode(bytes, { maxBytes: MAX_ATTESTATION_DIGEST_BYTES }), 'digest', [
    'signers',
    'blocks',
  ]);
  const signers = readKeys(r.signers, 'digest.signers', MAX_DIGEST_SIGNERS);
  const used = new Set<number>();
  const blocks = readArray(r.blocks, 'digest.blocks', MAX_PULL_BLOCKS).map((b, n) => {
    const what = `digest.blocks[${n}]`;
    let last = -1;
    return readArray(b, what, signers.length).map((x) => {
      const i = readUint(x, what);
      if (i >= signers.length || i <= last)
        schemaError(`${what}: indexes must ascend below ${signers.length}`);
      last = i;
      used.add(i);
      return i;
    });
  });
  if (used.size !== signers.length) schemaError('digest.signers: a signer no block names');
  return { signers, blocks };
}

/** Public keys in strictly ascending byte order. */
function readKeys(value: unknown, what: string, max: number): Uint8Array[] {
  const keys = readArray(value, what, max).map((k, i) =>
    readBytes(k, `${what}[${i}]`, PUBLIC_KEY_LENGTH),
  );
  for (let i = 1; i < keys.length; i++) {
    if (compareBytes(keys[i - 1]!, keys[i]!) >= 0) schemaError(`${what}: keys must ascend`);
  }
  return keys;
}
