// The spend journal inside the vault: it round-trips, a full one fits the
// vault's bounds, and hostile journal contents are refused like any other
// bad vault contents.
import { type CborValue, CodecError, decode, encode, MAX_AMOUNT } from '@weft/core';
import { assert, describe, it, throwsWithCode } from '@weft/test/harness';
import {
  createVault,
  encodeContents,
  MAX_PENDING_SPENDS,
  MAX_RECEIPTS,
  MAX_SPEND_HISTORY,
  MAX_SPEND_INPUTS,
  openVault,
  type PendingSpend,
  type ReceiptRecord,
  type SpendRecord,
  type VaultContents,
  type WalletJournal,
} from '../../src/wallet/index.js';
import { addPending, settleSpend } from '../../src/wallet/journal.js';
import { decodeContents, readContents } from '../../src/wallet/vault-contents.js';
import { ABANDON_12, FAKE_PASS, FAST } from './helpers.js';

const txid = (n: number) => new Uint8Array(32).fill(n);
const input = (n: number, j: number) => `${n.toString(16).padStart(64, '0')}.${j}`;

function pending(n: number, inputs = 2): PendingSpend {
  return {
    txid: txid(n),
    inputs: Array.from({ length: inputs }, (_, j) => input(n, j)),
    to: new Uint8Array(32).fill(0xaa),
    label: 'USD',
    amount: 10n ** 18n,
    change: 5n,
    submittedAt: 1_700_000_000_000 + n,
  };
}

function settled(n: number): SpendRecord {
  const { inputs: _inputs, ...rest } = pending(n);
  return {
    ...rest,
    outcome: 'invalid',
    settledAt: 1_800_000_000_000,
    block: 12345,
    reason: 'MVCC_READ_CONFLICT',
  };
}

function receipt(n: number): ReceiptRecord {
  return {
    txid: txid(n),
    output: 0,
    label: 'FBC',
    amount: 250n,
    ownerIndex: 1,
    source: 'payment',
    fromOrg: 'Org1',
    from: new Uint8Array(32).fill(0xbb),
    status: 'valid',
    block: 7,
    seenAt: 1_700_000_000_000,
  };
}

const contents = (journal: WalletJournal): VaultContents => ({
  mnemonic: ABANDON_12,
  bip39Passphrase: '',
  accounts: [{ name: 'Main', nextIndex: 3 }],
  labels: ['USD'],
  createdAt: 0,
  journal,
});

