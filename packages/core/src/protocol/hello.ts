import { decode, encode } from '../encoding/cbor.js';
import { readArray, readEnum, readRecord, readString } from '../encoding/fields.js';
import { type Certificate, certificateToCbor, readCertificate } from '../identity/certificate.js';

/**
 * `/weft/hello/1.0.0`: right after connecting, a node presents its
 * certificate (whose key must be the connection's PeerId key) and the
 * channels and roles it serves. Membership in the mesh follows from the
 * certificate; the roles only tell others what to ask it for.
 */
export interface Hello {
  cert: Certificate;
  channels: { name: string; roles: ('orderer' | 'peer' | 'gateway')[] }[];
}

export const MAX_HELLO_BYTES = 8 * 1024;
const MAX_HELLO_CHANNELS = 32;
const ROLES = ['orderer', 'peer', 'gateway'] as const;

export function encodeHello(h: Hello): Uint8Array {
  return encode({
    cert: certificateToCbor(h.cert),
    channels: h.channels.map((c) => ({ name: c.name, roles: c.roles })),
  });
}

export function decodeHello(bytes: Uint8Array): Hello {
  const r = readRecord(decode(bytes, { maxBytes: MAX_HELLO_BYTES }), 'hello', ['cert', 'channels']);
  return {
    cert: readCertificate(r.cert, 'hello.cert'),
    channels: readArray(r.channels, 'hello.channels', MAX_HELLO_CHANNELS).map((c, i) => {
      const f = readRecord(c, `hello.channels[${i}]`, ['name', 'roles']);
      return {
        name: readString(f.name, `hello.channels[${i}].name`, 64),
        roles: readArray(f.roles, `hello.channels[${i}].roles`, ROLES.length).map((role, j) =>
          readEnum(role, `hello.channels[${i}].roles[${j}]`, ROLES),
        ),
      };
    }),
  };
}
