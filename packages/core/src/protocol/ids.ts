/**
 * Protocol ids (DESIGN section 5). The version is part of the id, so a
 * node that changes a message format adds a new id beside the old one.
 */
export const PROTOCOLS = {
  broadcast: '/weft/broadcast/1.0.0',
  deliver: '/weft/deliver/1.0.0',
  endorse: '/weft/endorse/1.0.0',
  gateway: '/weft/gateway/1.0.0',
  blocks: '/weft/blocks/1.0.0',
  light: '/weft/light/1.0.0',
  enroll: '/weft/enroll/1.0.0',
  hello: '/weft/hello/1.0.0',
  attestations: '/weft/attestations/1.0.0',
} as const;

export type ProtocolName = keyof typeof PROTOCOLS;

/** The gossipsub topic a channel's blocks are pushed on. */
export function blocksTopic(channel: string): string {
  return `/weft/${channel}/blocks/1`;
}

/** The gossipsub topic a channel's peers announce heights and attestations on. */
export function stateTopic(channel: string): string {
  return `/weft/${channel}/state/1`;
}
