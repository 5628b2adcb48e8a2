// `weft-wallet history` as a person reads it: payments with recipient and
// change, received coins with who made them, newest first, each with its
// verified status and block.
import type { WalletJournal } from '@weft/light';
import { assert, describe, it } from '@weft/test/harness';
import { formatHistory } from '../src/format.js';

const bytes = (n: number) => new Uint8Array(32).fill(n);
const hex = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

describe('wallet CLI: history', () => {
  it('lists payments and received coins, newest first, with status, block and what they were', () => {
    const journal: WalletJournal = {
      pending: [],
      history: [
        {
          txid: bytes(2),
          to: bytes(0xbb),
          label: 'FBC',
          amount: 250n,
          change: 750n,
          submittedAt: 1,
          outcome: 'valid',
          settledAt: Date.UTC(2030, 0, 2),
          block: 5,
        },
        {
          txid: bytes(3),
          to: bytes(0xbb),
          label: 'FBC',
          amount: 100n,
          change: 650n,
          submittedAt: 1,
          outcome: 'invalid',
          settledAt: Date.UTC(2030, 0, 3),
          block: 6,
          reason: 'MVCC_READ_CONFLICT',
        },
      ],
      received: [
        {
          txid: bytes(1),
          output: 0,
          label: 'FBC',
          amount: 1000n,
          ownerIndex: 0,
          source: 'mint',
          fromOrg: 'CentralBank',
          from: bytes(0xcc),
          status: 'valid',
          block: 4,
          seenAt: Date.UTC(2030, 0, 1),
          spentIn: bytes(2),
        },
      ],
    };
    const lines = formatHistory(journal).trimEnd().split('\n');
    assert.lengthOf(lines, 3);
    assert.match(
      lines[0]!,
      new RegExp(
        `^invalid +${hex(3)} +sent 100 FBC -> bbbb.* change 650 block 6 MVCC_READ_CONFLICT`,
      ),
    );
    assert.match(
      lines[1]!,
      new RegExp(`^valid +${hex(2)} +sent 250 FBC -> bbbb.* change 750 block 5 `),
    );
    assert.match(
      lines[2]!,
      new RegExp(
        `^valid +${hex(1)} +received 1000 FBC minted by CentralBank cccc.* key #0 block 4 +spent in 0202`,
      ),
    );
    assert.equal(formatHistory({ pending: [], history: [] }), 'nothing sent or received yet\n');
  });
});
