import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tcp } from '@libp2p/tcp';
import { fromHex, WeftError } from '@weft/core';
import {
  FabcoinWallet,
  HeaderChain,
  Libp2pTransport,
  levelVaultStore,
  ProofVerifier,
  type VaultStore,
  WalletSession,
} from '@weft/light';
import { ClassicLevel } from 'classic-level';
import { passphrase } from './prompt.js';

/** Options every command takes (commander's globals). */
export interface GlobalOptions {
  /** The data directory: the LevelDB (vaults, verified headers) and network.json. */
  data: string;
  wallet: string;
  json?: boolean;
  genesis?: string;
  peer?: string[];
  channel?: string;
}

/** What the wallet is told about its network out of band; kept in `<data>/network.json`. */
export interface NetworkSettings {
  channel: string;
  /** Hex of the channel's genesis block hash: the light client's only trust anchor. */
  genesisHash: string;
  /** Full nodes (gateways) with /p2p, TCP or WebSockets. */
  peers: string[];
}

export const DATA_ENV = 'WEFT_WALLET_DIR';
export const DEFAULT_DATA_DIR = path.join(os.homedir(), '.weft-wallet');
const SETTINGS_FILE = 'network.json';

/** The data directory's database and vault store; close() when done (LevelDB is single-process). */
export async function openData(dir: string): Promise<{ db: ClassicLevel; store: VaultStore }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const db = new ClassicLevel(path.join(dir, 'db'));
  try {
    await db.open();
  } catch (err) {
    throw new WeftError('CLI_DATA_LOCKED', `cannot open ${dir} (in use by another wallet?)`, {
      cause: err,
    });
  }
  return { db, store: levelVaultStore(db) };
}

async function storedSettings(dir: string): Promise<Partial<NetworkSettings>> {
  try {
    return JSON.parse(await readFile(path.join(dir, SETTINGS_FILE), 'utf8')) as NetworkSettings;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return {};
    throw new WeftError('CLI_BAD_SETTINGS', `${SETTINGS_FILE} in ${dir} is unreadable`, {
      cause: err,
    });
  }
}

/**
 * The network settings: stored ones, overridden (and stored) by --genesis,
 * --peer and --channel. Undefined when some are still missing.
 */
export async function networkSettings(o: GlobalOptions): Promise<NetworkSettings | undefined> {
  const stored = await storedSettings(o.data);
  const given: Partial<NetworkSettings> = {
    ...(o.channel ? { channel: o.channel } : {}),
    ...(o.genesis ? { genesisHash: o.genesis.toLowerCase() } : {}),
    ...(o.peer?.length ? { peers: o.peer } : {}),
  };
  const merged = { channel: 'weft', ...stored, ...given };
  if (Object.keys(given).length > 0) {
    await writeFile(path.join(o.data, SETTINGS_FILE), `${JSON.stringify(merged, null, 2)}\n`);
  }
  if (!merged.genesisHash || !merged.peers?.length) return undefined;
  return merged as NetworkSettings;
}

export interface OpenWallet {
  wallet: FabcoinWallet;
  settings: NetworkSettings;
  close(): Promise<void>;
}

/** Unlocks the wallet and connects it to its network (a light client that trusts only the genesis hash). */
export async function openWallet(
  o: GlobalOptions,
  follow?: { timeoutMs: number },
): Promise<OpenWallet> {
  const { db, store } = await openData(o.data);
  const closers: (() => Promise<unknown>)[] = [() => db.close()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    const settings = await networkSettings(o);
    if (!settings) {
      throw new WeftError(
        'CLI_NO_NETWORK',
        'no network yet: pass --genesis <hash> and --peer <multiaddr> once (they are remembered)',
      );
    }
    // No auto-lock: the process holds the keys only for one command.
    const session = new WalletSession({
      store,
      name: o.wallet,
      idleTimeoutMs: Number.POSITIVE_INFINITY,
    });
    await session.unlock(await passphrase());
    closers.push(async () => session.lock());
    const transport = await Libp2pTransport.create({
      channel: settings.channel,
      nodes: settings.peers,
      transports: [tcp()],
    });
    closers.push(() => transport.close());
    const chain = await HeaderChain.open({ transport, genesisHash: genesisBytes(settings), db });
    const wallet = new FabcoinWallet({
      session,
      verifier: new ProofVerifier({ chain }),
      ...(follow ? { followTimeoutMs: follow.timeoutMs } : {}),
    });
    return { wallet, settings, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function genesisBytes(s: NetworkSettings): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(s.genesisHash)) {
    throw new WeftError('CLI_BAD_GENESIS', 'the genesis hash is 64 hex digits');
  }
  return fromHex(s.genesisHash);
}
