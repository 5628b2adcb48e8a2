import {
  type Attestation,
  type Block,
  type BlockValidation,
  blockHash,
  type ChannelConfig,
  CodecError,
  type Coin,
  channelConfigToCbor,
  codesHash,
  computeCommitHash,
  decodeCoin,
  encode,
  encodeAttestation,
  equalBytes,
  genesisCommitHash,
  isCoinKey,
  TxCode,
  type VersionedValue,
} from '@weft/core';
import { LedgerError } from './errors.js';
import { attestationKey, coinIndexKey, envelopeKey, stateKey, u64 } from './keys.js';
import {
  type CurrentState,
  encodeBlockHead,
  encodeBlockMeta,
  encodeCoinEntry,
  encodeCurrent,
  encodeNumber,
  encodeTxEntry,
  encodeVersioned,
} from './records.js';
import { CURRENT_KEY, type LedgerOp } from './tables.js';

export interface CommitInput {
  channel: string;
  block: Block;
  /** The block hash its verifier returned. */
  hash: Uint8Array;
  /** validateBlock's result against this ledger at its current height (its `committed` reads included). */
  validation: BlockValidation;
  commitHash: Uint8Array;
  /** This peer's own attestation of the block, stored in the same batch. */
  attestation?: Attestation;
}

/** Reads committed state values (before the block), one per key, in order. */
export type ReadCommitted = (keys: string[]) => Promise<(VersionedValue | undefined)[]>;

function refuse(code: string, message: string): never {
  throw new LedgerError(code, message);
}

/** Everything commitBlock refuses, checked before a single write is prepared. */
function checkCommit(input: CommitInput, current: CurrentState): void {
  const { block, hash, validation, channel } = input;
  const h = block.header;
  if (h.channel !== channel)
    refuse('LEDGER_CHANNEL', `block of channel ${h.channel}, ledger of ${channel}`);
  if (h.number !== current.height) {
    refuse(
      'LEDGER_BLOCK_NUMBER',
      `channel ${channel}: block ${h.number} is not the next (${current.height})`,
    );
  }
  if (!equalBytes(h.previousHash, current.lastHash)) {
    refuse(
      'LEDGER_PREVIOUS_HASH',
      `channel ${channel}: block ${h.number} does not link to block ${h.number - 1}`,
    );
  }
  if (!equalBytes(hash, blockHash(h)))
    refuse('LEDGER_BAD_COMMIT', `block ${h.number}: hash is not the header's`);
  const n = block.data.length;
  if (validation.codes.length !== n || validation.txids.length !== n) {
    refuse(
      'LEDGER_BAD_COMMIT',
      `block ${h.number}: ${n} envelopes but ${validation.codes.length} codes`,
    );
  }
  // Recomputed because a wrong commitHash would poison every later one and
  // every attestation; it costs one hash over the block's writes.
  const expected = computeCommitHash({
    previous: current.commitHash,
    blockHash: hash,
    codes: validation.codes,
    writes: validation.writes,
  });
  if (!equalBytes(expected, input.commitHash)) {
    refuse(
      'LEDGER_BAD_COMMIT',
      `block ${h.number}: commitHash does not follow from the validation`,
    );
  }
  const a = input.attestation;
  if (
    a &&
    !(
      a.channel === channel &&
      a.number === h.number &&
      equalBytes(a.blockHash, hash) &&
      equalBytes(a.codesHash, codesHash(validation.codes)) &&
      equalBytes(a.commitHash, input.commitHash)
    )
  ) {
    refuse('LEDGER_BAD_COMMIT', `block ${h.number}: the attestation states a different result`);
  }
}

function asCoin(value: Uint8Array): Coin | undefined {
  try {
    return decodeCoin(value);
  } catch (err) {
    if (err instanceof CodecError) return undefined;
    throw err;
  }
}

/**
 * Coin-by-owner index updates. A deleted coin's owner is in its committed
 * value (read before the batch) or, if written earlier in this block, in
 * `overlay`. Puts need no read: a coin key is `txid.j` and only the one
 * valid transaction with that txid writes it (VSCC demands Fabcoin's exact
 * writes; DUPLICATE_TXID stops a second), so a put never replaces a coin.
 */
