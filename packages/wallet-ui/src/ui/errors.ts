import { errorCode } from '@weft/light';

/** An error as a person reads it: what happened, what to do, and the stable code for support. */
export interface ShownError {
  message: string;
  code?: string;
  /** Technical detail (the library's message), shown folded. */
  detail?: string;
}

const MESSAGES: Record<string, string> = {
  // Reaching full nodes
  LIGHT_NO_NODES:
    'No full node could be reached. Check that the network is running and the addresses are right.',
  NET_DIAL_FAILED:
    'A full node could not be reached. Check that it is running and its address is right.',
  NET_TIMEOUT: 'A full node took too long to answer. Try again in a moment.',
  NET_CLOSED: 'The connection to a full node closed before it answered. Try again.',
  NET_ABORTED: 'The request was cancelled.',
  NET_MALFORMED: 'A full node sent an answer that could not be read; another node will be asked.',
  NET_TOO_LARGE: 'A full node sent an answer larger than allowed; another node will be asked.',
  LIGHT_BAD_ADDRESS: 'A node address must be a WebSocket multiaddr ending in /p2p/<peer id>.',
  UI_FAUCET_FAILED: 'The dev faucet did not mint. Is weft up still running?',
  UI_OFFLINE: 'Not connected to a network. Open the Network page to connect.',
  LIGHT_NOT_FOUND: 'No full node has this item.',
  // Verification
  LIGHT_WRONG_CHAIN: 'That node serves another chain than the genesis hash you trust.',
  LIGHT_GENESIS: 'The genesis block a node served does not match the trusted genesis hash.',
  LIGHT_STORE_CORRUPT:
    'The verified headers stored in this browser are damaged. Reset the network data.',
  LIGHT_BAD_BLOCK: 'A full node served a block that fails verification.',
  // Wallet
  WALLET_BAD_PASSPHRASE: 'Wrong passphrase.',
  WALLET_WEAK_PASSPHRASE: 'Choose a longer passphrase.',
  WALLET_BAD_MNEMONIC:
    'Those recovery words are not a valid phrase. Check each word and their order.',
  WALLET_LOCKED: 'The wallet is locked. Unlock it with your passphrase.',
  WALLET_NOT_FOUND: 'There is no wallet with that name in this browser.',
  WALLET_EXISTS: 'A wallet with that name already exists in this browser.',
  WALLET_BAD_NAME: 'A wallet name has 1 to 64 printable characters.',
  WALLET_CORRUPT:
    'The stored wallet is damaged and cannot be opened. Restore it from its recovery words.',
  WALLET_UNSUPPORTED: 'This wallet was saved by a newer version of the app.',
  WALLET_STORE_FAILED: 'The browser storage failed (full, or blocked in private browsing).',
  WALLET_BAD_AMOUNT: 'The amount must be a whole number from 1 to 2^64 - 1.',
  WALLET_BAD_LABEL: 'A label has 1 to 16 letters or digits (for example FBC).',
  WALLET_BAD_RECIPIENT: 'The recipient must be an owner key: 64 hexadecimal characters.',
  WALLET_INSUFFICIENT_FUNDS:
    'Insufficient funds: your verified, spendable coins of this label do not cover the amount.',
  WALLET_TOO_MANY_INPUTS:
    'This amount needs more coins than one payment may carry. Send a smaller amount first.',
  WALLET_TOO_MANY_PENDING: 'Too many payments await a verdict. Wait for them to settle.',
  WALLET_NOT_ENROLLED:
    'This wallet has no valid client certificate. Enroll it with an organisation first.',
  WALLET_UNKNOWN_ORG: 'That organisation is not a member of this channel.',
  WALLET_SPEND_REFUSED:
    'The network refused the payment before ordering it; your coins were released.',
  // Why a gateway refused (the cause of WALLET_SPEND_REFUSED)
  GATEWAY_ENDORSEMENT_FAILED:
    'Not every organisation whose endorsement the channel requires could endorse it: one of their peers is unreachable or refused.',
  GATEWAY_NO_ENDORSER:
    'The gateway knows no endorsing peer of an organisation the channel requires.',
  ENDORSE_CHAINCODE:
    'A peer refused it under the Fabcoin rules (for example, one of the coins is already spent).',
  ENDORSE_STALE: "A peer refused it as too old or too new. Check this device's clock.",
  // Enrollment
  ENROLL_BAD_SECRET: 'The enrollment id or secret is wrong.',
  ENROLL_SECRET_USED:
    'That enrollment secret was already used. Ask your organisation for a new one.',
  ENROLL_SECRET_EXPIRED: 'That enrollment secret has expired. Ask your organisation for a new one.',
  ENROLL_WRONG_ORG: 'That node is not the certificate authority of this organisation.',
  ENROLL_RATE_LIMITED: 'Too many enrollment attempts. Wait a minute and try again.',
  ENROLL_STALE: "The request was too old when it arrived. Check this device's clock.",
  ENROLL_BAD_CERT: 'The node answered with a certificate that is not the one asked for.',
  ENROLL_BAD_ANSWER: 'The node did not answer with a certificate.',
  ENROLL_FORBIDDEN: 'The organisation refused this enrollment.',
  CODEC_SCHEMA: 'That input is not in the expected format.',
  // Auditor
  AUDIT_BLOCK_REJECTED: 'A block failed verification: the audit stopped there.',
  AUDIT_GENESIS: 'The first block is not the trusted genesis.',
  AUDIT_INCOMPLETE: 'The node stopped serving blocks before the height it announced.',
};

/** An explanation of a code as a sentence, or undefined when the code is not one we know. */
export function messageFor(code: string): string | undefined {
  return MESSAGES[code];
}

/** Any thrown value as a person needs it; never a stack trace. */
export function describeError(err: unknown): ShownError {
  const code = errorCode(err);
  if (code !== undefined) {
    const detail = (err as Error).message;
    const known = MESSAGES[code];
    // A refusal names its cause (a gateway's or peer's code): say both.
    const causeCode = errorCode((err as { cause?: unknown }).cause);
    const because = causeCode ? MESSAGES[causeCode] : undefined;
    if (known && because) {
      return { message: `${known} ${because}`, code, detail: `${causeCode}: ${detail}` };
    }
    if (known) return { message: known, code, detail };
    // The node's own refusal codes (remote) are still meaningful when unknown here.
    return { message: detail || code, code };
  }
  if (err instanceof DOMException && err.name === 'AbortError') {
    return { message: 'Cancelled.' };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: message || 'Something went wrong.' };
}
