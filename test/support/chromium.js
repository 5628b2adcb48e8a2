// Headless Chromium for the tests and benchmarks that drive a real browser:
// which binary (CHROME_PATH, else Debian's /usr/bin/chromium; never a
// downloaded one), the flags it needs on this machine kind
// (shared/TOOLCHAIN.md), launching it with playwright-core, and a page's
// scripts bundled with esbuild and served from a throwaway server on
// 127.0.0.1 (a secure context: WebCrypto and IndexedDB).
//
// Plain JavaScript (types in chromium.d.ts) so that web-test-runner.config.mjs
// and ensure-chromium.mjs, which node runs without tsx, can import it too.
// playwright-core and esbuild are loaded when first used, which keeps those
// two quick to start. @weft/node's own benchmark (packages/node/src/bench/
// browser-bench.ts) keeps its copy: it is production source, and @weft/test
// is only a devDependency of @weft/node.
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:http';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** CHROME_PATH, else /usr/bin/chromium; not checked (see isExecutable). */
export function chromiumPath(env = process.env) {
  return env.CHROME_PATH || DEFAULT_CHROMIUM;
}

export function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Flags measured on this machine kind (shared/TOOLCHAIN.md): without the
 * background-networking ones Chromium keeps dialing out.
 */
export function chromiumArgs() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return [
    ...(isRoot ? ['--no-sandbox'] : []),
    '--headless=new',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
}

/** A headless Chromium with chromiumArgs(); `options` adds playwright launch options (timeout). */
export async function launchChromium(executablePath, options = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: chromiumArgs(), ...options });
}

/**
 * Bundles each entry and what it imports as one browser ES module. Returns
 * the modules by URL path (entry `page` is served as `/page.js`) and
 * esbuild's warnings, formatted; errors fail the build.
 */
export async function bundleForBrowser(entryPoints) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/',
    write: false,
    logLevel: 'silent',
  });
  const warnings = result.warnings.map(
    (w) => `${w.id}: ${w.text}${w.location ? ` (${w.location.file}:${w.location.line})` : ''}`,
  );
  return { files: new Map(result.outputFiles.map((f) => [f.path, f.text])), warnings };
}

/** An HTML page that loads one module script. */
export function pageHtml(title, script) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title></head>
<body><script type="module" src="${script}"></script></body></html>
`;
}

/** Serves `html` at / and `scripts` (by URL path) on 127.0.0.1 at an ephemeral port. */
export async function servePage(html, scripts) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = path === '/' ? html : scripts.get(path);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const type = path === '/' ? 'text/html' : 'text/javascript';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
