// The Ed25519 test vectors next to this module, decoded once for every test that needs them:
// Wycheproof's EdDSA file and Weft's own strict file. Runs in Node and in Chromium alike, so it
// reads through the shared harness and decodes hex with core's fromHex (no Node built-ins).
import { readJsonFixture } from '@weft/test/harness';
import { fromHex } from '../../src/bytes.js';

/** One signature case, decoded: the verdict every backend must give through verifyStrict. */
export interface Ed25519Vector {
  name: string;
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  valid: boolean;
}

export interface WycheproofVector extends Ed25519Vector {
  tcId: number;
}

export interface StrictVector extends Ed25519Vector {
  id: number;
  group: string;
  /** Verifier classes that accept the bytes without Weft's rule (see the file's description). */
  acceptedBy: string[];
}

export interface VectorSet<V extends Ed25519Vector> {
  /** The count the file claims, for tests to hold it to. */
  numberOfTests: number;
  vectors: V[];
}

export interface Ed25519Vectors {
  wycheproof: VectorSet<WycheproofVector>;
  strict: VectorSet<StrictVector>;
}

interface WycheproofFile {
  numberOfTests: number;
  testGroups: {
    publicKey: { pk: string };
    tests: { tcId: number; msg: string; sig: string; result: string }[];
  }[];
}

interface StrictFile {
  numberOfTests: number;
  tests: {
    id: number;
    group: string;
    publicKey: string;
    message: string;
    signature: string;
    valid: boolean;
    acceptedBy: string[];
  }[];
}

function wycheproofValid(tcId: number, result: string): boolean {
  if (result === 'valid') return true;
  if (result === 'invalid') return false;
  // The file has no 'acceptable' results; one would need a deliberate decision, so fail loudly.
  throw new Error(`wycheproof #${tcId}: result '${result}' is neither 'valid' nor 'invalid'`);
}

/**
 * Loads and decodes both vector files. Rejects if a Wycheproof result is anything but 'valid' or
 * 'invalid'.
 */
export async function loadEd25519Vectors(): Promise<Ed25519Vectors> {
  const [wycheproofFile, strictFile] = await Promise.all([
    readJsonFixture<WycheproofFile>(new URL('./wycheproof-ed25519.json', import.meta.url)),
    readJsonFixture<StrictFile>(new URL('./weft-ed25519-strict.json', import.meta.url)),
  ]);

  const wycheproof = wycheproofFile.testGroups.flatMap((g) =>
    g.tests.map(
      (t): WycheproofVector => ({
        name: `wycheproof #${t.tcId}`,
        tcId: t.tcId,
        publicKey: fromHex(g.publicKey.pk),
        message: fromHex(t.msg),
        signature: fromHex(t.sig),
        valid: wycheproofValid(t.tcId, t.result),
      }),
    ),
  );

  const strict = strictFile.tests.map(
    (t): StrictVector => ({
      name: `strict #${t.id} (${t.group})`,
      id: t.id,
      group: t.group,
      publicKey: fromHex(t.publicKey),
      message: fromHex(t.message),
      signature: fromHex(t.signature),
      valid: t.valid,
      acceptedBy: t.acceptedBy,
    }),
  );

  return {
    wycheproof: { numberOfTests: wycheproofFile.numberOfTests, vectors: wycheproof },
    strict: { numberOfTests: strictFile.numberOfTests, vectors: strict },
  };
}
