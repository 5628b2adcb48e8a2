import { WeftError, WireError, wireErrorNetCode } from '@weft/core';

/**
 * Codes raised by the network layer itself. A protocol's handler may send
 * any other code (LEDGER_NOT_FOUND...) in an ERROR frame; the client then
 * throws a NetError carrying that code with `remote` set.
 */
export type NetErrorCode =
  | 'NET_TIMEOUT'
  | 'NET_TOO_LARGE'
  | 'NET_MALFORMED'
  | 'NET_CLOSED'
  | 'NET_FORBIDDEN'
  | 'NET_ABORTED'
  | 'NET_DIAL_FAILED'
  | 'NET_BAD_KEY'
  | 'NET_BAD_OPTIONS'
  | 'INTERNAL';

export class NetError extends WeftError {
  /** True when the code came from the remote peer's ERROR frame. */
  readonly remote: boolean;
  constructor(
    code: NetErrorCode | (string & {}),
    message: string,
    options?: { cause?: unknown; remote?: boolean },
  ) {
    super(code, message, options);
    this.remote = options?.remote ?? false;
  }
}

/** The net-level view of a framing violation seen on a stream. */
export function netErrorFromWire(err: WireError): NetError {
  return new NetError(wireErrorNetCode(err), err.message, { cause: err });
}

/** Anything thrown while talking to a peer, as a NetError (already-typed errors pass through). */
export function toNetError(err: unknown, fallback: NetErrorCode = 'NET_CLOSED'): NetError {
  if (err instanceof NetError) return err;
  if (err instanceof WireError) return netErrorFromWire(err);
  const message = err instanceof Error ? err.message : String(err);
  return new NetError(fallback, message, { cause: err });
}
