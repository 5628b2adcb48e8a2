// /weft/enroll/1.0.0 end to end: a solo orderer and an Org1 peer+gateway
// that runs Org1's CA, each a WeftNode in this process. The admin registers
// secrets with `weft ca register` (in-process CLI, over WebSockets); a
// wallet key, first refused by the gateway, enrolls with @weft/light's
// `enroll` over a WebSocket light-client connection, the channel's MSP
// accepts the certificate as an Org1 client, and the gateway commits a
// spend the new client signed. Refusals come back as the node's codes;
// an oversized request costs the sender its connection.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { Libp2p } from '@libp2p/interface';
import { webSockets } from '@libp2p/websockets';
import type { Multiaddr } from '@multiformats/multiaddr';
import {
  type Certificate,
  type Channel,
  coinKey,
  decodeEnrollResponse,
  decodeRegisterResponse,
  ENROLL_NONCE_BYTES,
  encodeCaRequest,
  encodeCertificate,
  encodeEnrollResponse,
  issueCertificate,
  MAX_ENROLL_REQUEST_BYTES,
  MAX_ENROLL_RESPONSE_BYTES,
  PROTOCOLS,
  signCaRequest,
  signerFromSecret,
  TxCode,
  toHex,
} from '@weft/core';
import { devSecret } from '@weft/core/dev';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import { Command } from 'commander';
import { createLibp2p } from 'libp2p';
// Cross-package on purpose: the wallet side is @weft/light's, exercised against a real node.
import { type EnrollTransport, enroll } from '../../../light/src/enroll/index.js';
import { registerCaCommands } from '../../src/cli/commands/ca.js';
import { GatewayClient } from '../../src/client/gateway-client.js';
import { mintProposal, signFabcoinProposal } from '../../src/client/proposals.js';
import { type LoadedMember, loadMember, loadOrgRootSigner } from '../../src/material/index.js';
import { callProtocol, ed25519KeyOfPeer } from '../../src/net/index.js';
import type { WeftNode } from '../../src/node/weft-node.js';
import { NETWORK_FILE, type NetworkInfo } from '../../src/up/dev-network.js';
import { wsAddr } from '../net/fixtures.js';
import { type LocalNetwork, refusedWith, startLocalNetwork } from '../node/local-network.js';

const wallet = await signerFromSecret(devSecret('enroll-network-test', 'wallet'));
const bob = await signerFromSecret(devSecret('enroll-network-test', 'bob'));

/**
 * Every client here connects from 127.0.0.1, and a node accepts at most 5
 * inbound connections a second from one host (libp2p's
 * inboundConnectionThreshold): new connections are spaced to stay under it.
 */
const opened: number[] = [];
async function pace(): Promise<void> {
  for (;;) {
    const now = Date.now();
    while (opened.length > 0 && opened[0]! < now - 1100) opened.shift();
    if (opened.length < 4) {
      opened.push(now);
      return;
    }
    await new Promise((r) => setTimeout(r, opened[0]! + 1100 - now));
  }
}

/** A browser-like client: a libp2p host that only dials WebSockets, no member of anything. */
async function lightHost(): Promise<Libp2p> {
  await pace();
  return createLibp2p({
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false },
  });
}

/** The minimal transport `enroll` takes, over a libp2p host (what the light transport provides). */
function transportOf(host: Libp2p, target: Multiaddr): EnrollTransport {
  return {
    request: (protocol, bytes) =>
      callProtocol(host, target, protocol, bytes, {
        maxResponseBytes: MAX_ENROLL_RESPONSE_BYTES,
        timeoutMs: 15_000,
      }),
  };
}

/** Runs `weft <args>` in-process, returning what it printed and its exit status. */
async function weft(...args: string[]) {
  await pace();
  const io = { out: '', err: '', code: 0 };
  const program = new Command('weft').exitOverride();
  registerCaCommands(program, {
    out: (t) => {
      io.out += t;
    },
    err: (t) => {
      io.err += t;
    },
    setExitCode: (c) => {
      io.code = c;
    },
  });
  await program.parseAsync(args, { from: 'user' });
  return io;
}

interface Printed {
  org: string;
  id: string;
  secret: string;
  expiresAt: string;
}

