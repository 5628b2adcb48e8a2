import { defineConfig } from 'vite';

// The wallet UI: a static app (served by `weft up`, or any static host).
// libp2p's CommonJS dependencies are turned into ESM by Vite's bundler; no
// Node built-ins are polyfilled, since @weft/light imports none.
export default defineConfig({
  // Relative asset URLs: the app works under any path it is served from.
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // The verify worker (src/workers) is a module worker: ES output, top-level imports.
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // libp2p and the crypto libraries are one chunk of a few hundred kB: expected.
    chunkSizeWarningLimit: 1500,
  },
});
