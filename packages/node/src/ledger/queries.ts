import {
  type Attestation,
  type Block,
  type BlockHeader,
  type BlockSignature,
  blockHash,
  type ChannelConfig,
  type Coin,
  computeDataHash,
  decode,
  decodeAttestation,
  encodeBlock,
  envelopeHash,
  equalBytes,
  inclusionProofs,
  isCoinKey,
  MAX_ENVELOPE_BYTES,
  PUBLIC_KEY_LENGTH,
  parseTx,
  readChannelConfig,
  type TxCode,
  toHex,
  type VersionedValue,
} from '@weft/core';
import { corrupt, guardDecode, guardRead, LedgerError } from './errors.js';
import { asView, coinIndexKey, envelopeKey, prefixEnd, readU64, stateKey, u64 } from './keys.js';
import {
  decodeBlockHead,
  decodeBlockMeta,
  decodeCoinEntry,
  decodeNumber,
  decodeTxEntry,
  decodeVersioned,
} from './records.js';
import type { ChannelTables } from './tables.js';

/** A committed block with what the peer keeps beside it. */
export interface StoredBlock {
  number: number;
  hash: Uint8Array;
  block: Block;
  /** The canonical encoding, as stored and as served to other nodes. */
  bytes: Uint8Array;
  /** One validation code per envelope. */
  codes: TxCode[];
  /** commitHash after this block. */
  commitHash: Uint8Array;
}

export interface StoredTransaction {
  txid: Uint8Array;
  envelope: Uint8Array;
  block: number;
  index: number;
  code: TxCode;
}

/** A block without its envelopes: what its hash and orderer signatures cover. */
export interface StoredBlockHead {
  number: number;
  hash: Uint8Array;
  header: BlockHeader;
  signatures: BlockSignature[];
}

/** A recorded transaction with its RFC 6962 inclusion proof to its block's dataHash. */
export interface TransactionProof extends StoredTransaction {
  /** Envelopes in its block: the Merkle tree's size. */
  treeSize: number;
  /** Audit path of the leaf H(envelope), deepest sibling first (core's inclusionProof). */
  proof: Uint8Array[];
  /** Every code of its block (this transaction's is codes[index]). */
  codes: TxCode[];
}

export interface CoinPage {
  coins: { key: string; coin: Coin }[];
  /** Pass as `after` to get the next page; absent on the last page. */
  next?: string;
}

export const MAX_COIN_PAGE = 1000;

/** The most block heads one getBlockHeads reads (a light `headers` request asks for at most 1000). */
export const MAX_HEAD_RANGE = 1000;

const metaWhat = (number: number) => `block ${number} (table numbers)`;
const headWhat = (number: number) => `block ${number} (table blocks)`;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Read side of a channel ledger; every value from disk is decoded strictly. */
export class LedgerQueries {
  protected readonly tables: ChannelTables['tables'];

  protected constructor(
    protected readonly t: ChannelTables,
    readonly channel: string,
  ) {
    this.tables = t.tables;
  }

  async getBlock(number: number): Promise<StoredBlock | undefined> {
    const found = await this.#readBlock(number);
    return found && { ...found, bytes: encodeBlock(found.block) };
  }

  /** A block's head (header and orderer signatures, no envelopes), one row per table. */
  async getBlockHead(number: number): Promise<StoredBlockHead | undefined> {
    const found = await this.#readHead(number);
    return found && { number, hash: found.meta.hash, ...found.head };
  }