async function coinIndexOps(input: CommitInput, readCommitted: ReadCommitted): Promise<LedgerOp[]> {
  const writes = input.validation.writes.filter((w) => isCoinKey(w.key));
  const deleted = [...new Set(writes.filter((w) => w.value === null).map((w) => w.key))];
  // Validation read most of them already (a spend's inputs); only the rest come from disk.
  const known = input.validation.committed;
  const missing = deleted.filter((key) => !known.has(key));
  const fetched = new Map<string, VersionedValue | undefined>();
  if (missing.length) {
    const values = await readCommitted(missing);
    for (const [i, key] of missing.entries()) fetched.set(key, values[i]);
  }
  const overlay = new Map<string, Coin | undefined>();
  for (const key of deleted) {
    const v = known.has(key) ? known.get(key) : fetched.get(key);
    overlay.set(key, v ? asCoin(v.value) : undefined);
  }
  const ops: LedgerOp[] = [];
  for (const w of writes) {
    const old = overlay.get(w.key);
    if (old) ops.push({ type: 'del', table: 'coins', key: coinIndexKey(old.owner, w.key) });
    const coin = w.value === null ? undefined : asCoin(w.value);
    if (coin) {
      const value = encodeCoinEntry(coin);
      ops.push({ type: 'put', table: 'coins', key: coinIndexKey(coin.owner, w.key), value });
    }
    overlay.set(w.key, coin);
  }
  return ops;
}

/** A block's own rows: its head, one row per envelope, its meta and hash index. */
function blockOps(
  block: Block,
  hash: Uint8Array,
  codes: readonly TxCode[],
  commitHash: Uint8Array,
): LedgerOp[] {
  const n = block.header.number;
  return [
    { type: 'put', table: 'blocks', key: u64(n), value: encodeBlockHead(block) },
    ...block.data.map(
      (value, i): LedgerOp => ({ type: 'put', table: 'envelopes', key: envelopeKey(n, i), value }),
    ),
    {
      type: 'put',
      table: 'numbers',
      key: u64(n),
      value: encodeBlockMeta({ hash, codes: [...codes], commitHash }),
    },
    { type: 'put', table: 'hashes', key: hash, value: encodeNumber(n) },
  ];
}

/** The one batch that commits `input.block` on top of `current`, and the state it leads to. */
export async function buildCommit(
  input: CommitInput,
  current: CurrentState,
  readCommitted: ReadCommitted,
): Promise<{ ops: LedgerOp[]; next: CurrentState }> {
  checkCommit(input, current);
  const { block, hash, validation } = input;
  const n = block.header.number;
  const ops: LedgerOp[] = [...blockOps(block, hash, validation.codes, input.commitHash)];
  validation.txids.forEach((txid, index) => {
    if (!txid) return;
    const value = encodeTxEntry({ block: n, index, code: validation.codes[index]! });
    ops.push({ type: 'put', table: 'txs', key: txid, value });
  });
  for (const w of validation.writes) {
    ops.push(
      w.value === null
        ? { type: 'del', table: 'state', key: stateKey(w.key) }
        : {
            type: 'put',
            table: 'state',
            key: stateKey(w.key),
            value: encodeVersioned({ value: w.value, version: w.version }),
          },
    );
  }
  ops.push(...(await coinIndexOps(input, readCommitted)));
  if (input.attestation) {
    const a = input.attestation;
    const key = attestationKey(n, a.signer.publicKey);
    ops.push({ type: 'put', table: 'attestations', key, value: encodeAttestation(a) });
  }
  const failed = validation.codes.filter((c) => c !== TxCode.VALID).length;
  const next: CurrentState = {
    height: n + 1,
    lastHash: hash,
    lastTimestamp: block.header.timestamp,
    txCount: current.txCount + block.data.length,
    failedTxCount: current.failedTxCount + failed,
    commitHash: input.commitHash,
    savepoint: n,
  };
  ops.push({ type: 'put', table: 'current', key: CURRENT_KEY, value: encodeCurrent(next) });
  return { ops, next };
}

/**
 * The first batch of a channel: genesis as block 0 with codes [VALID], its
 * config, and the commitHash DevChain and every peer start from.
 */
export function buildGenesis(options: {
  genesis: Block;
  hash: Uint8Array;
  config: ChannelConfig;
}): { ops: LedgerOp[]; next: CurrentState } {
  const { genesis, hash, config } = options;
  const codes = genesis.data.map(() => TxCode.VALID);
  const commitHash = genesisCommitHash({ hash, envelopes: codes.length });
  const next: CurrentState = {
    height: 1,
    lastHash: hash,
    lastTimestamp: genesis.header.timestamp,
    txCount: codes.length,
    failedTxCount: 0,
    commitHash,
    savepoint: 0,
  };
  const ops: LedgerOp[] = [
    ...blockOps(genesis, hash, codes, commitHash),
    { type: 'put', table: 'config', key: u64(0), value: encode(channelConfigToCbor(config)) },
    { type: 'put', table: 'current', key: CURRENT_KEY, value: encodeCurrent(next) },
  ];
  return { ops, next };
}
