import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AuditService } from '../auditor/audit-service.js';
import type { ConnectionManager } from '../network/connection.js';
import type { WalletService } from '../wallet/wallet-service.js';

/** The page's long-lived services; views reach them through useServices(). */
export interface Services {
  connection: ConnectionManager;
  wallet: WalletService;
  audit: AuditService;
}

export const ServicesContext = createContext<Services | undefined>(undefined);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside the app');
  return services;
}
