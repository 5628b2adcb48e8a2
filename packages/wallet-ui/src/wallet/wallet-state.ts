import type { LabelBalance, LockReason, ReceiveInfo, WalletCoin, WalletJournal } from '@weft/light';
import type { ShownError } from '../ui/errors.js';

/** Everything the wallet views show; secrets never enter it. */
export interface WalletState {
  /** Wallets stored in this browser (their vaults), sorted. */
  names: string[];
  /** The open (unlocked) wallet. */
  open?: OpenWallet;
  /** Why the last session ended, to tell the holder ("locked after 5 minutes idle"). */
  lockedBecause?: LockReason;
  /** The vault store could not be opened (private mode, quota...). */
  storeError?: ShownError;
}

export interface OpenWallet {
  name: string;
  enrollment?: { org: string; role: string; notAfter: number };
  balances?: Record<string, LabelBalance>;
  coins?: WalletCoin[];
  /** False when a node's listing stopped early: there may be more coins. */
  complete?: boolean;
  journal: WalletJournal;
  /** The owner key currently offered for receiving. */
  receive?: ReceiveInfo;
  refreshing: boolean;
  /** The verified height the figures were computed at. */
  refreshedHeight?: number;
  error?: ShownError;
}

export const EMPTY_STATE: WalletState = { names: [] };
