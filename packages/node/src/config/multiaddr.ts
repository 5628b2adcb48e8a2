import { publicKeyFromRaw } from '@libp2p/crypto/keys';
import { peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import type { FieldReader } from './fields.js';

export interface MultiaddrRules {
  /** 'tcp': plain TCP (node to node); 'ws': WebSocket (ws or wss, for browsers). */
  transport?: 'tcp' | 'ws';
  /**
   * 'required' for addresses we dial (Noise must check we reached the right
   * key), 'forbidden' for listen addresses and specs written before keys exist.
   */
  peerId?: 'required' | 'forbidden' | 'optional';
}

const HOSTS = ['ip4', 'ip6', 'dns', 'dns4', 'dns6'];

/** Reads and normalises a multiaddr string, checking its shape against `rules`. */
export function readMultiaddr(
  reader: FieldReader,
  value: unknown,
  field: string,
  rules: MultiaddrRules = {},
): string {
  const text = reader.string(value, field, { max: 512 });
  let ma: Multiaddr;
  try {
    ma = multiaddr(text);
  } catch (err) {
    reader.fail(field, `not a multiaddr: ${(err as Error).message}`);
  }
  const names = ma.getComponents().map((c) => c.name);
  if (!HOSTS.includes(names[0] ?? '') || names[1] !== 'tcp') {
    reader.fail(field, `${text} must start with /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>`);
  }
  const isWs = names.includes('ws') || names.includes('wss');
  if (rules.transport === 'tcp' && isWs) reader.fail(field, `${text} is a WebSocket address`);
  if (rules.transport === 'ws' && !isWs) reader.fail(field, `${text} needs /ws or /wss`);
  const last = ma.getComponents().at(-1);
  const hasId = last?.name === 'p2p';
  const peerId = rules.peerId ?? 'optional';
  if (peerId === 'required' && !hasId) reader.fail(field, `${text} must end with /p2p/<peer id>`);
  if (peerId === 'forbidden' && names.includes('p2p')) {
    reader.fail(field, `${text} must not name a peer id (/p2p/...)`);
  }
  if (hasId) {
    let type: string;
    try {
      type = peerIdFromString(last.value ?? '').type;
    } catch (err) {
      reader.fail(field, `${text}: bad peer id: ${(err as Error).message}`);
    }
    // Node identities are certificate keys, which are Ed25519.
    if (type !== 'Ed25519') reader.fail(field, `${text}: peer id is not an Ed25519 key`);
  }
  return ma.toString();
}

/** The libp2p PeerId string of an Ed25519 certificate key (a node's libp2p key is its cert key). */
export function peerIdOf(publicKey: Uint8Array): string {
  return peerIdFromPublicKey(publicKeyFromRaw(publicKey)).toString();
}
