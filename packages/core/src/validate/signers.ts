import type { Channel } from '../config/channel.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { verifyDomain } from '../crypto/signing.js';
import type { Certificate } from '../identity/certificate.js';
import { type IdentifyOptions, type Identity, MembershipError } from '../identity/msp.js';
import type { Endorsement } from '../tx/endorsement.js';
import type { SignedProposal } from '../tx/proposal.js';

/** Roles allowed to create proposals. */
export const CREATOR_ROLES = ['client', 'admin', 'cb'] as const;

/** Why a signer does not count: its certificate, or its signature. */
export type SignerCheck =
  | { ok: true; identity: Identity }
  | { ok: false; reason: 'membership'; error: MembershipError }
  | { ok: false; reason: 'signature' };

async function check(
  channel: Channel,
  cert: Certificate,
  identify: IdentifyOptions,
  verify: (publicKey: Uint8Array) => Promise<boolean>,
): Promise<SignerCheck> {
  let identity: Identity;
  try {
    // A certificate seen before (peers' endorsements, returning clients) needs no wait.
    identity =
      channel.msp.identifyKnown(cert, identify) ?? (await channel.msp.identify(cert, identify));
  } catch (err) {
    if (err instanceof MembershipError) return { ok: false, reason: 'membership', error: err };
    throw err;
  }
  return (await verify(identity.publicKey))
    ? { ok: true, identity }
    : { ok: false, reason: 'signature' };
}

/**
 * A proposal's creator is a member allowed to propose (at `at`) and signed
 * it. The orderer's admission, the endorser and VSCC ask the same question.
 */
export function checkCreator(options: {
  channel: Channel;
  creator: Certificate;
  signedProposal: SignedProposal;
  at: number;
  backend?: Ed25519Backend;
}): Promise<SignerCheck> {
  const { signedProposal: sp, backend } = options;
  return check(
    options.channel,
    options.creator,
    { at: options.at, roles: CREATOR_ROLES },
    (publicKey) =>
      verifyDomain({
        publicKey,
        domain: 'proposal',
        bytes: sp.proposal,
        signature: sp.signature,
        backend,
      }),
  );
}

/**
 * An endorsement is by a peer of the channel (of `org`, when given) and
 * signs `payload` (core's endorsementPayload of the proposal and rw-set
 * hashes). VSCC and the gateway ask the same question.
 */
export function checkEndorsement(options: {
  channel: Channel;
  endorsement: Endorsement;
  payload: Uint8Array;
  at: number;
  org?: string;
  backend?: Ed25519Backend;
}): Promise<SignerCheck> {
  const { endorsement: e, payload, backend } = options;
  return check(
    options.channel,
    e.endorser,
    { at: options.at, roles: ['peer'], org: options.org },
    (publicKey) =>
      verifyDomain({
        publicKey,
        domain: 'endorsement',
        bytes: payload,
        signature: e.signature,
        backend,
      }),
  );
}
