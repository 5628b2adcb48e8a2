import { equalBytes, toHex } from '../bytes.js';
import { withEncoding } from '../encoding/cbor.js';
import { WeftError } from '../errors.js';
import type { RWSet, Version, WriteEntry } from '../tx/rwset.js';
import { coinKey, coinKeyOfHex, encodeCoin, isCoinKey, isFabcoinLabel } from './coin.js';
import { type Coin, coinToCbor, type FabcoinRequest } from './request.js';

/** A Fabcoin rule a request breaks; the message says which. */
export class FabcoinError extends WeftError {}

export const MAX_AMOUNT = (1n << 64n) - 1n;

function fail(code: string, message: string): never {
  throw new FabcoinError(code, message);
}

/** Output rules shared by mint and spend: at least one coin, positive 64-bit amounts, sane labels. */
export function checkOutputs(outputs: readonly Coin[]): void {
  if (outputs.length === 0) fail('FABCOIN_NO_OUTPUTS', 'a request needs at least one output');
  for (const [j, c] of outputs.entries()) {
    if (c.amount <= 0n) fail('FABCOIN_AMOUNT', `output ${j}: amount must be positive`);
    if (c.amount > MAX_AMOUNT) fail('FABCOIN_AMOUNT', `output ${j}: amount exceeds 2^64-1`);
    if (!isFabcoinLabel(c.label)) fail('FABCOIN_LABEL', `output ${j}: bad label`);
  }
}

/** Spend inputs: at least one, well-formed coin keys, none twice (else one coin counts double). */
export function checkSpendInputs(inputs: readonly string[]): void {
  if (inputs.length === 0) fail('FABCOIN_NO_INPUTS', 'a spend needs at least one input');
  const seen = new Set<string>();
  for (const key of inputs) {
    if (!isCoinKey(key)) fail('FABCOIN_INPUT', `input ${JSON.stringify(key)} is not a coin key`);
    if (seen.has(key)) fail('FABCOIN_INPUT', `input ${key} is spent twice`);
    seen.add(key);
  }
}

/** For every label, inputs and outputs carry the same total: no coin created or destroyed. */
export function checkBalance(inputs: readonly Coin[], outputs: readonly Coin[]): void {
  const totals = new Map<string, bigint>();
  for (const c of inputs) totals.set(c.label, (totals.get(c.label) ?? 0n) + c.amount);
  for (const c of outputs) totals.set(c.label, (totals.get(c.label) ?? 0n) - c.amount);
  for (const [label, diff] of totals) {
    if (diff !== 0n)
      fail('FABCOIN_BALANCE', `label ${label}: inputs and outputs differ by ${diff}`);
  }
}

/** Spend authorisation: the owner of every input signed the proposal. */
export function checkOwners(inputs: readonly Coin[], signerKeys: ReadonlySet<string>): void {
  for (const [i, c] of inputs.entries()) {
    if (!signerKeys.has(toHex(c.owner)))
      fail('FABCOIN_OWNER', `input ${i} is not signed by its owner`);
  }
}

/**
 * The writes the Fabcoin chaincode makes for a request: delete every input,
 * put output j under `txid.j`. Endorsers simulate with it and VSCC demands
 * that an endorsed rw-set contains exactly these writes.
 */
export function fabcoinWrites(txid: Uint8Array, request: FabcoinRequest): WriteEntry[] {
  const deletes: WriteEntry[] =
    request.type === 'spend' ? request.inputs.map((key) => ({ key, value: null })) : [];
  const puts = request.outputs.map((c, j) => ({ key: coinKey(txid, j), value: encodeCoin(c) }));
  return [...deletes, ...puts];
}

/**
 * Whether `writes` are exactly fabcoinWrites(txid, request), compared in
 * place: VSCC asks it of every transaction, and building the expected list
 * (coin keys, encoded coins) only to compare it was most of that check.
 */
export function fabcoinWritesMatch(
  txid: Uint8Array,
  request: FabcoinRequest,
  writes: readonly WriteEntry[],
): boolean {
  const deletes = request.type === 'spend' ? request.inputs : [];
  if (writes.length !== deletes.length + request.outputs.length) return false;
  for (let i = 0; i < deletes.length; i++) {
    const got = writes[i]!;
    if (got.key !== deletes[i] || got.value !== null) return false;
  }
  const prefix = toHex(txid);
  for (let j = 0; j < request.outputs.length; j++) {
    const got = writes[deletes.length + j]!;
    const value = got.value;
    if (got.key !== coinKeyOfHex(prefix, j) || value === null) return false;
    if (!withEncoding(coinToCbor(request.outputs[j]!), (coin) => equalBytes(coin, value)))
      return false;
  }
  return true;
}

/** The rw-set a faithful simulation yields, given the versions it read for the spend inputs. */
export function fabcoinRWSet(
  txid: Uint8Array,
  request: FabcoinRequest,
  inputVersions: readonly (Version | null)[],
): RWSet {
  const reads =
    request.type === 'spend'
      ? request.inputs.map((key, i) => ({ key, version: inputVersions[i] ?? null }))
      : [];
  return { reads, writes: fabcoinWrites(txid, request) };
}
