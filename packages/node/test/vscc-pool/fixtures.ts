import {
  type Block,
  type Coin,
  checkAllInline,
  coinKey,
  decodeEnvelope,
  encodeEnvelope,
  type TxCheck,
  type TxEnvelope,
  utf8,
} from '@weft/core';
import {
  buildBlock,
  buildMint,
  buildSpend,
  createDevNetwork,
  DevChain,
  type DevNetwork,
  issueDevMember,
} from '@weft/core/dev';
import { nativeEd25519 } from '../../src/crypto/native-ed25519.js';

/** Re-encodes an envelope after `edit` changes it, as a hostile client or gateway would. */
function mutate(bytes: Uint8Array, edit: (e: TxEnvelope) => void): Uint8Array {
  const e = decodeEnvelope(bytes) as TxEnvelope;
  edit(e);
  return encodeEnvelope(e);
}

export interface MixedBlock {
  net: DevNetwork;
  chain: DevChain;
  block: Block;
  /** What core's inline VSCC says about the block's envelopes. */
  inline: TxCheck[];
}

/**
 * A block after a funding mint: `valid` honest spends, then one envelope
 * of each kind VSCC or MVCC rejects, then a replay and a double spend.
 */
export async function mixedBlock(options: { seed: string; valid: number }): Promise<MixedBlock> {
  const net = await createDevNetwork({ seed: options.seed, backend: nativeEd25519 });
  const chain = new DevChain(net);
  const owner = net.client.signer.publicKey;
  const coin = (amount: bigint, label = 'USD'): Coin => ({ amount, owner, label });
  const count = options.valid + 4;
  const mint = await buildMint(
    net,
    Array.from({ length: count }, () => coin(10n)),
  );
  await chain.append([mint.bytes]);
  const keys = Array.from({ length: count }, (_, i) => coinKey(mint.txid, i));
  const state = chain.state;
  const spend = (key: string, opts = {}) => buildSpend(net, [key], [coin(10n)], { state, ...opts });
  const honest = await Promise.all(keys.slice(0, options.valid).map((k) => spend(k)));
  const [k1, k2, k3, k4] = keys.slice(options.valid) as [string, string, string, string];

  const stranger = (await createDevNetwork({ seed: `${options.seed}-x`, backend: nativeEd25519 }))
    .client;
  const expired = await issueDevMember({
    org: net.orgs[0]!,
    role: 'client',
    name: 'expired',
    seed: options.seed,
    notBefore: net.time - 10_000,
    notAfter: net.time - 1,
    backend: nativeEd25519,
  });
  const forgedEndorsement = mutate((await spend(k1)).bytes, (e) => {
    e.endorsements[1]!.signature[0]! ^= 1;
  });
  const badCreatorSig = mutate((await spend(k2)).bytes, (e) => {
    e.signedProposal.signature[5]! ^= 0x10;
  });
  const oneOrg = await spend(k3, { endorsers: [net.peers[0]!, net.peers[0]!] });
  const unbalanced = await buildSpend(net, [k4], [coin(11n)], { state, unchecked: true });
  const doubleSpend = await spend(keys[0]!);
  const data = [
    ...honest.map((t) => t.bytes),
    forgedEndorsement,
    badCreatorSig,
    oneOrg.bytes,
    unbalanced.bytes,
    utf8('not an envelope'),
    (await buildMint(net, [coin(1n)], { channel: 'other' })).bytes,
    encodeEnvelope({ type: 'config', config: net.config }),
    (await buildMint(net, [coin(1n)], { creator: stranger })).bytes,
    (await buildMint(net, [coin(1n)], { creator: expired })).bytes,
    (await buildMint(net, [coin(5n, 'FBC')])).bytes,
    (await buildMint(net, [coin(0n)], { unchecked: true })).bytes, // stateless FABCOIN_INVALID
    honest[1]!.bytes, // replayed: DUPLICATE_TXID
    doubleSpend.bytes, // spends honest[0]'s coin again: MVCC_READ_CONFLICT
  ];
  const block = await buildBlock(net, chain.tip, data);
  const ctx = { channel: net.channel, at: block.header.timestamp, backend: nativeEd25519 };
  return { net, chain, block, inline: await checkAllInline(data, ctx) };
}

export function ctxOf(fx: MixedBlock) {
  return { channel: fx.net.channel, at: fx.block.header.timestamp, backend: nativeEd25519 };
}

/** Resolves once `check` holds, polling; fails after `ms`. */
export async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
