import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { Libp2p } from '@libp2p/interface';
import { webSockets } from '@libp2p/websockets';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import {
  type Certificate,
  decodeEnrollResponse,
  decodeRegisterResponse,
  ENROLL_NONCE_BYTES,
  encodeCaRequest,
  enrolledCertificateProblem,
  formatEnrollSecret,
  MAX_ENROLL_RESPONSE_BYTES,
  PROTOCOLS,
  type Registration,
  type Signer,
  signCaRequest,
} from '@weft/core';
import { createLibp2p } from 'libp2p';
import '../net/polyfill.js';
import { callProtocol, ed25519KeyOfPeer } from '../net/index.js';
import { CaError } from './errors.js';

export interface CaClientOptions {
  /** The CA node's WebSocket multiaddr (with /p2p). */
  node: string;
  /** Per call; default 30 s. */
  timeoutMs?: number;
}

/**
 * A client of `/weft/enroll/1.0.0` for the `weft` CLI and `weft up`: a
 * libp2p host that only dials WebSockets (as a light client does), under a
 * fresh key, which register requests name so the CA answers only on this
 * connection. Wallets use @weft/light's `enroll` instead.
 */
export class CaClient {
  readonly #host: Libp2p;
  readonly #target: Multiaddr;
  readonly #timeoutMs: number;

  private constructor(host: Libp2p, options: CaClientOptions) {
    this.#host = host;
    this.#target = multiaddr(options.node);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  static async connect(options: CaClientOptions): Promise<CaClient> {
    const host = await createLibp2p({
      transports: [webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      // A dev network runs on loopback; nothing here dials beyond the given node.
      connectionGater: { denyDialMultiaddr: () => false },
    });
    return new CaClient(host, options);
  }

  /** New one-time secrets of `org`, asked as `admin` (an admin member of that org). */
  async register(options: {
    org: string;
    admin: { cert: Certificate; signer: Signer };
    count: number;
    /** 0: the CA's default. */
    ttlMs?: number;
  }): Promise<Registration[]> {
    const peer = ed25519KeyOfPeer(this.#host.peerId);
    if (!peer) throw new CaError('CA_CLIENT', 'the client host has no Ed25519 key');
    const request = await signCaRequest(options.admin.signer, {
      type: 'register',
      org: options.org,
      admin: options.admin.cert,
      peer,
      count: options.count,
      ttlMs: options.ttlMs ?? 0,
      time: Date.now(),
      nonce: crypto.getRandomValues(new Uint8Array(ENROLL_NONCE_BYTES)),
    });
    return decodeRegisterResponse(await this.#call(encodeCaRequest(request)));
  }

  /**
   * Enrolls `signer`'s key with a registration's id and secret and returns
   * its certificate, checked: a `client` of `org` for this key, valid now,
   * and signed by `rootKey` when given.
   */
  async enroll(options: {
    org: string;
    id: string;
    secret: Uint8Array;
    signer: Signer;
    rootKey?: Uint8Array;
  }): Promise<Certificate> {
    const request = await signCaRequest(options.signer, {
      type: 'enroll',
      org: options.org,
      id: options.id,
      secret: options.secret,
      publicKey: options.signer.publicKey,
      time: Date.now(),
      nonce: crypto.getRandomValues(new Uint8Array(ENROLL_NONCE_BYTES)),
    });
    const cert = decodeEnrollResponse(await this.#call(encodeCaRequest(request)));
    const problem = await enrolledCertificateProblem(cert, {
      org: options.org,
      publicKey: options.signer.publicKey,
      at: Date.now(),
      rootKey: options.rootKey,
    });
    if (problem) throw new CaError('ENROLL_BAD_CERT', `the CA answered with ${problem}`);
    return cert;
  }

  async close(): Promise<void> {
    await this.#host.stop();
  }

  #call(request: Uint8Array): Promise<Uint8Array> {
    return callProtocol(this.#host, this.#target, PROTOCOLS.enroll, request, {
      maxResponseBytes: MAX_ENROLL_RESPONSE_BYTES,
      timeoutMs: this.#timeoutMs,
    });
  }
}

/** One line per registration, as `weft ca register` and `weft up` print them. */
export function formatRegistrations(org: string, list: readonly Registration[]): string {
  return list
    .map(
      (g) =>
        `  ${org.padEnd(10)} id ${g.id}  secret ${formatEnrollSecret(g.secret)}  expires ${new Date(g.expiresAt).toISOString()}\n`,
    )
    .join('');
}
