import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WeftError } from '@weft/core';
import type { Logger } from './logger.js';
import type { NodeMetrics } from './metrics.js';

/** The operations endpoint could not start. */
export class OpsError extends WeftError {}

export interface ChannelHealth {
  name: string;
  height: number;
  /** Anything else worth showing per channel (leader, role...). */
  [detail: string]: unknown;
}

/** What the node reports about itself; `ready: false` makes /healthz answer 503. */
export interface HealthReport {
  ready: boolean;
  channels: ChannelHealth[];
  /** Why the node is not ready (or degraded), for humans. */
  reasons?: string[];
  /** Other nodes whose certificates this node has verified (its hello partners and known orderers). */
  knownNodes?: number;
}

export interface OpsServerOptions {
  host: string;
  /** 0 picks a free port (tests); read it back from OpsServer.port. */
  port: number;
  metrics: NodeMetrics;
  health: () => HealthReport | Promise<HealthReport>;
  logger?: Logger;
  /** The process start, for uptime; default now. */
  startedAt?: number;
}

export interface OpsServer {
  host: string;
  port: number;
  /** Base URL, e.g. http://127.0.0.1:9443 */
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`);
}

/**
 * The HTTP operations endpoint (Fabric's operations service): GET /metrics
 * in Prometheus text format and GET /healthz as JSON; 405 for other
 * methods on those paths, 404 for everything else. It serves no ledger
 * data, so it binds to loopback unless the config says otherwise.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const startedAt = options.startedAt ?? Date.now();
  const log = options.logger;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    if (path !== '/metrics' && path !== '/healthz') return json(res, 404, { error: 'not found' });
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      return json(res, 405, { error: 'method not allowed' });
    }
    if (path === '/metrics') {
      return send(res, 200, options.metrics.contentType, await options.metrics.text());
    }
    let report: HealthReport;
    try {
      report = await options.health();
    } catch (err) {
      // A health probe that throws means the node cannot vouch for itself: unavailable.
      report = {
        ready: false,
        channels: [],
        reasons: [`health check failed: ${(err as Error).message}`],
      };
    }
    json(res, report.ready ? 200 : 503, {
      status: report.ready ? 'ok' : 'unavailable',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      channels: report.channels,
      ...(report.knownNodes !== undefined ? { knownNodes: report.knownNodes } : {}),
      ...(report.reasons?.length ? { reasons: report.reasons } : {}),
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log?.error({ err }, 'ops request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        new OpsError(
          'OPS_LISTEN',
          `ops server on ${options.host}:${options.port}: ${err.message}`,
          {
            cause: err,
          },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => log?.error({ err }, 'ops server error'));
  const { port } = server.address() as AddressInfo;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostInUrl}:${port}`;
  log?.info({ url }, 'operations endpoint listening');

  let closing: Promise<void> | null = null;
  return {
    host: options.host,
    port,
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Scrapers hold keep-alive connections; without this close() waits for them to time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
