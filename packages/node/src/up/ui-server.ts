// The wallet UI's static server for `weft up`: serves the built app
// (packages/wallet-ui/dist, by path: the node imports no UI code) and
// /network.json, which tells the app the dev network it was served with.
// A dev faucet (POST /faucet) is mounted when `weft up` gives one.
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the app reads from /network.json (its NetworkConfig). */
export interface UiNetwork {
  name: string;
  channel: string;
  genesisHash: string;
  /** Full nodes' WebSocket multiaddrs (with /p2p) that serve light clients and gateways. */
  nodes: string[];
  /** Org -> the WebSocket multiaddr of the node running its CA. */
  cas: Record<string, string>;
  faucet?: string;
}

export type FaucetHandler = (body: unknown) => Promise<unknown>;

export interface UiServerOptions {
  /** The built app (index.html and assets). */
  dir: string;
  port: number;
  host?: string;
  network: UiNetwork;
  faucet?: FaucetHandler;
}

export interface UiServer {
  url: string;
  close(): Promise<void>;
}

/** packages/wallet-ui, found by path from this file. */
export const WALLET_UI_DIR = fileURLToPath(new URL('../../../wallet-ui/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

const MAX_BODY = 4096;

/**
 * The built UI's folder: packages/wallet-ui/dist, built first (vite build,
 * a few seconds) when it is missing and the wallet-ui package with its
 * dependencies is present. Throws with what to run otherwise.
 */
export async function ensureWalletUiBuilt(log: (line: string) => void): Promise<string> {
  const dist = path.join(WALLET_UI_DIR, 'dist');
  if (await isFile(path.join(dist, 'index.html'))) return dist;
  log('building the wallet UI (packages/wallet-ui, once)...\n');
  await buildWalletUi(dist);
  return dist;
}

/** Builds the wallet UI into `outDir` with its own Vite (a child process). */
export async function buildWalletUi(outDir: string): Promise<void> {
  const vite = path.join(WALLET_UI_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!(await isFile(vite)))
    throw new Error(
      'the wallet UI is not built: run pnpm install, then pnpm --filter @weft/wallet-ui build',
    );
  const args = [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: WALLET_UI_DIR,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`wallet UI build failed (${code}): ${stderr}`)),
    );
  });
}

export async function startUiServer(o: UiServerOptions): Promise<UiServer> {
  const root = path.resolve(o.dir);
  const network = `${JSON.stringify(o.network)}\n`;
  const server = createServer((req, res) => {
    handle(req, res, root, network, o.faucet).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return { url: `http://${address}:${port}/`, close: () => closeServer(server) };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  network: string,
  faucet: FaucetHandler | undefined,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/faucet' && faucet) return serveFaucet(req, res, faucet);
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(res, 405, 'text/plain', 'GET only');
  if (url.pathname === '/network.json') return send(res, 200, TYPES['.json']!, network);
  const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
  const file = path.resolve(root, rel);
  // Nothing outside the app's folder, whatever the path says.
  if (file !== root && !file.startsWith(root + path.sep)) return send(res, 404, 'text/plain', '');
  if (!(await isFile(file))) return send(res, 404, 'text/plain', 'not found');
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  // Hashed asset names never change; index.html must be fetched fresh.
  const cache = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, {
    'content-type': type,
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : await readFile(file));
}

async function serveFaucet(req: IncomingMessage, res: ServerResponse, faucet: FaucetHandler) {
  if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only');
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_BODY) return send(res, 413, 'text/plain', 'too large');
  }
  try {
    const answer = await faucet(JSON.parse(body) as unknown);
    send(res, 200, TYPES['.json']!, JSON.stringify(answer));
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'FAUCET_FAILED';
    send(res, 400, TYPES['.json']!, JSON.stringify({ code, message: (err as Error).message }));
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
