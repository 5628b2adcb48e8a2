import { concatBytes } from '../bytes.js';
import { HASH_LENGTH, sha256 } from '../crypto/hash.js';
import { withEncoding } from '../encoding/cbor.js';
import type { TxCode } from '../validate/codes.js';
import type { StateWrite } from '../validate/state.js';

/** The codes as stored and hashed: one byte per transaction. */
export function codesBytes(codes: readonly TxCode[]): Uint8Array {
  return Uint8Array.from(codes);
}

export function codesHash(codes: readonly TxCode[]): Uint8Array {
  return sha256(codesBytes(codes));
}

/** H(write sets of valid txs): the ordered writes with the versions they create. */
export function writesHash(writes: readonly StateWrite[]): Uint8Array {
  return withEncoding(
    writes.map((w) => [w.key, w.value, w.version.block, w.version.tx]),
    sha256,
  );
}

/**
 * commitHash(n) = H(commitHash(n-1) || blockHash || codes || H(writes)),
 * Fabric's COMMIT_HASH idea: two peers with the same commitHash at n agree
 * on every code and state change up to n. Before block 0 it is 32 zero bytes.
 */
export function computeCommitHash(options: {
  previous: Uint8Array;
  blockHash: Uint8Array;
  codes: readonly TxCode[];
  writes: readonly StateWrite[];
}): Uint8Array {
  return sha256(
    concatBytes(
      options.previous,
      options.blockHash,
      codesBytes(options.codes),
      writesHash(options.writes),
    ),
  );
}

/** The chain's first commit hash: genesis (block 0, one config envelope) is VALID and writes nothing. */
export function genesisCommitHash(genesis: { hash: Uint8Array; envelopes: number }): Uint8Array {
  return computeCommitHash({
    previous: new Uint8Array(HASH_LENGTH),
    blockHash: genesis.hash,
    codes: Array.from({ length: genesis.envelopes }, () => 0 as TxCode),
    writes: [],
  });
}
