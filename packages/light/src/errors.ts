import { WeftError } from '@weft/core';

/**
 * A full node could not be asked, or its answer could not be read:
 * NET_TIMEOUT, NET_TOO_LARGE, NET_MALFORMED, NET_CLOSED, NET_ABORTED,
 * NET_DIAL_FAILED (the node layer's codes, so logs read the same on both
 * ends), LIGHT_NO_NODES when every node failed, or the code of an ERROR
 * frame the node sent (`remote: true`, e.g. LIGHT_NOT_FOUND). `node` names
 * the full node (its PeerId) when one is to blame.
 */
export class TransportError extends WeftError {
  readonly node: string | undefined;
  readonly remote: boolean;
  constructor(
    code: string,
    message: string,
    options: { node?: string; remote?: boolean; cause?: unknown } = {},
  ) {
    super(code, options.node ? `${options.node}: ${message}` : message, { cause: options.cause });
    this.node = options.node;
    this.remote = options.remote ?? false;
  }
}

/**
 * A full node served something that fails verification: a header whose
 * link or signatures are wrong, a genesis that is not the trusted one, an
 * answer out of sequence. `node` is the one that served it; `reason` the
 * underlying check's code (BLOCK_SIGNATURES, BLOCK_PREVIOUS_HASH...).
 */
export class VerificationError extends WeftError {
  readonly node: string;
  readonly reason: string;
  constructor(
    code: string,
    node: string,
    message: string,
    options: { reason?: string; cause?: unknown } = {},
  ) {
    super(code, `${node}: ${message}`, { cause: options.cause });
    this.node = node;
    this.reason = options.reason ?? code;
  }
}

/** The local header store does not hold what it says it holds (LIGHT_STORE_CORRUPT). */
export class StoreError extends WeftError {}

/** The code of a WeftError-like value, else undefined. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
