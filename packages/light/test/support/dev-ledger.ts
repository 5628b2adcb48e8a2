// What a full node keeps, built with core's dev kit: blocks committed by a
// DevChain, their codes, a txid index (first occurrence only, as a peer's
// ledger keeps it), unspent coins and peers' signed commit attestations.
// The fake transport answers from it; hostile tests tamper with the answers.
import {
  type Attestation,
  blockHash,
  codesHash,
  decodeCoin,
  envelopeHash,
  fromHex,
  inclusionProof,
  type LightBlock,
  type LightCoin,
  type LightHeader,
  type LightTx,
  signAttestation,
  type TxCode,
  toHex,
} from '@weft/core';
import {
  createDevNetwork,
  DevChain,
  type DevMember,
  type DevNetwork,
  type DevNetworkOptions,
} from '@weft/core/dev';

export class DevLedger {
  readonly codes: TxCode[][];
  readonly attestations = new Map<number, Attestation[]>();
  readonly txs = new Map<string, { block: number; index: number }>();

  private constructor(
    readonly net: DevNetwork,
    readonly chain: DevChain,
  ) {
    this.codes = [[0 as TxCode]];
  }

  static async create(options: DevNetworkOptions = {}): Promise<DevLedger> {
    // Three peer orgs and OutOf(2, ...): one peer's attestation is never enough.
    const net = await createDevNetwork({ peerOrgs: 3, ...options });
    return new DevLedger(net, new DevChain(net));
  }

  get height(): number {
    return this.chain.blocks.length;
  }

  /**
   * Orders `data` into the next block, commits it and has `attesters`
   * (default: every peer) attest the result.
   */
  async append(
    data: Uint8Array[],
    attesters: readonly DevMember[] = this.net.peers,
  ): Promise<{ number: number; codes: TxCode[] }> {
    const { block, validation } = await this.chain.append(data);
    const number = block.header.number;
    this.codes[number] = validation.codes;
    validation.txids.forEach((txid, index) => {
      if (txid && !this.txs.has(toHex(txid))) this.txs.set(toHex(txid), { block: number, index });
    });
    const body = this.attestationBody(number);
    this.attestations.set(
      number,
      await Promise.all(attesters.map((p) => signAttestation(body, p.signer, p.cert))),
    );
    return { number, codes: validation.codes };
  }

  /** What an honest peer attests for block `number` (commitHash only for the tip). */
  attestationBody(number: number) {
    return {
      channel: this.net.config.channel,
      number,
      blockHash: blockHash(this.chain.blocks[number]!.header),
      codesHash: codesHash(this.codes[number]!),
      commitHash: this.chain.commitHash,
    };
  }

  header(n: number): LightHeader {
    const b = this.chain.blocks[n]!;
    return { header: b.header, signatures: b.signatures };
  }

  block(n: number): LightBlock | undefined {
    const b = this.chain.blocks[n];
    return b && { block: b, codes: this.codes[n]! };
  }

  /** The tx answer an honest node gives: envelope, RFC 6962 path, the block's codes. */
  lightTx(txid: Uint8Array): LightTx | undefined {
    const at = this.txs.get(toHex(txid));
    return at && this.lightTxAt(at.block, at.index);
  }

  /** The tx answer for envelope `index` of block `block`, recorded or not. */
  lightTxAt(block: number, index: number): LightTx {
    const data = this.chain.blocks[block]!.data;
    return {
      envelope: data[index]!,
      block,
      index,
      treeSize: data.length,
      proof: inclusionProof(data.map(envelopeHash), index),
      codes: this.codes[block]!,
    };
  }

  /** `owner`'s unspent coins in key order, each with its creating transaction. */
  coinsOf(owner: Uint8Array): LightCoin[] {
    const out: LightCoin[] = [];
    for (const [key, { value }] of this.chain.state.values) {
      const coin = decodeCoin(value);
      if (toHex(coin.owner) !== toHex(owner)) continue;
      const tx = this.lightTx(fromHex(key.slice(0, key.indexOf('.'))));
      out.push({ key, amount: coin.amount, label: coin.label, tx: tx! });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
