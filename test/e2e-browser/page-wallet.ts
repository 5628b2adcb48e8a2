// Browser side of the wallet steps: @weft/light's FabcoinWallet over
// WalletSessions whose encrypted vaults live in IndexedDB (idb), with the
// production PBKDF2 policy, using the page's verifier and libp2p
// transport. Browser code: no Node built-ins.
import { type Certificate, toHex, utf8 } from '@weft/core';
import {
  FabcoinWallet,
  type Libp2pTransport,
  openIndexedDbVaultStore,
  type ProofVerifier,
  readVaultHeader,
  requestPersistence,
  type VaultStore,
  WalletSession,
} from '@weft/light';
import type { CertificateView, VaultRef, WalletPageApi } from './page-api.js';
import { coinView, decimals, txView } from './page-views.js';

export interface WalletClient {
  verifier: ProofVerifier;
  transport: Libp2pTransport;
}

function certificateView(c: Certificate): CertificateView {
  return { org: c.org, role: c.role, publicKey: toHex(c.publicKey) };
}

/** Whether `needle` occurs in `bytes`. */
function contains(bytes: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** The wallet steps of the page's API, over the client `client()` returns. */
export function walletApi(client: () => WalletClient): WalletPageApi & { close(): Promise<void> } {
  const stores = new Map<string, Promise<VaultStore>>();
  const wallets = new Map<string, FabcoinWallet>();

  const store = (vaultDb: string): Promise<VaultStore> => {
    let opened = stores.get(vaultDb);
    if (!opened) {
      opened = openIndexedDbVaultStore({ dbName: vaultDb });
      stores.set(vaultDb, opened);
    }
    return opened;
  };
  const adopt = (session: WalletSession): FabcoinWallet => {
    const wallet = new FabcoinWallet({ session, verifier: client().verifier });
    wallets.set(session.name, wallet);
    return wallet;
  };
  const wallet = (name: string): FabcoinWallet => {
    const w = wallets.get(name);
    if (!w) throw new Error(`no wallet "${name}" was created or unlocked in this page`);
    return w;
  };
  /** The session's store is shared by the page's wallets of one database. */
  const sessionOptions = async (o: VaultRef) => ({ store: await store(o.vaultDb), name: o.name });

  return {
    async walletCreate(o) {
      const session = await WalletSession.create({
        ...(await sessionOptions(o)),
        passphrase: o.passphrase,
        ...(o.mnemonic ? { mnemonic: o.mnemonic } : {}),
        ...(o.labels ? { labels: o.labels } : {}),
      });
      adopt(session);
      const persistence = await requestPersistence();
      // The one time the sentence is shown: the holder writes it down.
      const mnemonic = await session.revealMnemonic(o.passphrase);
      const vaults = await store(o.vaultDb);
      const record = await vaults.get(o.name);
      if (!record) throw new Error('the new vault is not in IndexedDB');
      const { kdf } = readVaultHeader(record);
      return {
        mnemonic,
        persistence,
        stored: await vaults.names(),
        vault: {
          bytes: record.length,
          kdf: kdf.name,
          iterations: kdf.iterations,
          containsMnemonic: contains(record, utf8(mnemonic)),
        },
      };
    },

    async walletUnlock(o) {
      // Registered before unlocking: after a wrong passphrase the wallet is there, locked.
      const w = wallets.get(o.name) ?? adopt(new WalletSession(await sessionOptions(o)));
      const report = await w.session.unlock(o.passphrase);
      const org = w.session.metadata().enrollment?.certificate.org;
      return {
        kdfUpgraded: report.kdfUpgraded,
        persistence: await requestPersistence(),
        ...(org ? { enrolledOrg: org } : {}),
      };
    },

    async walletNames(vaultDb) {
      return (await store(vaultDb)).names();
    },

    async walletEnroll(name, o) {
      const cert = await wallet(name).enroll({
        transport: client().transport.enrollTransport(o.ca),
        org: o.org,
        id: o.id,
        secret: o.secret,
      });
      return certificateView(cert);
    },

    async walletReceive(name) {
      const r = await wallet(name).receive();
      return {
        index: r.index,
        ownerKey: r.ownerKey,
        ...(r.certificate ? { certificate: certificateView(r.certificate) } : {}),
      };
    },

    async walletCoins(name) {
      const { coins, complete } = await wallet(name).coins();
      return {
        coins: coins.map((c) => ({ ...coinView(c), locked: c.locked, ownerIndex: c.ownerIndex })),
        complete,
      };
    },

    async walletBalance(name) {
      const { labels, complete } = await wallet(name).balance();
      return { labels: decimals(labels), complete };
    },

    async walletSpend(name, o) {
      const paid = await wallet(name).spend({ to: o.to, label: o.label, amount: BigInt(o.amount) });
      return {
        txid: toHex(paid.txid),
        status: paid.status,
        verdict: txView(paid.verdict),
        inputs: paid.inputs,
        change: paid.change.toString(),
        ...(paid.followError ? { followError: paid.followError } : {}),
      };
    },

    async walletHistory(name) {
      const { pending, history } = wallet(name).history();
      return {
        pending: pending.length,
        history: history.map((h) => ({
          txid: toHex(h.txid),
          outcome: h.outcome,
          amount: h.amount.toString(),
          label: h.label,
          ...(h.block !== undefined ? { block: h.block } : {}),
        })),
      };
    },

    async close() {
      for (const w of wallets.values()) w.session.lock();
      wallets.clear();
      const opened = [...stores.values()];
      stores.clear();
      await Promise.all(opened.map(async (s) => (await s).close()));
    },
  };
}