describe('wallet: the spend journal in the vault', () => {
  it('round-trips pending and settled spends, and received coins', () => {
    const journal = { pending: [pending(1), pending(2, 1)], history: [settled(3)] };
    assert.deepEqual(decodeContents(encodeContents(contents(journal))), contents(journal));
    const spent = { ...receipt(4), status: 'invalid' as const, reason: 'MVCC_READ_CONFLICT' };
    const withReceipts = { ...journal, received: [receipt(5), { ...spent, spentIn: txid(6) }] };
    assert.deepEqual(
      decodeContents(encodeContents(contents(withReceipts))),
      contents(withReceipts),
    );
  });

  it('a valid spend marks the received coins it took as spent by it; an invalid one does not', () => {
    const coin = `${'05'.repeat(32)}.0`;
    const base: WalletJournal = {
      pending: [
        { ...pending(1), inputs: [coin] },
        { ...pending(2), inputs: [coin] },
      ],
      history: [],
      received: [receipt(5), receipt(9)],
    };
    const invalid = settleSpend(base, txid(2), { outcome: 'invalid', settledAt: 5, block: 9 });
    assert.isUndefined(invalid.received?.[0]?.spentIn);
    const valid = settleSpend(invalid, txid(1), { outcome: 'valid', settledAt: 6, block: 9 });
    assert.deepEqual(valid.received?.[0]?.spentIn, txid(1));
    assert.isUndefined(valid.received?.[1]?.spentIn, 'another coin');
  });

  it('settling moves a spend to the history and keeps only the newest records', () => {
    let j: WalletJournal = { pending: [pending(1)], history: [] };
    for (let n = 0; n < MAX_SPEND_HISTORY; n++)
      j = { ...j, history: [...j.history, settled(100 + n)] };
    j = settleSpend(j, txid(1), { outcome: 'valid', settledAt: 5, block: 9 });
    assert.isEmpty(j.pending);
    assert.lengthOf(j.history, MAX_SPEND_HISTORY);
    assert.deepEqual(j.history.at(-1)?.txid, txid(1));
    assert.deepEqual(j.history[0]?.txid, txid(101), 'the oldest was dropped');
    assert.equal(
      settleSpend(j, txid(77), { outcome: 'valid', settledAt: 6 }),
      j,
      'unknown txid: no change',
    );
  });

  it('refuses a pending spend beyond the bound, so a journal always fits its vault', () => {
    let j: WalletJournal = { pending: [], history: [] };
    for (let n = 0; n < MAX_PENDING_SPENDS; n++) j = addPending(j, pending(n));
    throwsWithCode(() => addPending(j, pending(99)), 'WALLET_TOO_MANY_PENDING');
  });

  it('a full journal of the largest entries fits in a vault record', async () => {
    // Every field at its largest: 16-letter label, 64-bit amounts, 3-digit output indexes.
    const widest = { label: 'ABCDEFGHIJKLMNOP', amount: MAX_AMOUNT, change: MAX_AMOUNT };
    const inputs = (n: number) =>
      Array.from({ length: MAX_SPEND_INPUTS }, (_, j) => input(n, 100 + j));
    const journal = {
      pending: Array.from({ length: MAX_PENDING_SPENDS }, (_, n) => ({
        ...pending(n),
        ...widest,
        inputs: inputs(n),
      })),
      history: Array.from({ length: MAX_SPEND_HISTORY }, (_, n) => ({
        ...settled(n),
        ...widest,
        reason: 'X'.repeat(64),
      })),
      received: Array.from({ length: MAX_RECEIPTS }, (_, n) => ({
        ...receipt(n),
        label: widest.label,
        amount: MAX_AMOUNT,
        output: 255,
        ownerIndex: 0x7fffffff,
        fromOrg: 'O'.repeat(64),
        block: Number.MAX_SAFE_INTEGER,
        reason: 'X'.repeat(64),
        spentIn: txid(n),
      })),
    };
    const { record } = await createVault(contents(journal), FAKE_PASS, FAST);
    const opened = await openVault(record, FAKE_PASS, FAST);
    assert.deepEqual(opened.contents.journal, journal);
  });

  it('refuses hostile journal contents with the failing field', () => {
    const encoded = encodeContents(contents({ pending: [pending(1)], history: [settled(2)] }));
    type Raw = { pending: Record<string, CborValue>[]; history: Record<string, CborValue>[] };
    const bad = (edit: (j: Raw) => void): CborValue => {
      const r = decode(encoded, { maxBytes: 1 << 20 }) as Record<string, CborValue>;
      edit(r.journal as unknown as Raw);
      return r;
    };
    const cases: [string, CborValue][] = [
      ['not a coin key', bad((j) => Object.assign(j.pending[0]!, { inputs: ['nope'] }))],
      ['txid length', bad((j) => Object.assign(j.pending[0]!, { txid: new Uint8Array(31) }))],
      ['unknown outcome', bad((j) => Object.assign(j.history[0]!, { outcome: 'maybe' }))],
      ['negative amount', bad((j) => Object.assign(j.history[0]!, { amount: -1 }))],
      ['extra field', bad((j) => Object.assign(j.pending[0]!, { note: 'x' }))],
      [
        'too many inputs',
        bad((j) =>
          Object.assign(j.pending[0]!, { inputs: Array(MAX_SPEND_INPUTS + 1).fill(input(1, 0)) }),
        ),
      ],
      [
        'too many pending',
        bad((j) => Object.assign(j, { pending: Array(MAX_PENDING_SPENDS + 1).fill(j.pending[0]) })),
      ],
    ];
    for (const [what, value] of cases) {
      assert.throws(() => readContents(value), CodecError, undefined, what);
    }
    throwsWithCode(() => decodeContents(encode(cases[0]![1])), 'CODEC_SCHEMA');
    // Nothing the reader would refuse is ever sealed.
    const tooMany = {
      pending: Array.from({ length: MAX_PENDING_SPENDS + 1 }, (_, n) => pending(n)),
      history: [],
    };
    throwsWithCode(() => encodeContents(contents(tooMany)), 'WALLET_BAD_METADATA');
    const badInput = { pending: [{ ...pending(1), inputs: ['nope'] }], history: [] };
    throwsWithCode(() => encodeContents(contents(badInput)), 'WALLET_BAD_METADATA');
  });

  it('refuses hostile received coins with the failing field', () => {
    const encoded = encodeContents(contents({ pending: [], history: [], received: [receipt(1)] }));
    const bad = (edit: (r: Record<string, CborValue>[]) => void): CborValue => {
      const c = decode(encoded, { maxBytes: 1 << 20 }) as Record<string, CborValue>;
      const j = c.journal as Record<string, CborValue>;
      edit(j.received as Record<string, CborValue>[]);
      return c;
    };
    const cases: [string, RegExp, CborValue][] = [
      ['status', /status/, bad((r) => Object.assign(r[0]!, { status: 'pending' }))],
      ['source', /source/, bad((r) => Object.assign(r[0]!, { source: 'gift' }))],
      ['output', /output/, bad((r) => Object.assign(r[0]!, { output: 256 }))],
      ['key index', /ownerIndex/, bad((r) => Object.assign(r[0]!, { ownerIndex: 2 ** 31 }))],
      ['creator key', /from/, bad((r) => Object.assign(r[0]!, { from: new Uint8Array(31) }))],
      ['extra field', /note/, bad((r) => Object.assign(r[0]!, { note: 'x' }))],
      [
        'too many',
        /received/,
        bad((r) => r.push(...Array<Record<string, CborValue>>(MAX_RECEIPTS).fill(r[0]!))),
      ],
    ];
    for (const [what, field, value] of cases) {
      assert.throws(() => readContents(value), CodecError, field, what);
    }
  });
});
