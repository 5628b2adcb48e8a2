import {
  type Attestation,
  decodeAttestation,
  encodeAttestation,
  MAX_ATTESTATION_BYTES,
} from '../commit/attestation.js';
import type { Channel } from '../config/channel.js';
import { type Ed25519Backend, SIGNATURE_LENGTH } from '../crypto/ed25519.js';
import { type Signer, verifyDomain } from '../crypto/signing.js';
import { decode, encode } from '../encoding/cbor.js';
import { readBytes, readEnum, readRecord, readString, readUint } from '../encoding/fields.js';
import { WeftError } from '../errors.js';
import { type Certificate, certificateToCbor, readCertificate } from '../identity/certificate.js';
import type { Identity } from '../identity/msp.js';

/**
 * Messages on a channel's state topic (`stateTopic(channel)`): peers'
 * signed alive messages, which carry their height (for pull) and whether
 * they lead their org (for election), and commit attestations. Blocks go
 * on the blocks topic as plain encoded blocks: their authority is the
 * orderer signatures inside.
 */

export type GossipRole = 'leader' | 'follower';

/** What a peer states about itself, about every leader-declare interval. */
export interface AliveBody {
  channel: string;
  /** The peer's committed height (the next block it needs). */
  height: number;
  role: GossipRole;
  /** Strictly increasing per signer (its clock in ms): older or replayed messages are ignored. */
  seq: number;
}

export interface Alive extends AliveBody {
  signer: Certificate;
  signature: Uint8Array;
}

export type StateMessage =
  | { type: 'alive'; alive: Alive }
  | { type: 'attestation'; attestation: Attestation };

export class GossipMessageError extends WeftError {}

const ROLES: readonly GossipRole[] = ['leader', 'follower'];
export const MAX_STATE_MESSAGE_BYTES = 2 * 1024;

function aliveBodyBytes(b: AliveBody): Uint8Array {
  return encode({ channel: b.channel, height: b.height, role: b.role, seq: b.seq });
}

export async function signAlive(
  body: AliveBody,
  signer: Signer,
  cert: Certificate,
): Promise<Alive> {
  const signature = await signer.sign('alive', aliveBodyBytes(body));
  return { ...body, signer: cert, signature };
}

/** Verifies an alive message: a peer of the channel, valid at `at`, signed these exact fields. */
export async function verifyAlive(
  a: Alive,
  options: { channel: Channel; at: number; backend?: Ed25519Backend },
): Promise<Identity> {
  if (a.channel !== options.channel.config.channel) {
    throw new GossipMessageError('GOSSIP_CHANNEL', `alive message for channel ${a.channel}`);
  }
  const who = await options.channel.msp.identify(a.signer, { at: options.at, roles: ['peer'] });
  const ok = await verifyDomain({
    publicKey: a.signer.publicKey,
    domain: 'alive',
    bytes: aliveBodyBytes(a),
    signature: a.signature,
    backend: options.backend,
  });
  if (!ok) throw new GossipMessageError('GOSSIP_SIGNATURE', `bad alive signature by ${who.org}`);
  return who;
}

export function encodeStateMessage(m: StateMessage): Uint8Array {
  if (m.type === 'attestation') {
    return encode({ type: 'attestation', attestation: encodeAttestation(m.attestation) });
  }
  const a = m.alive;
  return encode({
    type: 'alive',
    channel: a.channel,
    height: a.height,
    role: a.role,
    seq: a.seq,
    signer: certificateToCbor(a.signer),
    signature: a.signature,
  });
}

export function decodeStateMessage(bytes: Uint8Array): StateMessage {
  const value = decode(bytes, { maxBytes: MAX_STATE_MESSAGE_BYTES });
  const type = readEnum(readRecord(value, 'state message', ['type'], ALL_FIELDS).type, 'type', [
    'alive',
    'attestation',
  ] as const);
  if (type === 'attestation') {
    const r = readRecord(value, 'attestation message', ['type', 'attestation']);
    return {
      type,
      attestation: decodeAttestation(
        readBytes(r.attestation, 'attestation', undefined, MAX_ATTESTATION_BYTES),
      ),
    };
  }
  const r = readRecord(value, 'alive message', [
    'type',
    'channel',
    'height',
    'role',
    'seq',
    'signer',
    'signature',
  ]);
  return {
    type,
    alive: {
      channel: readString(r.channel, 'alive.channel', 64),
      height: readUint(r.height, 'alive.height'),
      role: readEnum(r.role, 'alive.role', ROLES),
      seq: readUint(r.seq, 'alive.seq'),
      signer: readCertificate(r.signer, 'alive.signer'),
      signature: readBytes(r.signature, 'alive.signature', SIGNATURE_LENGTH),
    },
  };
}

const ALL_FIELDS = ['attestation', 'channel', 'height', 'role', 'seq', 'signer', 'signature'];
