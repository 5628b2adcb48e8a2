import { Observable } from '../state/observable.js';
import { describeError, type ShownError } from '../ui/errors.js';
import { LightClient } from './light-client.js';
import { checkNetworkConfig, type NetworkConfig, networkFromQuery } from './network-config.js';

export type NetworkSource = 'link' | 'saved' | 'server';

export interface ConnectionManagerState {
  config?: NetworkConfig;
  source?: NetworkSource;
  client?: LightClient;
  opening: boolean;
  error?: ShownError;
}

const SAVED_KEY = 'weft-ui-network';

/**
 * The network this page opens: the one a link names (?genesis=...), else the
 * one the serving `weft up` announces (network.json), else the last one used
 * in this browser.
 */
export async function initialNetwork(
  location: Pick<Location, 'search' | 'href'>,
  storage: Pick<Storage, 'getItem'> | undefined,
  fetchJson: (url: string) => Promise<unknown>,
): Promise<{ config: NetworkConfig; source: NetworkSource } | { error: string } | undefined> {
  const linked = networkFromQuery(location.search);
  if (linked) return linked.ok ? { config: linked.value, source: 'link' } : { error: linked.error };
  try {
    const served = checkNetworkConfig(await fetchJson(new URL('network.json', location.href).href));
    if (served.ok) return { config: served.value, source: 'server' };
  } catch {
    // No server network: a static host, or the server is gone.
  }
  const saved = storage?.getItem(SAVED_KEY);
  if (!saved) return undefined;
  try {
    const checked = checkNetworkConfig(JSON.parse(saved));
    return checked.ok ? { config: checked.value, source: 'saved' } : undefined;
  } catch {
    return undefined;
  }
}

/** The network the app is connected to, switched by connect(). */
export class ConnectionManager {
  readonly state = new Observable<ConnectionManagerState>({ opening: false });
  #generation = 0;

  get client(): LightClient | undefined {
    return this.state.value.client;
  }

  async connect(config: NetworkConfig, source: NetworkSource): Promise<void> {
    const generation = ++this.#generation;
    const previous = this.state.value.client;
    this.state.set({ config, source, opening: true });
    await previous?.close();
    try {
      const client = await LightClient.open(config);
      if (generation !== this.#generation) {
        await client.close();
        return;
      }
      if (source !== 'server') saveNetwork(config);
      this.state.set({ config, source, client, opening: false });
      client.start();
    } catch (err) {
      if (generation === this.#generation) {
        this.state.set({ config, source, opening: false, error: describeError(err) });
      }
    }
  }

  /** Forgets the saved network (the server's, if any, is used on the next load). */
  forget(): void {
    try {
      localStorage.removeItem(SAVED_KEY);
    } catch {
      // Storage may be unavailable (private mode); nothing to forget then.
    }
  }
}

function saveNetwork(config: NetworkConfig): void {
  try {
    localStorage.setItem(SAVED_KEY, JSON.stringify(config));
  } catch {
    // Not saved: the link still works.
  }
}
