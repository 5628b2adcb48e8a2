import type { WireError } from './frames.js';

/**
 * The network layer's code for a framing violation seen on a stream, the
 * same in the node (NetError) and the light client (TransportError) so logs
 * read alike on both ends.
 */
export function wireErrorNetCode(err: WireError): 'NET_TOO_LARGE' | 'NET_CLOSED' | 'NET_MALFORMED' {
  return err.code === 'WIRE_TOO_LARGE'
    ? 'NET_TOO_LARGE'
    : err.code === 'WIRE_TRUNCATED'
      ? 'NET_CLOSED'
      : 'NET_MALFORMED';
}
