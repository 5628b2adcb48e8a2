import type { PeerId } from '@libp2p/interface';
import {
  type Attestation,
  type Channel,
  CodecError,
  compareBytes,
  decodeAttestation,
  decodeAttestationDigest,
  digestKeys,
  encodeAttestationPullRequest,
  MAX_ATTESTATION_BYTES,
  MAX_ATTESTATION_DIGEST_BYTES,
  MAX_FETCH_ATTESTATIONS,
  MAX_FETCH_SIGNERS,
  PROTOCOLS,
  toHex,
  verifyAttestation,
  WeftError,
} from '@weft/core';
import type { ChannelLedger } from '../ledger/index.js';
import { callProtocol, NetError, type NodeHost, streamProtocol } from '../net/index.js';
import type { PulledAttestationOutcome } from '../ops/index.js';
import { ourBlockMatcher } from './our-block.js';

/** One peer served something no honest peer sends: penalise it. */
export class PullMisbehaviour extends WeftError {}

export interface ExchangeContext {
  host: NodeHost;
  channel: Channel;
  ledger: ChannelLedger;
  /**
   * What not to fetch again from a peer, `${peer}/${number}/${signer hex}`:
   * what it served that was refused without blame, or listed and withheld.
   * Per peer, so no peer can keep us from fetching an attestation elsewhere.
   */
  refused: { has(key: string): boolean; add(key: string): void };
  counted: (outcome: PulledAttestationOutcome, n?: number) => void;
  now: () => number;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Framing an honest node never produces (as the server side penalises them too). */
const MALFORMED = new Set(['NET_MALFORMED', 'NET_TOO_LARGE']);
/** Certificate problems that time alone explains: skipped, nobody blamed. */
const UNTIMELY = new Set(['CERT_NOT_YET_VALID', 'CERT_EXPIRED']);

/**
 * One pull of blocks `from..from+count-1` (below our height) from `peer`:
 * its digest, the attestations it has and we lack, fetched, checked (asked
 * for, block hash of OUR block, signed by a peer the channel certifies)
 * and stored. Throws PullMisbehaviour when the peer served a malformed
 * digest, something unasked, or a forged attestation (those verified
 * before it are still stored); network failures throw as they are.
 * Returns how many attestations were stored.
 */
export async function exchangeAttestations(
  x: ExchangeContext,
  peer: PeerId,
  from: number,
  count: number,
): Promise<number> {
  const name = x.channel.config.channel;
  const theirs = await guarded(async () => {
    const request = encodeAttestationPullRequest({ type: 'digest', channel: name, from, count });
    const bytes = await callProtocol(x.host, peer, PROTOCOLS.attestations, request, {
      maxResponseBytes: MAX_ATTESTATION_DIGEST_BYTES,
      timeoutMs: x.timeoutMs,
      signal: x.signal,
    });
    const keys = digestKeys(decodeAttestationDigest(bytes));
    if (keys.length !== count) throw misbehaved(`a digest of ${keys.length} blocks, not ${count}`);
    return keys;
  });
  const ours = (await x.ledger.attestationSigners(from, count)).map((b) => new Set(b.map(toHex)));
  const memo = (n: number, hex: string) => `${peer.toString()}/${n}/${hex}`;
  const listed: [number, string][] = [];
  const missing = new Map<string, Uint8Array>();
  for (const [i, keys] of theirs.entries()) {
    for (const k of keys) {
      const hex = toHex(k);
      if (ours[i]!.has(hex) || x.refused.has(memo(from + i, hex))) continue;
      missing.set(hex, k);
      listed.push([from + i, hex]);
    }
  }
  if (missing.size === 0) return 0;
  const signers = [...missing.values()].sort(compareBytes).slice(0, MAX_FETCH_SIGNERS);
  const named = new Set(signers.map(toHex));
  const lo = listed[0]![0];
  const span = Math.min(
    listed.at(-1)![0] - lo + 1,
    Math.floor(MAX_FETCH_ATTESTATIONS / signers.length),
  );
  // What the fetch must bring: listed, lacked, and within what it asks for.
  const due = new Set(
    listed.filter(([n, hex]) => n < lo + span && named.has(hex)).map(([n, hex]) => memo(n, hex)),
  );
  const have = (n: number, hex: string) => ours[n - from]!.has(hex);
  return fetchMissing(x, peer, { from: lo, count: span, signers }, { have, memo, due });
}

async function fetchMissing(
  x: ExchangeContext,
  peer: PeerId,
  ask: { from: number; count: number; signers: Uint8Array[] },
  o: {
    have: (n: number, hex: string) => boolean;
    memo: (n: number, hex: string) => string;
    due: Set<string>;
  },
): Promise<number> {
  const name = x.channel.config.channel;
  const asked = new Set(ask.signers.map(toHex));
  const request = encodeAttestationPullRequest({ type: 'fetch', channel: name, ...ask });
  const good: Attestation[] = [];
  const matches = ourBlockMatcher(x.ledger);
  let last: { n: number; key: Uint8Array } | undefined;
  try {
    await guarded(async () => {
      for await (const bytes of streamProtocol(x.host, peer, PROTOCOLS.attestations, request, {
        maxResponseBytes: MAX_ATTESTATION_BYTES,
        timeoutMs: x.timeoutMs,
        signal: x.signal,
      })) {
        const a = decodeAttestation(bytes);
        const hex = toHex(a.signer.publicKey);
        const n = a.number;
        const inOrder =
          !last || n > last.n || (n === last.n && compareBytes(a.signer.publicKey, last.key) > 0);
        if (
          a.channel !== name ||
          n < ask.from ||
          n >= ask.from + ask.count ||
          !asked.has(hex) ||
          !inOrder
        )
          throw misbehaved(`served an attestation it was not asked for (block ${n})`);
        last = { n, key: a.signer.publicKey };
        const key = o.memo(n, hex);
        o.due.delete(key);
        if (o.have(n, hex) || x.refused.has(key)) continue;
        const verdict = await check(x, a);
        if (verdict === 'forged') {
          x.counted('forged');
          throw misbehaved(`served a forged attestation of block ${n}`);
        }
        // Signed about another block at this height (the signer's fault, not the
        // sender's), or by a certificate not valid now: not stored, nobody blamed.
        const refused =
          verdict === 'expired' ? 'expired' : (await matches(a)) ? undefined : 'mismatch';
        if (refused) {
          x.refused.add(key);
          x.counted(refused);
          continue;
        }
        good.push(a);
      }
      // Listed in its digest, asked for, not served: not asked of this peer again.
      for (const key of o.due) x.refused.add(key);
    });
  } finally {
    if (good.length > 0) {
      await x.ledger.addAttestations(good);
      x.counted('stored', good.length);
    }
  }
  return good.length;
}

/** Verifies as the state topic does (a peer the channel certifies, now; its signature). */
async function check(x: ExchangeContext, a: Attestation): Promise<'ok' | 'forged' | 'expired'> {
  try {
    await verifyAttestation(a, { channel: x.channel, at: x.now() });
    return 'ok';
  } catch (err) {
    if (!(err instanceof WeftError)) throw err;
    return UNTIMELY.has(err.code) ? 'expired' : 'forged';
  }
}

function misbehaved(message: string): PullMisbehaviour {
  return new PullMisbehaviour('GOSSIP_PULL_MISBEHAVIOUR', message);
}

/** Undecodable answers and framing violations are the peer's misbehaviour too. */
async function guarded<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof CodecError) throw misbehaved(`malformed answer: ${err.message}`);
    if (err instanceof NetError && !err.remote && MALFORMED.has(err.code))
      throw misbehaved(`malformed answer: ${err.message}`);
    throw err;
  }
}
