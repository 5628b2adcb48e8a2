// A small honest chain for the auditor tests, built with core's dev kit and
// attested by every peer as a peer's commit pipeline would: mints (one of
// two u64-max coins, so totals exceed 2^64), a spend, a spend of a coin
// that does not exist (FABCOIN_INVALID) and a replayed mint (DUPLICATE_TXID).
import {
  buildMint,
  buildSpend,
  createDevNetwork,
  DevChain,
  devSecret,
} from '../../src/dev/index.js';
import {
  type Attestation,
  type AttestationBody,
  type AuditInput,
  type Block,
  blockHash,
  codesHash,
  coinKey,
  genesisCommitHash,
  MAX_AMOUNT,
  type Signer,
  signAttestation,
  signerFromSecret,
  type TxCode,
} from '../../src/index.js';

export const SEED = 'audit-test';
// Three peer orgs and OutOf(2, ...): one dissenting peer leaves the block attested.
export const net = await createDevNetwork({ seed: SEED, peerOrgs: 3 });
export const alice = await signerFromSecret(devSecret(SEED, 'alice'));
export const bob = await signerFromSecret(devSecret(SEED, 'bob'));

export interface AuditedBlock {
  block: Block;
  codes: TxCode[];
  body: AttestationBody;
}

const usd = (amount: bigint, owner: Signer, label = 'USD') => ({
  amount,
  owner: owner.publicKey,
  label,
});

async function build(): Promise<AuditedBlock[]> {
  const chain = new DevChain(net);
  const genesisBody = {
    channel: net.config.channel,
    number: 0,
    blockHash: net.genesisHash,
    codesHash: codesHash([0 as TxCode]),
    commitHash: genesisCommitHash({ hash: net.genesisHash, envelopes: 1 }),
  };
  const out: AuditedBlock[] = [{ block: net.genesis, codes: [0 as TxCode], body: genesisBody }];
  const append = async (data: Uint8Array[]) => {
    const { block, validation } = await chain.append(data);
    const body = {
      channel: net.config.channel,
      number: block.header.number,
      blockHash: blockHash(block.header),
      codesHash: codesHash(validation.codes),
      commitHash: chain.commitHash,
    };
    out.push({ block, codes: validation.codes, body });
  };
  const mintAlice = await buildMint(net, [usd(10n, alice), usd(20n, alice)]);
  const mintBob = await buildMint(net, [usd(5n, bob), usd(7n, bob, 'FBC')]);
  const big = await buildMint(net, [usd(MAX_AMOUNT, bob, 'BIG'), usd(MAX_AMOUNT, bob, 'BIG')]);
  await append([mintAlice.bytes, mintBob.bytes, big.bytes]);
  const spend = await buildSpend(
    net,
    [coinKey(mintAlice.txid, 0)],
    [usd(4n, bob), usd(6n, alice)],
    { owners: [alice], state: chain.state },
  );
  const bad = await buildSpend(net, [coinKey(mintBob.txid, 9)], [usd(1n, alice)], {
    owners: [bob],
    unchecked: true,
  });
  await append([spend.bytes, bad.bytes, mintBob.bytes]);
  return out;
}

export const chain = await build();

/** What every peer (default) signs for each block. */
export async function attest(body: AttestationBody, peers = net.peers): Promise<Attestation[]> {
  return Promise.all(peers.map((p) => signAttestation(body, p.signer, p.cert)));
}

/** The audit source an honest full node gives: every block, its codes, every peer's attestation. */
export async function honestInputs(): Promise<AuditInput[]> {
  return Promise.all(
    chain.map(async (b) => ({
      block: b.block,
      codes: b.codes,
      attestations: await attest(b.body),
      node: 'honest',
    })),
  );
}
