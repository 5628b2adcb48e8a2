import { getDefaultEd25519Backend, nobleEd25519, setDefaultEd25519Backend } from '@weft/core';
import { assert, describe, it } from '@weft/test/harness';
import { installNativeCrypto } from '../src/index.js';

describe('installNativeCrypto', () => {
  it("fills core's default Ed25519 slot with the native backend", () => {
    try {
      installNativeCrypto();
      assert.equal(getDefaultEd25519Backend().name, 'native');
    } finally {
      setDefaultEd25519Backend(nobleEd25519);
    }
  });
});
