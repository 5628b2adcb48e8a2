/**
 * Validation codes, after Fabric's TxValidationCode. Small integers because
 * they are stored beside every block and hashed into attestations.
 */
export const TxCode = {
  VALID: 0,
  BAD_PAYLOAD: 1,
  BAD_CREATOR_SIGNATURE: 2,
  UNKNOWN_CREATOR: 3,
  ENDORSEMENT_POLICY_FAILURE: 4,
  BAD_ENDORSEMENT: 5,
  FABCOIN_INVALID: 6,
  MVCC_READ_CONFLICT: 7,
  DUPLICATE_TXID: 8,
} as const;

export type TxCode = (typeof TxCode)[keyof typeof TxCode];
export type TxCodeName = keyof typeof TxCode;

const NAMES = Object.fromEntries(Object.entries(TxCode).map(([k, v]) => [v, k])) as Record<
  TxCode,
  TxCodeName
>;

export function txCodeName(code: TxCode): TxCodeName {
  return NAMES[code];
}

export function isTxCode(n: unknown): n is TxCode {
  return typeof n === 'number' && Object.hasOwn(NAMES, n);
}
