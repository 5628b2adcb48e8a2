import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from '@weft/test/harness';
import { defaultNetworkSpec, type NetworkSpec } from '../../src/material/index.js';

export const NOW = Date.UTC(2026, 0, 1);

/** The dev spec, shrunk to one peer per org so generation stays fast. */
export function smallSpec(): NetworkSpec {
  return defaultNetworkSpec({ peersPerOrg: 1, now: NOW });
}

/** A fresh temporary directory, removed after the file's tests. */
export async function tempDir(prefix = 'weft-material-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