describe('/weft/enroll/1.0.0 on a running node: register, enroll, transact', () => {
  let net: LocalNetwork;
  let dir: string;
  let orderer: WeftNode;
  let peer: WeftNode;
  let weftChannel: Channel;
  let gateway: GatewayClient;
  let client: Libp2p;
  let peerWs: Multiaddr;
  let materialDir: string;
  let bank: LoadedMember;
  let org1Root: Uint8Array;
  /** The coin minted to the wallet key before it had any certificate. */
  let walletCoin: string;

  before(async () => {
    net = await startLocalNetwork({ ca: true, ordererWs: true });
    ({ dir, orderer, peer, materialDir, bank } = net);
    weftChannel = net.channel;
    assert.isDefined(peer.ca);
    assert.isUndefined(orderer.ca);
    peerWs = wsAddr(peer.host);
    org1Root = (await loadOrgRootSigner(net.member('Org1'))).rootKey;
    // What `weft up` writes: the CLI finds Org1's CA node and admin from it.
    const info: NetworkInfo = {
      channel: 'weft',
      genesisHash: toHex(net.genesisHash),
      materialDir,
      gateways: [peerWs.toString()],
      nodes: [],
      cas: { Org1: peerWs.toString() },
    };
    await writeFile(path.join(dir, NETWORK_FILE), JSON.stringify(info));

    await pace();
    gateway = await GatewayClient.connect({ gateways: [peerWs.toString()], channel: 'weft' });
    const { signedProposal, txid } = await mintProposal(
      'weft',
      [bank],
      [{ amount: 10n, owner: wallet.publicKey, label: 'FBC' }],
    );
    const minted = await gateway.submit(signedProposal, true);
    assert.equal(minted.status, 'committed');
    if (minted.status === 'committed') assert.equal(minted.code, TxCode.VALID);
    walletCoin = coinKey(txid, 0);
    client = await lightHost();
  });

  after(async () => {
    await client?.stop();
    await gateway?.close();
    await net?.stop();
  });

  /** `weft ca <command>` for Org1 on this network (found from its network file). */
  const org1Ca = (command: string, ...args: string[]) =>
    weft('ca', command, '--org', 'Org1', '--network', dir, ...args);

  async function registered(count = 1): Promise<Printed[]> {
    const run = await org1Ca('register', '--count', String(count), '--json');
    assert.equal(run.code, 0, run.err);
    return JSON.parse(run.out) as Printed[];
  }

  const spend = (cert: Certificate) =>
    signFabcoinProposal({
      channel: 'weft',
      creator: { cert, signer: wallet },
      request: {
        type: 'spend',
        inputs: [walletCoin],
        outputs: [{ amount: 10n, owner: bob.publicKey, label: 'FBC' }],
      },
    });

  it('a key without a certificate from the org root is refused by the gateway; enrolled, it transacts', async () => {
    // Before: the wallet holds a coin, but its only "certificate" is one it made itself.
    const selfMade = await issueCertificate(wallet, {
      org: 'Org1',
      role: 'client',
      publicKey: wallet.publicKey,
      notBefore: Date.now() - 60_000,
      notAfter: Date.now() + 60_000,
      serial: 1,
    });
    const refused = await gateway.submit((await spend(selfMade)).signedProposal, true).then(
      (s) => s,
      (err: { code?: string }) => err,
    );
    assert.notProperty(refused, 'status', 'a self-made certificate must not be accepted');
    assert.equal((refused as { code?: string }).code, 'ENDORSE_UNKNOWN_CREATOR');

    // The admin registers two secrets (the CLI prints them once); the wallet enrolls with one.
    const [first, second] = await registered(2);
    assert.isDefined(second);
    assert.equal(first!.org, 'Org1');
    assert.match(first!.secret, /^[0-9a-f]{40}$/);
    const cert = await enroll({
      transport: transportOf(client, peerWs),
      org: 'Org1',
      id: first!.id,
      secret: first!.secret,
      signer: wallet,
      rootKey: org1Root,
    });
    const who = await weftChannel.msp.identify(cert, { at: Date.now(), roles: ['client'] });
    assert.equal(who.org, 'Org1');
    assert.equal(who.role, 'client');
    assert.deepEqual(who.publicKey, wallet.publicKey);

    const { signedProposal } = await spend(cert);
    const status = await gateway.submit(signedProposal, true);
    assert.equal(status.status, 'committed');
    if (status.status === 'committed') assert.equal(status.code, TxCode.VALID);
    const coins = await gateway.coins(bob.publicKey);
    assert.deepEqual(
      coins.map((c) => c.amount),
      [10n],
    );
  });

  it('a used, wrong or other-org secret is refused with the node’s code', async () => {
    const [g] = await registered();
    const t = transportOf(client, peerWs);
    const other = await signerFromSecret(devSecret('enroll-network-test', 'other'));
    const base = { transport: t, org: 'Org1', id: g!.id, signer: other, rootKey: org1Root };
    const wrong = `${g!.secret.slice(0, -1)}${g!.secret.endsWith('0') ? '1' : '0'}`;
    await refusedWith(enroll({ ...base, secret: wrong }), 'ENROLL_BAD_SECRET');
    await refusedWith(enroll({ ...base, org: 'Org2', secret: g!.secret }), 'ENROLL_WRONG_ORG');
    await enroll({ ...base, secret: g!.secret });
    await refusedWith(enroll({ ...base, secret: g!.secret }), 'ENROLL_SECRET_USED');
    // The orderer runs no CA.
    await refusedWith(
      enroll({ ...base, transport: transportOf(client, wsAddr(orderer.host)), secret: g!.secret }),
      'NODE_NOT_CA',
    );
  });

  it('only an org admin may register, and only for the connection it signed for', async () => {
    const asClient = await org1Ca(
      'register',
      '--as',
      path.join(materialDir, 'orgs', 'Org1', 'client0'),
    );
    assert.equal(asClient.code, 1);
    assert.include(asClient.err, 'ENROLL_FORBIDDEN');
    assert.equal(asClient.out, '');

    // A register request captured from the admin's connection and replayed on another.
    const admin = await loadMember(path.join(materialDir, 'orgs', 'Org1', 'admin0'));
    const captured = encodeCaRequest(
      await signCaRequest(admin.signer, {
        type: 'register',
        org: 'Org1',
        admin: admin.cert,
        peer: ed25519KeyOfPeer(client.peerId)!,
        count: 1,
        ttlMs: 0,
        time: Date.now(),
        nonce: new Uint8Array(ENROLL_NONCE_BYTES).fill(1),
      }),
    );
    const eve = await lightHost();
    try {
      await refusedWith(
        transportOf(eve, peerWs).request(PROTOCOLS.enroll, captured),
        'ENROLL_WRONG_PEER',
      );
    } finally {
      await eve.stop();
    }
    // On the connection it names, it is answered.
    const list = decodeRegisterResponse(
      await transportOf(client, peerWs).request(PROTOCOLS.enroll, captured),
    );
    assert.lengthOf(list, 1);
  });

  it('weft ca enroll writes a member directory that loads and holds a client certificate', async () => {
    const [g] = await registered();
    const out = path.join(dir, 'wallets', 'carol');
    const enrollCli = () => org1Ca('enroll', '--id', g!.id, '--secret', g!.secret, '--out', out);
    const run = await enrollCli();
    assert.equal(run.code, 0, run.err);
    assert.include(run.out, 'as Org1.client');
    const carol = await loadMember(out);
    assert.equal(carol.cert.role, 'client');
    await weftChannel.msp.identify(carol.cert, { at: Date.now(), roles: ['client'] });
    const again = await enrollCli();
    assert.equal(again.code, 1);
    assert.include(again.err, 'CLI_EXISTS');
  });

  it('malformed requests get a codec error; an oversized one costs the connection', async () => {
    const t = transportOf(client, peerWs);
    await refusedWith(t.request(PROTOCOLS.enroll, Uint8Array.of(0xff, 0x00)), 'CODEC_MALFORMED');
    const rude = await lightHost();
    try {
      await rejectsWithCode(
        () =>
          transportOf(rude, peerWs).request(
            PROTOCOLS.enroll,
            new Uint8Array(MAX_ENROLL_REQUEST_BYTES + 1),
          ),
        'NET_TOO_LARGE',
      );
      // Penalised: its next dial is refused, while others are still served.
      assert.isTrue(peer.host.services.access.isPenalised(rude.peerId));
      await rejectsWithCode(
        () => transportOf(rude, peerWs).request(PROTOCOLS.enroll, Uint8Array.of(0xff)),
        'NET_DIAL_FAILED',
      );
    } finally {
      await rude.stop();
    }
    await refusedWith(t.request(PROTOCOLS.enroll, Uint8Array.of(0xff)), 'CODEC_MALFORMED');
  });

  it('the wallet refuses an answer that is not its certificate (a hostile node)', async () => {
    const [g] = await registered();
    const real = transportOf(client, peerWs);
    const root = await loadOrgRootSigner(path.join(materialDir, 'orgs', 'Org1'));
    // Relays to the real CA, then swaps in a certificate for another key, or one by another root.
    const swapping = (make: (cert: Certificate) => Promise<Certificate>): EnrollTransport => ({
      request: async (protocol, bytes) => {
        return encodeEnrollResponse(
          await make(decodeEnrollResponse(await real.request(protocol, bytes))),
        );
      },
    });
    const base = { org: 'Org1', id: g!.id, secret: g!.secret, signer: wallet, rootKey: org1Root };
    await rejectsWithCode(
      () =>
        enroll({
          ...base,
          transport: swapping((c) =>
            issueCertificate(root.signer, { ...c, publicKey: bob.publicKey }),
          ),
        }),
      'ENROLL_BAD_CERT',
    );
    const [h] = await registered();
    await rejectsWithCode(
      () =>
        enroll({
          ...base,
          id: h!.id,
          secret: h!.secret,
          transport: swapping((c) => issueCertificate(bob, c)),
        }),
      'ENROLL_BAD_CERT',
    );
    const garbage: EnrollTransport = {
      request: async () =>
        encodeCertificate(
          await issueCertificate(bob, {
            org: 'Org1',
            role: 'client',
            publicKey: wallet.publicKey,
            notBefore: 0,
            notAfter: 1,
            serial: 1,
          }),
        ),
    };
    await rejectsWithCode(() => enroll({ ...base, transport: garbage }), 'ENROLL_BAD_ANSWER');
  });
});
