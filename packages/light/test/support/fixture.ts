// A small chain shared by the light tests: mints to alice and bob, a spend,
// and a transaction the peers judge invalid, each attested by every peer.
import { coinKey, type Signer, signerFromSecret } from '@weft/core';
import { buildMint, buildSpend, devSecret } from '@weft/core/dev';
import { HeaderChain } from '../../src/chain/header-chain.js';
import { ProofVerifier } from '../../src/proofs/verifier.js';
import { type TestStorage, testStorage } from './db.js';
import { DevLedger } from './dev-ledger.js';
import { FakeNode, FakeTransport, type Tamper } from './fake-transport.js';

export interface Fixture {
  ledger: DevLedger;
  alice: Signer;
  bob: Signer;
  txids: { mintAlice: Uint8Array; mintBob: Uint8Array; spend: Uint8Array; bad: Uint8Array };
}

export async function buildFixture(seed = 'light-test'): Promise<Fixture> {
  const ledger = await DevLedger.create({ seed });
  const { net } = ledger;
  const alice = await signerFromSecret(devSecret(seed, 'alice'));
  const bob = await signerFromSecret(devSecret(seed, 'bob'));
  const usd = (amount: bigint, owner: Signer) => ({ amount, owner: owner.publicKey, label: 'USD' });
  const mintAlice = await buildMint(net, [usd(10n, alice), usd(20n, alice)]);
  const mintBob = await buildMint(net, [
    usd(5n, bob),
    { amount: 7n, owner: bob.publicKey, label: 'FBC' },
  ]);
  await ledger.append([mintAlice.bytes, mintBob.bytes]);
  const spend = await buildSpend(
    net,
    [coinKey(mintAlice.txid, 0)],
    [usd(4n, bob), usd(6n, alice)],
    {
      owners: [alice],
      state: ledger.chain.state,
    },
  );
  // Spends a coin that does not exist: endorsed anyway (unchecked), judged FABCOIN_INVALID.
  const bad = await buildSpend(net, [coinKey(mintBob.txid, 9)], [usd(1n, alice)], {
    owners: [bob],
    unchecked: true,
  });
  await ledger.append([spend.bytes, bad.bytes]);
  return {
    ledger,
    alice,
    bob,
    txids: { mintAlice: mintAlice.txid, mintBob: mintBob.txid, spend: spend.txid, bad: bad.txid },
  };
}

/** A header chain and verifier over fake nodes of `ledger` (one honest node unless given). */
export async function lightClient(
  ledger: DevLedger,
  nodes: readonly FakeNode[] = [new FakeNode('honest', ledger)],
  storage?: TestStorage,
) {
  const genesisHash = ledger.net.genesisHash;
  const transport = new FakeTransport(ledger.net.config.channel, nodes);
  const where = storage ?? (await testStorage(genesisHash)).storage;
  const chain = await HeaderChain.open({ transport, genesisHash, ...where });
  return { transport, chain, verifier: new ProofVerifier({ chain }) };
}

export function hostile(ledger: DevLedger, tamper: Tamper, id = 'hostile'): FakeNode {
  return new FakeNode(id, ledger, tamper);
}
