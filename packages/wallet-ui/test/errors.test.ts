import { WeftError } from '@weft/core';
import { TransportError, WalletError } from '@weft/light';
import { assert, describe, it } from '@weft/test/harness';
import { describeError, messageFor } from '../src/ui/errors.js';

describe('errors as a person needs them', () => {
  it('maps typed codes to sentences, keeping the code and the detail', () => {
    const shown = describeError(new WalletError('WALLET_BAD_PASSPHRASE', 'decryption failed'));
    assert.deepEqual(shown, {
      message: 'Wrong passphrase.',
      code: 'WALLET_BAD_PASSPHRASE',
      detail: 'decryption failed',
    });
    assert.match(
      describeError(new WalletError('WALLET_INSUFFICIENT_FUNDS', '5 FBC')).message,
      /^Insufficient funds/,
    );
    assert.match(
      describeError(new TransportError('LIGHT_NO_NODES', 'all failed')).message,
      /No full node could be reached/,
    );
  });

  it("shows a node's unknown refusal by its own message, never a stack", () => {
    const err = new TransportError('GATEWAY_BUSY', 'the gateway is busy', { remote: true });
    const shown = describeError(err);
    assert.equal(shown.code, 'GATEWAY_BUSY');
    assert.include(shown.message, 'the gateway is busy');
    const plain = describeError(new Error('boom'));
    assert.deepEqual(plain, { message: 'boom' });
    assert.notInclude(JSON.stringify(describeError(new WeftError('X_Y', 'z'))), 'at ');
    assert.equal(describeError('text').message, 'text');
  });

  it('says why a payment was refused when the refusal names a known cause', () => {
    const cause = new TransportError('GATEWAY_ENDORSEMENT_FAILED', 'policy not met: Org2 down', {
      remote: true,
    });
    const shown = describeError(
      new WalletError('WALLET_SPEND_REFUSED', 'the spend was refused: policy not met', { cause }),
    );
    assert.equal(
      shown.message,
      'The network refused the payment before ordering it; your coins were released. Not every organisation whose endorsement the channel requires could endorse it: one of their peers is unreachable or refused.',
    );
    assert.equal(shown.code, 'WALLET_SPEND_REFUSED');
    assert.equal(shown.detail, 'GATEWAY_ENDORSEMENT_FAILED: the spend was refused: policy not met');
  });

  it('knows the codes the wallet and enrollment raise', () => {
    for (const code of [
      'WALLET_LOCKED',
      'WALLET_NOT_ENROLLED',
      'WALLET_SPEND_REFUSED',
      'ENROLL_SECRET_USED',
      'NET_DIAL_FAILED',
      'LIGHT_WRONG_CHAIN',
    ]) {
      assert.isString(messageFor(code), code);
    }
  });
});
