// @web/test-runner plugin: the wallet UI's tests import the @weft/light
// package as the app does, and its libp2p dependencies include CommonJS
// modules (netmask...) that an unbundled ES-module server cannot serve. So
// that one import is served as an esbuild bundle of packages/light (as Vite
// bundles it for the app), with @weft/core left external: the page keeps one
// copy of core, and instanceof checks on its errors hold.
import { resolve } from 'node:path';
import { build } from 'esbuild';

const VIRTUAL = '/packages/light/__weft-light-bundle__.js';

export function lightBundlePlugin(repoRoot) {
  let bundle;
  return {
    name: 'weft-light-bundle',
    resolveImport({ source, context }) {
      if (source === '@weft/light' && context.path.startsWith('/packages/wallet-ui/'))
        return VIRTUAL;
      return undefined;
    },
    async serve(context) {
      if (context.path !== VIRTUAL) return undefined;
      bundle ??= build({
        entryPoints: [resolve(repoRoot, 'packages/light/src/index.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        external: ['@weft/core'],
        write: false,
        logLevel: 'error',
      }).then((r) => r.outputFiles[0].text);
      return { body: await bundle, type: 'js' };
    },
  };
}
