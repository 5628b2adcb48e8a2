// The codec's fast paths on Node Buffers (which browsers lack): decoded
// byte strings are Buffer views, as the generic path gives them, and
// interned strings never follow a caller's buffer after the fact.
import { assert, describe, it } from '@weft/test/harness';
import { toHex } from '../../src/bytes.js';
import { decode, decodeGeneric, encode, encodeGeneric } from '../../src/encoding/cbor.js';

const BOUND = { maxBytes: 1 << 20 };

const kinds = (v: Record<string, unknown>) =>
  Object.entries(v).map(([k, x]) => `${k}:${(x as object).constructor.name}`);

describe('encoding: the fast paths on Buffers', () => {
  it('returns Buffer views for a Buffer, as the generic path does, and strings that follow the bytes', () => {
    const v = { a: Uint8Array.of(1, 2, 3), label: 'FBC', org: 'Org1' };
    const bytes = Buffer.from(encodeGeneric(v));
    const fast = decode(bytes, BOUND) as Record<string, unknown>;
    const generic = decodeGeneric(bytes, BOUND).value as Record<string, unknown>;
    assert.deepEqual(kinds(fast), kinds(generic));
    assert.deepEqual(fast, generic);
    // An empty byte string is cborg's plain one, even from a Buffer.
    const empty = Buffer.from(encodeGeneric({ e: new Uint8Array(0) }));
    assert.deepEqual(
      kinds(decode(empty, BOUND) as Record<string, unknown>),
      kinds(decodeGeneric(empty, BOUND).value as Record<string, unknown>),
    );
    // Interned strings are checked against the bytes: changing them changes the text.
    const changed = Buffer.from(bytes);
    changed[changed.indexOf('FBC') + 2] = 'D'.charCodeAt(0);
    assert.deepEqual(decode(changed, BOUND), { ...v, label: 'FBD' });
    // And a cached copy does not follow the caller's buffer when it changes later.
    bytes[bytes.indexOf('Org1') + 3] = '2'.charCodeAt(0);
    assert.deepEqual(decode(encodeGeneric(v), BOUND), v);
  });

  it('encodes a Buffer as the byte string the generic encoder writes', () => {
    const v = { b: Buffer.from([1, 2, 3]) };
    assert.equal(toHex(encode(v)), toHex(encodeGeneric(v)));
  });
});
