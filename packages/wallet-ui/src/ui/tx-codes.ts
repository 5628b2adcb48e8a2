import { messageFor } from './errors.js';

/** Why the network judged a transaction invalid, by its validation code, as a holder reads it. */
const CODE_WORDS: Record<string, string> = {
  VALID: 'Valid.',
  BAD_PAYLOAD: 'The transaction could not be read.',
  BAD_CREATOR_SIGNATURE: "The creator's signature does not verify.",
  UNKNOWN_CREATOR:
    "The creator's certificate is not one the channel accepts (unknown org, or expired).",
  ENDORSEMENT_POLICY_FAILURE: 'It was not endorsed by the peers the channel requires.',
  BAD_ENDORSEMENT: 'An endorsement on it does not verify.',
  FABCOIN_INVALID: 'It breaks a Fabcoin rule (amounts, labels, or the owners’ signatures).',
  MVCC_READ_CONFLICT:
    'Double spend: another transaction spent the same coin first, so this one moved nothing.',
  DUPLICATE_TXID: 'The same transaction was already in the chain.',
};

/**
 * A validation code name (MVCC_READ_CONFLICT) or a refusal's error code
 * (GATEWAY_ENDORSEMENT_FAILED) in words; the code itself when unknown.
 */
export function reasonInWords(code: string): string {
  return CODE_WORDS[code] ?? messageFor(code) ?? code;
}
