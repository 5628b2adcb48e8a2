// Where the test files are, shared by the Node runner and the browser config.
// Node 20's --test does not expand globs, so the runners expand them here.
import { fileURLToPath } from 'node:url';
import { glob } from 'tinyglobby';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const ignore = ['**/node_modules/**', '**/dist/**'];

/** Every *.test.ts in packages/*\/test and test/, except browser-only files. */
export async function nodeTestFiles() {
  const files = await glob(['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'], {
    cwd: repoRoot,
    ignore: [...ignore, '**/*.browser.test.ts'],
  });
  return files.sort();
}

/** Core, light and wallet UI tests run in Chromium too, except Node-only files. */
export async function browserTestFiles() {
  const files = await glob(
    [
      'packages/core/test/**/*.test.ts',
      'packages/light/test/**/*.test.ts',
      'packages/wallet-ui/test/**/*.test.ts',
    ],
    {
      cwd: repoRoot,
      ignore: [...ignore, '**/*.node.test.ts'],
    },
  );
  return files.sort();
}

/** Keeps the files whose path contains one of `filters` (all files when there are none). */
export function filterFiles(files, filters) {
  if (filters.length === 0) return files;
  return files.filter((f) => filters.some((x) => f.includes(x)));
}
