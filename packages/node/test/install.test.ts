import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import {
  getDefaultEd25519Backend,
  nobleEd25519,
  setDefaultEd25519Backend,
  setSha256Implementation,
  sha256,
  sha256ImplementationName,
} from '@weft/core';
import { assert, describe, it } from '@weft/test/harness';
import fc from 'fast-check';
import { installNativeCrypto, nativeSha256 } from '../src/index.js';

describe('installNativeCrypto', () => {
  it("fills core's Ed25519 and SHA-256 slots with Node's native implementations", () => {
    try {
      installNativeCrypto();
      assert.equal(getDefaultEd25519Backend().name, 'native');
      assert.equal(sha256ImplementationName(), 'native');
      assert.deepEqual(sha256(new Uint8Array()), nobleSha256(new Uint8Array()));
    } finally {
      setDefaultEd25519Backend(nobleEd25519);
      setSha256Implementation('noble', nobleSha256);
    }
  });

  it('native SHA-256 equals noble on any input and returns a plain Uint8Array', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (data) => {
        const got = nativeSha256(data);
        assert.equal(Object.getPrototypeOf(got), Uint8Array.prototype);
        assert.deepEqual(got, nobleSha256(data));
      }),
    );
  });
});
