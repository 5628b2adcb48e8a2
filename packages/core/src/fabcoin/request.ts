import { PUBLIC_KEY_LENGTH } from '../crypto/ed25519.js';
import type { CborValue } from '../encoding/cbor.js';
import {
  readArray,
  readBigUint,
  readBytes,
  readEnum,
  readRecord,
  readString,
} from '../encoding/fields.js';
import { type Certificate, certificateToCbor, readCertificate } from '../identity/certificate.js';

/** A Fabcoin coin: the value stored under key `txid.j`. */
export interface Coin {
  amount: bigint;
  /** Ed25519 public key of the owner; owners need no certificate. */
  owner: Uint8Array;
  /** Currency tag such as "USD" or "FBC". */
  label: string;
}

/** Central banks create coins; `inputs` are the signing banks' certificates. */
export interface MintRequest {
  type: 'mint';
  inputs: Certificate[];
  outputs: Coin[];
}

/** Owners move coins; `inputs` are coin keys `txidhex.j`. */
export interface SpendRequest {
  type: 'spend';
  inputs: string[];
  outputs: Coin[];
}

export type FabcoinRequest = MintRequest | SpendRequest;

export const MAX_COINS_PER_TX = 256;
export const MAX_LABEL_LENGTH = 16;
export const MAX_COIN_KEY_LENGTH = 64 + 1 + 3;

export function coinToCbor(c: Coin): CborValue {
  return { amount: c.amount, owner: c.owner, label: c.label };
}

export function readCoin(value: unknown, what: string): Coin {
  const r = readRecord(value, what, ['amount', 'owner', 'label']);
  return {
    amount: readBigUint(r.amount, `${what}.amount`),
    owner: readBytes(r.owner, `${what}.owner`, PUBLIC_KEY_LENGTH),
    label: readString(r.label, `${what}.label`, MAX_LABEL_LENGTH),
  };
}

export function requestToCbor(r: FabcoinRequest): CborValue {
  const outputs = r.outputs.map(coinToCbor);
  if (r.type === 'mint') return { type: 'mint', inputs: r.inputs.map(certificateToCbor), outputs };
  return { type: 'spend', inputs: [...r.inputs], outputs };
}

export function readRequest(value: unknown, what = 'request'): FabcoinRequest {
  const r = readRecord(value, what, ['type', 'inputs', 'outputs']);
  const type = readEnum(r.type, `${what}.type`, ['mint', 'spend'] as const);
  const outputs = readArray(r.outputs, `${what}.outputs`, MAX_COINS_PER_TX).map((c, i) =>
    readCoin(c, `${what}.outputs[${i}]`),
  );
  const inputs = readArray(r.inputs, `${what}.inputs`, MAX_COINS_PER_TX);
  if (type === 'mint') {
    return {
      type,
      inputs: inputs.map((c, i) => readCertificate(c, `${what}.inputs[${i}]`)),
      outputs,
    };
  }
  return {
    type,
    inputs: inputs.map((k, i) => readString(k, `${what}.inputs[${i}]`, MAX_COIN_KEY_LENGTH)),
    outputs,
  };
}
