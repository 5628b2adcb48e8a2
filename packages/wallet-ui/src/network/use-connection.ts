import { useServices } from '../app/services.js';
import { Observable, useObservable } from '../state/observable.js';
import type { ConnectionManagerState } from './connection.js';
import type { ConnectionState, LightClient } from './light-client.js';

const NONE = new Observable<ConnectionState | undefined>(undefined);

/** The connection manager's state, the open client (if any) and its sync state. */
export function useConnection(): {
  manager: ConnectionManagerState;
  client: LightClient | undefined;
  state: ConnectionState | undefined;
} {
  const { connection } = useServices();
  const manager = useObservable(connection.state);
  const source = (manager.client?.state ?? NONE) as Observable<ConnectionState | undefined>;
  const state = useObservable(source);
  return { manager, client: manager.client, state };
}
