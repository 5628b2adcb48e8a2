import {
  type Attestation,
  type Certificate,
  codesHash,
  type Signer,
  signAttestation,
  TxCode,
} from '@weft/core';

// TEST HOOKS, never for production. Read once from the environment, here
// and nowhere else, and they change only what a peer gossips about its
// commits: its ledger and what it serves on request stay true.
//
// - WEFT_FAULT_SILENT_ATTESTER=1: the peer never publishes its commit
//   attestations (as if every such message were lost), so the other peers
//   can have them only by pull (packages/node/test/e2e/gossip.test.ts).
// - WEFT_FAULT_ATTEST_WRONG_CODES=1: the attestation it publishes states
//   codes with the first transaction's flipped (VALID <-> FABCOIN_INVALID),
//   so end-to-end tests can show the auditor naming a peer that attests
//   wrong codes (test/e2e-browser).
const SILENT_ATTESTER = process.env.WEFT_FAULT_SILENT_ATTESTER === '1';
const ATTEST_WRONG_CODES = process.env.WEFT_FAULT_ATTEST_WRONG_CODES === '1';

/** The attestation a peer gossips for a block it committed: its own unless a hook says otherwise; undefined for none. */
export async function gossipedAttestation(
  attestation: Attestation,
  codes: readonly TxCode[],
  identity: { signer: Signer; cert: Certificate },
): Promise<Attestation | undefined> {
  if (SILENT_ATTESTER) return undefined;
  if (!ATTEST_WRONG_CODES || codes.length === 0) return attestation;
  const flipped = codes[0] === TxCode.VALID ? TxCode.FABCOIN_INVALID : TxCode.VALID;
  const wrong = codesHash([flipped, ...codes.slice(1)]);
  return signAttestation({ ...attestation, codesHash: wrong }, identity.signer, identity.cert);
}
