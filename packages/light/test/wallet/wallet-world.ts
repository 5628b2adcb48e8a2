// A dev ledger, one fake full node (honest until its tamper hooks are set),
// a gateway, and wallets over them: what the Fabcoin wallet tests share.
// Works in Node and Chromium (no libp2p, no level).
import {
  type Coin,
  coinKey,
  decodeCaRequest,
  encodeEnrollResponse,
  issueCertificate,
  TxCode,
} from '@weft/core';
import { buildMint, type DevMember } from '@weft/core/dev';
import { assert } from '@weft/test/harness';
import { HeaderChain } from '../../src/chain/header-chain.js';
import type { EnrollTransport } from '../../src/enroll/enroll.js';
import { ProofVerifier } from '../../src/proofs/verifier.js';
import {
  FabcoinWallet,
  type FabcoinWalletOptions,
  type LabelBalance,
  WalletSession,
} from '../../src/wallet/index.js';
import { testStorage } from '../support/db.js';
import { DevLedger } from '../support/dev-ledger.js';
import { FakeNode, type Tamper } from '../support/fake-transport.js';
import { GatewayTransport, honestGateway } from './gateway.js';
import { FAKE_PASS, FAST, mapStore } from './helpers.js';

const YEAR = 365 * 86_400_000;

export interface World {
  ledger: DevLedger;
  /** The node's answers pass through these hooks; set one to make it lie. */
  tamper: Tamper;
  transport: GatewayTransport;
  verifier: ProofVerifier;
  /** The wallets' wall clock (journal times, expiry); tests move it. */
  clock: { now: number };
}

export async function world(seed: string): Promise<World> {
  const ledger = await DevLedger.create({ seed });
  const tamper: Tamper = {};
  const { channel } = ledger.net.config;
  const transport = new GatewayTransport(
    channel,
    [new FakeNode('node', ledger, tamper)],
    honestGateway(ledger),
  );
  const genesisHash = ledger.net.genesisHash;
  const { storage } = await testStorage(genesisHash);
  const chain = await HeaderChain.open({ transport, genesisHash, ...storage });
  return {
    ledger,
    tamper,
    transport,
    verifier: new ProofVerifier({ chain }),
    clock: { now: Date.now() },
  };
}

export interface WalletOptions extends Partial<FabcoinWalletOptions> {
  mnemonic?: string;
}

/** A new wallet (vault in memory) following USD, that follows spends briefly. */
export async function newWallet(w: World, name: string, o: WalletOptions = {}) {
  const session = await WalletSession.create({
    store: mapStore(),
    name,
    passphrase: FAKE_PASS,
    policy: FAST,
    idleTimeoutMs: Number.POSITIVE_INFINITY,
    labels: ['USD'],
    ...(o.mnemonic ? { mnemonic: o.mnemonic } : {}),
  });
  return new FabcoinWallet({
    session,
    verifier: w.verifier,
    followTimeoutMs: 400,
    followIntervalMs: 10,
    now: () => w.clock.now,
    ...o,
  });
}

/**
 * Org1's CA as a fake enroll endpoint: checks that the request is an
 * enrollment of the wallet's identity key and answers with a client
 * certificate from Org1's root, valid at the dev chain's block time and now.
 */
export function org1Ca(w: World): EnrollTransport & { requests: number } {
  const org1 = w.ledger.net.orgs.find((o) => o.name === 'Org1')!;
  const ca = {
    requests: 0,
    async request(_protocol: string, bytes: Uint8Array): Promise<Uint8Array> {
      ca.requests++;
      const req = decodeCaRequest(bytes);
      assert.equal(req.type, 'enroll');
      if (req.type !== 'enroll') throw new Error('not an enrollment');
      const cert = await issueCertificate(org1.root, {
        org: 'Org1',
        role: 'client',
        publicKey: req.publicKey,
        notBefore: w.ledger.net.time - 86_400_000,
        notAfter: Math.max(Date.now(), w.clock.now) + YEAR,
        serial: 1000 + ca.requests,
      });
      return encodeEnrollResponse(cert);
    },
  };
  return ca;
}

export async function enrolled(w: World, name: string, o: WalletOptions = {}) {
  const wallet = await newWallet(w, name, o);
  await wallet.enroll({ transport: org1Ca(w), org: 'Org1', id: 'user-1', secret: 'ab'.repeat(20) });
  return wallet;
}

/** Mints `amounts` (USD unless said) to `owner` in one block; returns the coin keys. */
export async function mint(
  w: World,
  owner: Uint8Array,
  amounts: readonly bigint[],
  o: { label?: string; attesters?: readonly DevMember[] } = {},
): Promise<string[]> {
  const label = o.label ?? 'USD';
  const outputs: Coin[] = amounts.map((amount) => ({ amount, owner, label }));
  const built = await buildMint(w.ledger.net, outputs);
  const { codes } = await w.ledger.append([built.bytes], o.attesters);
  assert.equal(codes[0], TxCode.VALID);
  return amounts.map((_, j) => coinKey(built.txid, j));
}

/** A wallet funded with `amounts` USD on its first receive key. */
export async function funded(w: World, name: string, amounts: readonly bigint[]) {
  const wallet = await enrolled(w, name);
  const { publicKey } = await wallet.receive();
  const keys = await mint(w, publicKey, amounts);
  return { wallet, keys, owner: publicKey };
}

/** One label's balance, asserting the listing was complete. */
export async function usd(wallet: FabcoinWallet) {
  const b = await wallet.balance();
  assert.isTrue(b.complete);
  return b.labels.USD!;
}

/** Asserts the wallet's USD balance: the amounts given, zero for the others. */
export async function usdIs(wallet: FabcoinWallet, expected: Partial<LabelBalance>): Promise<void> {
  const zero = { spendable: 0n, locked: 0n, pending: 0n, unverifiable: 0n };
  assert.deepEqual(await usd(wallet), { ...zero, ...expected });
}

/**
 * The node lists, beside each owner's real coins, a big coin under a key
 * that is not output 0 of the transaction served with it: an invented coin.
 */
export function inventCoins(w: World, amount: bigint): void {
  w.tamper.coins = (page) => {
    const real = page.coins[0];
    if (!real) return page;
    const invented = { key: `${'ff'.repeat(32)}.0`, amount, label: 'USD', tx: real.tx };
    return { ...page, coins: [...page.coins, invented] };
  };
}
