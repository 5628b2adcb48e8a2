import { createMnemonic, MIN_PASSPHRASE_LENGTH } from '@weft/light';
import { assert, describe, it } from '@weft/test/harness';
import {
  confirmsBackup,
  freshWalletName,
  passphraseProblem,
  wordsToConfirm,
} from '../src/wallet/backup-check.js';

describe('creating a wallet: the backup is confirmed before anything is stored', () => {
  it('asks for distinct positions, in order, within the phrase', () => {
    for (let round = 0; round < 50; round++) {
      const asked = wordsToConfirm(24);
      assert.lengthOf(asked, 3);
      assert.deepEqual(
        asked,
        [...new Set(asked)].sort((a, b) => a - b),
      );
      for (const p of asked) assert.isTrue(p >= 0 && p < 24);
    }
  });

  it('accepts the right words (any case, spaces) and nothing else', () => {
    const mnemonic = createMnemonic();
    const words = mnemonic.split(' ');
    const asked = [0, 11, 23];
    const right = asked.map((p) => words[p]!);
    assert.isTrue(
      confirmsBackup(
        mnemonic,
        asked,
        right.map((w) => ` ${w.toUpperCase()} `),
      ),
    );
    assert.isFalse(confirmsBackup(mnemonic, asked, [right[0]!, right[2]!, right[1]!]));
    assert.isFalse(confirmsBackup(mnemonic, asked, right.slice(0, 2)));
  });

  it('explains a weak or mistyped passphrase', () => {
    const ok = 'x'.repeat(MIN_PASSPHRASE_LENGTH);
    assert.isUndefined(passphraseProblem(ok, ok));
    assert.match(passphraseProblem('short', 'short')!, /at least/);
    assert.match(passphraseProblem(ok, `${ok}!`)!, /differ/);
  });

  it('names a new wallet after the ones stored', () => {
    assert.equal(freshWalletName([]), 'My wallet');
    assert.equal(freshWalletName(['My wallet', 'My wallet 2']), 'My wallet 3');
  });
});
