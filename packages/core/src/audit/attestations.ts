import { equalBytes, toHex } from '../bytes.js';
import {
  type Attestation,
  type AttestationBody,
  verifyAttestation,
} from '../commit/attestation.js';
import { type Channel, satisfies } from '../config/channel.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { WeftError } from '../errors.js';
import type { Identity } from '../identity/msp.js';
import type { AttestedField, AuditDisagreement } from './report.js';

const FIELDS: readonly AttestedField[] = ['blockHash', 'codesHash', 'commitHash'];

export interface AttestationVerdict {
  /** Signers that agree with the replay satisfy the channel's attestation policy. */
  satisfied: boolean;
  agreeing: Identity[];
  disagreements: AuditDisagreement[];
}

/**
 * Judges the attestations served for one block against what the replay
 * computed (`expected`). Only an attestation that verifies (a peer of the
 * channel, certified at the block's time, signature over these fields)
 * speaks for its signer; anything else is noise a node can always add and
 * is ignored. An attestation filed under this block but naming another
 * number is not about this block, so it is no evidence either. A signer
 * that attested both the replay's result and something else counts as
 * disagreeing only (its word for the block is worthless).
 */
export async function judgeAttestations(options: {
  channel: Channel;
  expected: AttestationBody;
  attestations: readonly Attestation[];
  at: number;
  backend?: Ed25519Backend;
  /** verifyAttestations of attestationsAbout(...) this block, when started earlier. */
  verified?: Promise<(Identity | undefined)[]>;
}): Promise<AttestationVerdict> {
  const { channel, expected } = options;
  const agreeing = new Map<string, Identity>();
  const disagreeing = new Set<string>();
  const disagreements: AuditDisagreement[] = [];
  const reported = new Set<string>();
  const about = attestationsAbout(options.attestations, expected.channel, expected.number);
  const verified = await (options.verified ?? verifyAttestations(about, options));
  for (const [i, a] of about.entries()) {
    const who = verified[i];
    if (!who) continue;
    const fields = FIELDS.filter((f) => !equalBytes(a[f], expected[f]));
    if (fields.length === 0) {
      agreeing.set(who.id, who);
      continue;
    }
    disagreeing.add(who.id);
    const attested = hexFields(a);
    // A node may serve the same signed claim twice; it is one disagreement.
    const key = `${who.id}/${attested.blockHash}/${attested.codesHash}/${attested.commitHash}`;
    if (reported.has(key)) continue;
    reported.add(key);
    disagreements.push({
      block: expected.number,
      signer: { org: who.org, role: who.role, key: who.id },
      fields,
      attested,
      expected: hexFields(expected),
    });
  }
  const honest = [...agreeing.values()].filter((who) => !disagreeing.has(who.id));
  return {
    satisfied: satisfies(channel.policies.attestation, honest),
    agreeing: honest,
    disagreements,
  };
}

/**
 * The attestations filed under a block that are about it: one naming
 * another number or channel is no evidence for this block either way.
 */
export function attestationsAbout(
  list: readonly Attestation[],
  channel: string,
  number: number,
): Attestation[] {
  return list.filter((a) => a.number === number && a.channel === channel);
}

/**
 * Who signed each attestation, or undefined where it does not verify. The
 * signatures do not depend on what the replay computes, so an auditor
 * starts them with the block rather than after it (judgeAttestations'
 * `verified`); all at once, as a backend may verify them in parallel.
 */
export function verifyAttestations(
  attestations: readonly Attestation[],
  options: { channel: Channel; at: number; backend?: Ed25519Backend },
): Promise<(Identity | undefined)[]> {
  return Promise.all(
    attestations.map((a) =>
      verifyAttestation(a, options).catch((err: unknown) => {
        if (err instanceof WeftError) return undefined;
        throw err;
      }),
    ),
  );
}

function hexFields(b: AttestationBody): Record<AttestedField, string> {
  return {
    blockHash: toHex(b.blockHash),
    codesHash: toHex(b.codesHash),
    commitHash: toHex(b.commitHash),
  };
}