  /** Block `number` checked against its hash and data hash; not re-encoded. */
  async #readBlock(number: number): Promise<Omit<StoredBlock, 'bytes'> | undefined> {
    const found = await this.#readHead(number);
    if (!found) return undefined;
    const { meta, head, what } = found;
    const data = await this.#envelopesOf(number, meta.codes.length);
    const block: Block = { header: head.header, data, signatures: head.signatures };
    // The header hash covers the data only through dataHash: recompute it so
    // a damaged envelope is caught here, not by whoever we serve it to.
    if (!equalBytes(computeDataHash(block.data), block.header.dataHash)) {
      throw corrupt(this.channel, what, 'its envelopes do not match the data hash');
    }
    const { hash, codes, commitHash } = meta;
    return { number, hash, block, codes, commitHash };
  }

  /**
   * The heads of blocks `from`, `from + 1`, ... up to `count` of them, each
   * checked as getBlockHead checks one, in one read per table (a header
   * sync reads ranges). Stops before the first block this ledger lacks.
   */
  async getBlockHeads(from: number, count: number): Promise<StoredBlockHead[]> {
    if (!Number.isSafeInteger(count) || count < 0 || count > MAX_HEAD_RANGE) {
      throw new LedgerError('LEDGER_BAD_QUERY', `count must be 0..${MAX_HEAD_RANGE}`);
    }
    if (!Number.isSafeInteger(from) || from < 0) return [];
    const length = Math.min(count, Number.MAX_SAFE_INTEGER - from + 1);
    const numbers = Array.from({ length }, (_, i) => from + i);
    const keys = numbers.map(u64);
    const what = `blocks ${from}.. (tables numbers, blocks)`;
    const [metas, heads] = await guardRead(this.channel, what, () =>
      Promise.all([this.tables.numbers.getMany(keys), this.tables.blocks.getMany(keys)]),
    );
    const out: StoredBlockHead[] = [];
    for (const [i, number] of numbers.entries()) {
      const found = this.#checkHead(number, metas[i], heads[i]);
      if (!found) break;
      out.push({ number, hash: found.meta.hash, ...found.head });
    }
    return out;
  }

  /** The `numbers` and `blocks` rows of block `number`, the head checked against its hash. */
  async #readHead(number: number) {
    if (!Number.isSafeInteger(number) || number < 0) return undefined;
    const ch = this.channel;
    const key = u64(number);
    const metaBytes = await guardRead(ch, metaWhat(number), () => this.tables.numbers.get(key));
    const stored = await guardRead(ch, headWhat(number), () => this.tables.blocks.get(key));
    return this.#checkHead(number, metaBytes, stored);
  }

  /** Decodes block `number`'s two rows (both or neither must exist) and checks them together. */
  #checkHead(number: number, metaBytes: Uint8Array | undefined, stored: Uint8Array | undefined) {
    const ch = this.channel;
    const what = headWhat(number);
    if (!metaBytes && !stored) return undefined;
    if (!metaBytes || !stored) throw corrupt(ch, metaBytes ? what : metaWhat(number), 'missing');
    const meta = guardDecode(ch, metaWhat(number), () => decodeBlockMeta(asView(metaBytes)));
    const head = guardDecode(ch, what, () => decodeBlockHead(asView(stored)));
    if (head.header.number !== number || !equalBytes(blockHash(head.header), meta.hash)) {
      throw corrupt(ch, what, 'does not match its hash in table numbers');
    }
    return { meta, head, what };
  }

  /** Block `number`'s envelopes, exactly `count` of them, indexed 0..count-1. */
  async #envelopesOf(number: number, count: number): Promise<Uint8Array[]> {
    const what = `block ${number} (table envelopes)`;
    const range = { gte: envelopeKey(number, 0), lt: u64(number + 1), limit: count + 1 };
    const rows = await guardRead(this.channel, what, () =>
      this.tables.envelopes.iterator(range).all(),
    );
    if (rows.length !== count) {
      throw corrupt(this.channel, what, `${rows.length} envelopes, its codes say ${count}`);
    }
    return rows.map(([k, v], i) => {
      if (!equalBytes(asView(k), envelopeKey(number, i)))
        throw corrupt(this.channel, what, `envelope ${i} is missing`);
      if (v.length > MAX_ENVELOPE_BYTES)
        throw corrupt(this.channel, what, `envelope ${i} is too large`);
      return asView(v);
    });
  }

  async getBlockByHash(hash: Uint8Array): Promise<StoredBlock | undefined> {
    const what = `block hash ${toHex(hash)} (table hashes)`;
    const stored = await guardRead(this.channel, what, () => this.tables.hashes.get(hash));
    if (!stored) return undefined;
    const number = guardDecode(this.channel, what, () => decodeNumber(asView(stored)));
    const found = await this.getBlock(number);
    if (!found || !equalBytes(found.hash, hash))
      throw corrupt(this.channel, what, `names block ${number}`);
    return found;
  }

  /** A recorded transaction: its envelope (one row read), block, index and code. */
  async getTransaction(txid: Uint8Array): Promise<StoredTransaction | undefined> {
    const ch = this.channel;
    const what = `transaction ${toHex(txid)} (table txs)`;
    const stored = await guardRead(ch, what, () => this.tables.txs.get(txid));
    if (!stored) return undefined;
    const entry = guardDecode(ch, what, () => decodeTxEntry(asView(stored)));
    const at = `block ${entry.block} (table envelopes), transaction ${toHex(txid)}`;
    const key = envelopeKey(entry.block, entry.index);
    const bytes = await guardRead(ch, at, () => this.tables.envelopes.get(key));
    if (!bytes) throw corrupt(ch, at, 'missing');
    const envelope = asView(bytes);
    // The txid is derived from the envelope, so this also checks the row.
    const tx = guardDecode(ch, at, () => parseTx(envelope));
    if (!equalBytes(tx.txid, txid)) throw corrupt(ch, at, 'holds another transaction there');
    return { txid, envelope, block: entry.block, index: entry.index, code: entry.code };
  }

  /** `getTransactionProofs` of one txid. */
  async getTransactionProof(txid: Uint8Array): Promise<TransactionProof | undefined> {
    const [found] = await this.getTransactionProofs([txid]);
    return found;
  }

  /**
   * Recorded transactions with their inclusion proofs (undefined where a
   * txid is not recorded), at most MAX_COIN_PAGE txids. Each block involved
   * is read once (a range scan of its envelopes: proofs need every leaf).
   */
  async getTransactionProofs(
    txids: readonly Uint8Array[],
  ): Promise<(TransactionProof | undefined)[]> {
    if (txids.length > MAX_COIN_PAGE) {
      throw new LedgerError('LEDGER_BAD_QUERY', `at most ${MAX_COIN_PAGE} txids at once`);
    }
    const found: (StoredTransaction | undefined)[] = [];
    for (const txid of txids) found.push(await this.getTransaction(txid));
    const out: (TransactionProof | undefined)[] = found.map(() => undefined);
    const blocks = new Set(found.flatMap((t) => (t ? [t.block] : [])));
    for (const number of blocks) {
      const what = `block ${number} (table blocks)`;
      const block = await this.#readBlock(number);
      if (!block) throw corrupt(this.channel, what, 'missing, but table txs points into it');
      const { proofs } = inclusionProofs(block.block.data.map(envelopeHash));
      for (const [i, t] of found.entries()) {
        if (t?.block !== number) continue;
        if (block.codes[t.index] !== t.code)
          throw corrupt(this.channel, what, `transaction ${toHex(t.txid)}: codes disagree`);
        out[i] = {
          ...t,
          treeSize: block.codes.length,
          proof: proofs[t.index]!,
          codes: block.codes,
        };
      }
    }
    return out;
  }

  async getState(key: string): Promise<VersionedValue | undefined> {
    const what = `state key ${JSON.stringify(key)} (table state)`;
    const stored = await guardRead(this.channel, what, () => this.tables.state.get(stateKey(key)));
    return stored && guardDecode(this.channel, what, () => decodeVersioned(asView(stored)));
  }

  /** Several state values in one read (the commit path reads a block's spent coins so). */
  async getStates(keys: readonly string[]): Promise<(VersionedValue | undefined)[]> {
    const what = `state keys ${JSON.stringify(keys.slice(0, 3))}... (table state)`;
    const values = await guardRead(this.channel, what, () =>
      this.tables.state.getMany(keys.map(stateKey)),
    );
    return values.map((stored, i) => {
      const at = `state key ${JSON.stringify(keys[i])} (table state)`;
      return stored && guardDecode(this.channel, at, () => decodeVersioned(asView(stored)));
    });
  }

  /** Whether each txid is in the ledger's transaction index, in one read. */
  async hasTxids(txids: readonly Uint8Array[]): Promise<boolean[]> {
    return guardRead(this.channel, 'transaction ids (table txs)', () =>
      this.tables.txs.hasMany([...txids]),
    );
  }

  /** An owner's unspent coins in coin-key order, `limit` at a time, from after `after`. */
  async getCoins(options: { owner: Uint8Array; limit: number; after?: string }): Promise<CoinPage> {
    const { owner, limit, after } = options;
    if (!(owner instanceof Uint8Array) || owner.length !== PUBLIC_KEY_LENGTH) {
      throw new LedgerError(
        'LEDGER_BAD_QUERY',
        `owner must be a ${PUBLIC_KEY_LENGTH}-byte public key`,
      );
    }
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_COIN_PAGE) {
      throw new LedgerError('LEDGER_BAD_QUERY', `limit must be 1..${MAX_COIN_PAGE}`);
    }
    if (after !== undefined && !isCoinKey(after)) {
      throw new LedgerError('LEDGER_BAD_QUERY', `after ${JSON.stringify(after)} is not a coin key`);
    }
    const range = {
      ...(after === undefined ? { gte: owner } : { gt: coinIndexKey(owner, after) }),
      ...(prefixEnd(owner) ? { lt: prefixEnd(owner) } : {}),
      limit: limit + 1,
    };
    const coins: CoinPage['coins'] = [];
    const what = `coin index of owner ${toHex(owner)} (table coins)`;
    const entries = await guardRead(this.channel, what, () =>
      this.tables.coins.iterator(range).all(),
    );
    for (const [k, v] of entries.slice(0, limit)) {
      const key = guardDecode(this.channel, what, () =>
        decoder.decode(asView(k).subarray(owner.length)),
      );
      if (!isCoinKey(key)) throw corrupt(this.channel, what, `bad coin key ${JSON.stringify(key)}`);
      const entry = guardDecode(this.channel, `${what}, coin ${key}`, () =>
        decodeCoinEntry(asView(v)),
      );
      coins.push({ key, coin: { amount: entry.amount, owner: owner.slice(), label: entry.label } });
    }
    const last = coins.at(-1);
    return entries.length > limit && last ? { coins, next: last.key } : { coins };
  }

  /** Attestations stored for block `number`, in signer-key order. */
  async getAttestations(number: number): Promise<Attestation[]> {
    if (!Number.isSafeInteger(number) || number < 0) return [];
    const what = `attestations of block ${number} (table attestations)`;
    const range = { gte: u64(number), lt: u64(number + 1) };
    const entries = await guardRead(this.channel, what, () =>
      this.tables.attestations.iterator(range).all(),
    );
    return entries.map(([k, v]) =>
      guardDecode(this.channel, what, () => {
        const a = decodeAttestation(asView(v));
        if (a.number !== readU64(asView(k)) || a.channel !== this.channel) {
          throw corrupt(this.channel, what, 'an attestation is filed under the wrong block');
        }
        return a;
      }),
    );
  }

  /** The channel config stored for config block `number`. */
  async configAt(number: number): Promise<ChannelConfig> {
    const what = `config of block ${number} (table config)`;
    const stored = await guardRead(this.channel, what, () => this.tables.config.get(u64(number)));
    if (!stored) throw new LedgerError('LEDGER_BAD_QUERY', `block ${number} is not a config block`);
    return guardDecode(this.channel, what, () =>
      readChannelConfig(decode(asView(stored), { maxBytes: MAX_ENVELOPE_BYTES })),
    );
  }
}
