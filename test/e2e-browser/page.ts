// The browser side of the end-to-end test: bundled with esbuild
// (browser.ts) and loaded into Chromium, where it defines the LightPageApi
// the driver calls. The light client here is the real one: Libp2pTransport
// over WebSockets to the network's peers, headers verified from the genesis
// hash and kept in IndexedDB; the wallet steps are in page-wallet.ts.
// Browser code: no Node built-ins.
import { fromHex } from '@weft/core';
import {
  audit,
  type ClosableHeaderStore,
  HeaderChain,
  Libp2pTransport,
  openIndexedDbHeaderStore,
  ProofVerifier,
} from '@weft/light';
import {
  type AuditView,
  type CoinsView,
  type LightPageApi,
  type OpenOptions,
  PAGE_GLOBAL,
  type PageResult,
  type SyncResult,
} from './page-api.js';
import { coinView, errorView, txView } from './page-views.js';
import { walletApi } from './page-wallet.js';

interface Client {
  options: OpenOptions;
  transport: Libp2pTransport;
  store: ClosableHeaderStore;
  chain: HeaderChain;
  verifier: ProofVerifier;
}

let client: Client | undefined;

function opened(): Client {
  if (!client) throw new Error('call open() first');
  return client;
}

const wallets = walletApi(opened);

async function closeClient(): Promise<void> {
  await wallets.close();
  await client?.transport.close();
  await client?.store.close();
  client = undefined;
}

const api: LightPageApi = {
  ...wallets,

  async open(options) {
    await closeClient();
    const genesisHash = fromHex(options.genesisHash);
    const store = await openIndexedDbHeaderStore({ genesisHash, dbName: options.dbName });
    const transport = await Libp2pTransport.create({
      channel: options.channel,
      nodes: options.nodes,
    });
    const chain = await HeaderChain.open({ transport, genesisHash, store });
    client = { options, transport, store, chain, verifier: new ProofVerifier({ chain }) };
    return { storedHeight: chain.height };
  },

  async sync(): Promise<SyncResult> {
    const { chain } = opened();
    const phases: string[] = [];
    const tip = await chain.sync({
      onProgress: (p) => {
        if (phases.at(-1) !== p.phase) phases.push(p.phase);
      },
    });
    return { tip: tip.number, height: chain.height, phases };
  },

  async verifyTx(txidHex, timeoutMs) {
    const { verifier, chain } = opened();
    const txid = fromHex(txidHex);
    const waited = await verifier.waitForTx(txid, { timeoutMs });
    if (waited.status !== 'valid' && waited.status !== 'invalid') return txView(waited);
    // The verdict again, from one served answer whose proof is reported with it.
    const served = await chain.transport.tx(txid);
    const verdict = await verifier.checkTx(served.value, served.node, txid);
    return {
      ...txView(verdict),
      treeSize: served.value.treeSize,
      proofLength: served.value.proof.length,
    };
  },

  async coins(ownerHex): Promise<CoinsView> {
    const list = await opened().verifier.coins(fromHex(ownerHex));
    return {
      coins: list.coins.map(coinView),
      balances: Object.fromEntries(
        Object.entries(list.balances).map(([label, amount]) => [label, amount.toString()]),
      ),
      complete: list.complete,
    };
  },

  async audit(): Promise<AuditView> {
    const { transport, options } = opened();
    let progressEvents = 0;
    const report = await audit({
      transport,
      genesisHash: fromHex(options.genesisHash),
      onProgress: () => {
        progressEvents++;
      },
    });
    return { report, progressEvents };
  },

  close: closeClient,
};

/** Each method settles with a PageResult: errors cross with their code and class. */
const global = Object.fromEntries(
  Object.entries(api).map(([name, fn]) => [
    name,
    async (...args: unknown[]): Promise<PageResult<unknown>> => {
      try {
        return { ok: true, value: await (fn as (...a: unknown[]) => unknown)(...args) };
      } catch (err) {
        return { ok: false, error: errorView(err) };
      }
    },
  ]),
);

Object.assign(globalThis, { [PAGE_GLOBAL]: global });
