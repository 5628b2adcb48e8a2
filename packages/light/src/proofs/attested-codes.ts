import {
  type Attestation,
  attestationsAbout,
  type Channel,
  type Ed25519Backend,
  equalBytes,
  type Identity,
  satisfies,
  toHex,
  verifyAttestation,
  WeftError,
} from '@weft/core';
import type { StoredHeader } from '../chain/store.js';

/**
 * What the channel's peers attest about one verified block's codes.
 * - `attested`: verified attestations by peers satisfying the channel's
 *   attestation policy agree on this block hash and on `codesHash`.
 * - `unattested`: no such set (yet): the codes are unknown.
 * - `conflict`: two sets each satisfying the policy attest different codes
 *   for the block; no verdict can be trusted.
 *
 * A light client cannot compute commitHash (it needs the state), so it
 * groups by codesHash only; commitHash disagreement is the auditor's job.
 */
export interface AttestedCodes {
  status: 'attested' | 'unattested' | 'conflict';
  /** Set when attested. */
  codesHash?: Uint8Array;
  /** The signers behind `codesHash` (attested), else every verified signer. */
  signers: Identity[];
  /** Verified signers that attested something else for this block number. */
  disagreeing: Disagreement[];
  /** Signers that attested two different results for the block: not counted anywhere. */
  equivocating: Identity[];
}

export interface Disagreement {
  signer: Identity;
  blockHash: Uint8Array;
  codesHash: Uint8Array;
}

/** An attestation that verified, and the signer it speaks for. */
export interface VerifiedAttestation {
  who: Identity;
  a: Attestation;
}

/**
 * Failures no honest node can pass on: a signature that does not cover the
 * attested fields, or a certificate its org's root never signed. (A wrong
 * channel, another number, a non-peer or an untimely certificate are only
 * noise: no evidence either way, nobody blamed.)
 */
const FORGED = new Set(['ATTESTATION_SIGNATURE', 'CERT_BAD_SIGNATURE']);

/**
 * Verifies what one node served for block `header`. Each attestation must
 * be signed by a peer certified by the channel's MSP at the block's time;
 * anything else (wrong channel or number, bad signature, a non-member) is
 * left out, as a node can always add noise but cannot forge a signature.
 * `forged` counts the ones that were forgeries (see FORGED).
 */
export async function verifyServed(options: {
  channel: Channel;
  header: StoredHeader;
  attestations: readonly Attestation[];
  backend?: Ed25519Backend;
}): Promise<{ verified: VerifiedAttestation[]; forged: number }> {
  const { channel, header } = options;
  const about = attestationsAbout(
    options.attestations,
    channel.config.channel,
    header.header.number,
  );
  let forged = 0;
  const checked = await Promise.all(
    about.map(async (a): Promise<VerifiedAttestation | undefined> => {
      try {
        const at = header.header.timestamp;
        return { who: await verifyAttestation(a, { channel, at, backend: options.backend }), a };
      } catch (err) {
        if (!(err instanceof WeftError)) throw err;
        if (FORGED.has(err.code)) forged++;
        return undefined;
      }
    }),
  );
  return { verified: checked.filter((v) => v !== undefined), forged };
}

/** Judges the attestations a node served for block `header` (verifyServed, then judgeAttested). */
export async function attestedCodes(options: {
  channel: Channel;
  header: StoredHeader;
  attestations: readonly Attestation[];
  backend?: Ed25519Backend;
}): Promise<AttestedCodes> {
  const { verified } = await verifyServed(options);
  return judgeAttested(options.channel, options.header, verified);
}

/**
 * The verdict on block `header`'s codes from verified attestations, served
 * by one node or gathered from several: a signer counts once per claim, and
 * one with two different claims for the block counts nowhere.
 */
export function judgeAttested(
  channel: Channel,
  header: StoredHeader,
  verified: readonly VerifiedAttestation[],
): AttestedCodes {
  const equivocating = equivocators(verified);
  const groups = new Map<string, { codesHash: Uint8Array; signers: Identity[] }>();
  const disagreeing: Disagreement[] = [];
  const elsewhere = new Set<string>();
  for (const { who, a } of verified) {
    if (equivocating.has(who.id)) continue;
    if (!equalBytes(a.blockHash, header.hash)) {
      // A peer attesting another block at this height: evidence for the auditor, no vote here.
      if (!elsewhere.has(who.id))
        disagreeing.push({ signer: who, blockHash: a.blockHash, codesHash: a.codesHash });
      elsewhere.add(who.id);
      continue;
    }
    const key = toHex(a.codesHash);
    const g = groups.get(key) ?? { codesHash: a.codesHash, signers: [] };
    if (!g.signers.some((s) => s.id === who.id)) g.signers.push(who);
    groups.set(key, g);
  }
  const winners = [...groups.values()].filter((g) =>
    satisfies(channel.policies.attestation, g.signers),
  );
  const everyone = [...groups.values()].flatMap((g) => g.signers);
  const result = { disagreeing, equivocating: [...equivocating.values()] };
  if (winners.length !== 1) {
    return {
      status: winners.length === 0 ? 'unattested' : 'conflict',
      signers: everyone,
      ...result,
    };
  }
  const winner = winners[0]!;
  for (const g of groups.values()) {
    if (g === winner) continue;
    for (const signer of g.signers)
      disagreeing.push({ signer, blockHash: header.hash, codesHash: g.codesHash });
  }
  return { status: 'attested', codesHash: winner.codesHash, signers: winner.signers, ...result };
}

/** Signers with two different (blockHash, codesHash) for one block. */
function equivocators(verified: readonly VerifiedAttestation[]): Map<string, Identity> {
  const seen = new Map<string, string>();
  const out = new Map<string, Identity>();
  for (const { who, a } of verified) {
    const claim = `${toHex(a.blockHash)}/${toHex(a.codesHash)}`;
    const before = seen.get(who.id);
    if (before === undefined) seen.set(who.id, claim);
    else if (before !== claim) out.set(who.id, who);
  }
  return out;
}
