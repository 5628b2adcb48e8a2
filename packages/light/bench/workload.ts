import {
  type Attestation,
  blockHash,
  type ChainTip,
  type Coin,
  chainTipOf,
  codesHash,
  coinKey,
  type Ed25519Backend,
  encodeLightAttestations,
  encodeLightBlock,
  encodeLightHeader,
  signAttestation,
  TxCode,
  utf8,
} from '@weft/core';
import {
  buildBlock,
  buildMint,
  buildSpend,
  createDevNetwork,
  DevChain,
  type DevNetwork,
} from '@weft/core/dev';

/**
 * The chains the benchmark verifies, built before anything is timed and
 * held as the bytes a full node would send, so a timed run pays for
 * decoding and verifying, never for building or encoding.
 */
export interface BenchChain {
  net: DevNetwork;
  /** Encoded LightBlock (with the node's codes) per block, genesis first. */
  blocks: Uint8Array[];
  /** Encoded LightHeader per block. */
  headers: Uint8Array[];
  /** Encoded attestation list per block. */
  attestations: Uint8Array[];
  /** Envelopes after genesis. */
  txs: number;
}

/** A chain of `count` headers after genesis, each block one small envelope (headers only). */
export async function headerChain(count: number, backend: Ed25519Backend): Promise<BenchChain> {
  const net = await createDevNetwork({ seed: 'light-bench-headers', backend });
  const headers = [encodeLightHeader(net.genesis)];
  let tip: ChainTip = chainTipOf(net.genesis);
  for (let n = 1; n <= count; n++) {
    const block = await buildBlock(net, tip, [utf8(`light-bench envelope ${n}`)]);
    headers.push(encodeLightHeader(block));
    tip = chainTipOf(block);
  }
  return { net, blocks: [genesisBlock(net)], headers, attestations: [], txs: 0 };
}

function genesisBlock(net: DevNetwork): Uint8Array {
  return encodeLightBlock({ block: net.genesis, codes: net.genesis.data.map(() => TxCode.VALID) });
}

/** Coins one mint creates; spends then consume them one each. */
const COINS_PER_MINT = 100;

/**
 * The Fabcoin transactions of about `txs` (this bench's and the wallet UI's
 * page bench): mints of COINS_PER_MINT `coin()`s each, and the keys of the
 * coins that one-in/one-out spends by their owner then take, one each. The
 * spends are the caller's to build, against state where the mints committed.
 */
export async function fabcoinMints(
  net: DevNetwork,
  txs: number,
  coin: () => Coin,
): Promise<{ mints: Uint8Array[]; spendKeys: string[] }> {
  const mints = Math.max(1, Math.ceil(txs / (COINS_PER_MINT + 1)));
  const spends = Math.max(0, txs - mints);
  const minted: Uint8Array[] = [];
  const keys: string[] = [];
  for (let m = 0; m < mints; m++) {
    const count = Math.min(COINS_PER_MINT, Math.max(1, spends - keys.length));
    const mint = await buildMint(net, Array.from({ length: count }, coin));
    minted.push(mint.bytes);
    for (let j = 0; j < count; j++) keys.push(coinKey(mint.txid, j));
  }
  return { mints: minted, spendKeys: keys.slice(0, spends) };
}

/**
 * About `txs` transactions in blocks of `perBlock`: mints of
 * COINS_PER_MINT coins each to the client, then one-in/one-out spends of
 * those coins by their owner (creator + two endorsements, the Fabric
 * paper's Fabcoin shape). Every peer attests every block, as an honest
 * network would, so the auditor judges real attestations too.
 */
export async function auditChainWorkload(
  txs: number,
  perBlock: number,
  backend: Ed25519Backend,
): Promise<BenchChain> {
  const net = await createDevNetwork({ seed: 'light-bench-audit', backend, maxTxCount: 10_000 });
  const chain = new DevChain(net);
  const owner = net.client.signer.publicKey;
  const coin = () => ({ amount: 10n, owner, label: 'FBC' });
  const { mints, spendKeys } = await fabcoinMints(net, txs, coin);
  const pending: Uint8Array[] = [...mints];
  const codes: TxCode[][] = [net.genesis.data.map(() => TxCode.VALID)];
  const attestations: Attestation[][] = [[]];
  const flush = async () => {
    while (pending.length > 0) {
      const { block, validation } = await chain.append(pending.splice(0, perBlock));
      codes.push(validation.codes);
      const body = {
        channel: net.config.channel,
        number: block.header.number,
        blockHash: blockHash(block.header),
        codesHash: codesHash(validation.codes),
        commitHash: chain.commitHash,
      };
      attestations.push(
        await Promise.all(net.peers.map((p) => signAttestation(body, p.signer, p.cert))),
      );
    }
  };
  // The spends' endorsers simulate against committed state, so the mints commit first.
  await flush();
  for (const key of spendKeys) {
    const spend = await buildSpend(net, [key], [coin()], { state: chain.state });
    pending.push(spend.bytes);
  }
  await flush();
  return {
    net,
    blocks: chain.blocks.map((block, n) => encodeLightBlock({ block, codes: codes[n]! })),
    headers: chain.blocks.map((b) => encodeLightHeader(b)),
    attestations: attestations.map((list) => encodeLightAttestations(list)),
    txs: mints.length + spendKeys.length,
  };
}
