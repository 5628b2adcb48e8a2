// Every signature covers "weft/v1/<domain>\0" || bytes; the prefixes are
// encoded once and reused, which must not change a single message.
import { assert, describe, it } from '@weft/test/harness';
import fc from 'fast-check';
import { concatBytes, toHex, utf8 } from '../../src/bytes.js';
import { domainMessage, type SignatureDomain } from '../../src/crypto/signing.js';

const DOMAINS: SignatureDomain[] = [
  'cert',
  'proposal',
  'fabcoin-auth',
  'endorsement',
  'block',
  'attestation',
  'alive',
  'enroll',
  'test',
];

describe('crypto/signing: domain-separated messages', () => {
  it('are the domain prefix followed by the bytes, for every domain, however often built', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DOMAINS),
        fc.uint8Array({ maxLength: 200 }),
        (domain, bytes) => {
          const expected = concatBytes(utf8(`weft/v1/${domain}\0`), bytes);
          assert.equal(toHex(domainMessage(domain, bytes)), toHex(expected));
          assert.equal(toHex(domainMessage(domain, bytes)), toHex(expected));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands out a fresh message each time (the prefix itself is never shared)', () => {
    const a = domainMessage('block', Uint8Array.of(1));
    a[0] = 0;
    assert.equal(
      toHex(domainMessage('block', Uint8Array.of(1))),
      `${toHex(utf8('weft/v1/block\0'))}01`,
    );
  });
});
