// The wallet UI's numbers in a real page against a real full node: how long
// from loading the app to a verified head on a chain of N blocks (default
// 10,000 after genesis), and the auditor's throughput in the page. The node
// is an in-process WeftNode peer (with its solo orderer) whose ledger holds
// the chain, committed through its own pipeline (bench-chain.ts); the page
// dials its WebSocket listener knowing only the genesis hash. The limit is
// measured in the same page in the same run: raw WebCrypto Ed25519
// verifications/s on as many workers as the app verifies headers on (one
// orderer signature per header, so that is also headers/s at best). Each
// measure is taken twice: as the app runs (verifying on workers), and in a
// page without Web Workers, where the app falls back to verifying on its
// own thread. The node runs in this process, on the same machine as the
// browser: its CPU time during the head run is reported too.
// Opt-in (not in `pnpm test`); prints one JSON object on stdout, progress on stderr:
//   node --import tsx test/e2e-wallet-ui/page-bench.ts [--blocks 10000] [--txs 5000]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { buildWalletUi, startUiServer } from '../../packages/node/src/up/ui-server.js';
import { chromiumPath } from '../support/chromium.js';
import { BenchNetwork } from './bench-chain.js';
import { launch, newHolder } from './browser.js';
import { cpuSince, pageCpuMeter } from './page-cpu.js';
import { pageVerifyRate } from './page-verify-rate.js';

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '10000' },
    txs: { type: 'string', default: '5000' },
  },
});
const BLOCKS = Number(values.blocks);
const TXS = Number(values.txs);
const LONG = { timeout: 900_000 };

function log(message: string): void {
  console.error(`[page-bench] ${message}`);
}

async function prepare(fill: (net: BenchNetwork) => Promise<void>, what: string) {
  const net = await BenchNetwork.start();
  try {
    const started = performance.now();
    await fill(net);
    const s = ((performance.now() - started) / 1000).toFixed(1);
    log(`the peer committed ${what}: ${net.height} blocks, ${net.txs} txs, in ${s} s`);
    return net;
  } catch (err) {
    await net.stop();
    throw err;
  }
}

type Mode = 'workers' | 'page';

/** A fresh person's page; in 'page' mode the browser has no Web Workers, as some do not. */
async function openPage(browser: Browser, name: string, mode: Mode) {
  const holder = await newHolder(browser, `${name} (${mode})`);
  if (mode === 'page') await holder.page.addInitScript('globalThis.Worker = undefined');
  return holder;
}

/** Time to a verified head: from navigation start to the header showing the node's height. */
async function headRun(browser: Browser, uiDir: string, net: BenchNetwork, mode: Mode) {
  const ui = await startUiServer({ dir: uiDir, port: 0, network: net.uiNetwork });
  try {
    const holder = await openPage(browser, 'head', mode);
    const page = holder.page;
    const cpu = process.cpuUsage();
    const pageCpu = await pageCpuMeter(page);
    await page.goto(ui.url);
    const shown = `verified height ${net.height.toLocaleString('en-US')}`;
    const headMs = (await (
      await page.waitForFunction(
        (text) =>
          document.querySelector('[data-testid="connection"]')?.textContent?.includes(text)
            ? performance.now()
            : false,
        shown,
        { ...LONG, polling: 50 },
      )
    ).jsonValue()) as number;
    const { user, system } = process.cpuUsage(cpu);
    const pageCpuMs = await pageCpu();
    await page.goto(`${ui.url}#/network`);
    const workers = Number(
      await page.getByTestId('verify-workers').getAttribute('data-workers', LONG),
    );
    log(`head in ${Math.round(headMs)} ms on ${workers} workers (${mode})`);
    // The limit on the same workers, in the same page.
    const limit = workers > 0 ? await pageVerifyRate(page, { workers }) : undefined;
    await holder.context.close();
    const result = {
      pageLoadToVerifiedHeadMs: Math.round(headMs),
      headersPerSecond: Math.round(net.height / (headMs / 1000)),
      headerWorkers: workers,
      pageCpuMs,
      nodeProcessCpuMs: Math.round((user + system) / 1000),
    };
    return { result, limit, errors: holder.errors };
  } finally {
    await ui.close();
  }
}

/** The auditor in the page over a chain of real transactions, clicked to report. */
async function auditRun(browser: Browser, uiDir: string, net: BenchNetwork, mode: Mode) {
  const ui = await startUiServer({ dir: uiDir, port: 0, network: net.uiNetwork });
  try {
    const holder = await openPage(browser, 'audit', mode);
    const page = holder.page;
    await page.goto(`${ui.url}#/audit`);
    const shown = `verified height ${net.height.toLocaleString('en-US')}`;
    await page.getByTestId('connection').filter({ hasText: shown }).waitFor(LONG);
    const pageCpu = await pageCpuMeter(page);
    const cpuBefore = await pageCpu();
    const started = (await page.evaluate('performance.now()')) as number;
    await page.getByRole('button', { name: 'Audit the chain' }).click();
    const ended = (await (
      await page.waitForFunction(
        () => (document.querySelector('[data-testid="audit-report"]') ? performance.now() : false),
        undefined,
        { ...LONG, polling: 50 },
      )
    ).jsonValue()) as number;
    const pageCpuMs = cpuSince(cpuBefore, await pageCpu());
    const seconds = (ended - started) / 1000;
    const result = {
      ms: Math.round(ended - started),
      txPerSecond: Math.round(net.txs / seconds),
      blocksPerSecond: Math.round(net.height / seconds),
      pageCpuMs,
      shown: await page.locator('.rates').textContent(),
      verdict: await page.getByTestId('audit-verdict').textContent(),
      clean: (await page.getByTestId('audit-report').getAttribute('data-clean')) === 'true',
    };
    await holder.context.close();
    return { ...result, errors: holder.errors };
  } finally {
    await ui.close();
  }
}

/** A run as the app runs, then one without workers; the network is stopped after. */
async function bothModes<T>(net: BenchNetwork, run: (mode: Mode) => Promise<T>) {
  try {
    return { workers: await run('workers'), page: await run('page') };
  } finally {
    await net.stop();
  }
}

const work = await mkdtemp(path.join(os.tmpdir(), 'weft-ui-bench-'));
const uiDir = path.join(work, 'ui');
let browser: Browser | undefined;
try {
  log(`building the UI; a real peer commits ${BLOCKS} blocks...`);
  const [, headNet] = await Promise.all([
    buildWalletUi(uiDir),
    prepare((net) => net.mintBlocks(BLOCKS), 'the head chain'),
  ]);
  browser = await launch(chromiumPath());
  const b = browser;
  const heads = await bothModes(headNet, (mode) => headRun(b, uiDir, headNet, mode));
  const auditNet = await prepare((net) => net.transferBlocks(TXS), 'the audit chain');
  const audits = await bothModes(auditNet, (mode) => auditRun(b, uiDir, auditNet, mode));
  const { result: head, limit } = heads.workers;
  if (!limit) throw new Error('the app started no workers: nothing to hold to the limit');
  const errors = [heads.workers, heads.page, audits.workers, audits.page].flatMap((r) => r.errors);
  const strip = <T extends { errors: string[] }>({ errors: _, ...rest }: T) => rest;
  console.log(
    JSON.stringify({
      blocks: headNet.height,
      ...head,
      limit: {
        webCryptoVerifyPerSecond: limit.perSecond,
        slices: limit.slices,
        workers: head.headerWorkers,
      },
      headersPerSecondOverLimit: Number((head.headersPerSecond / limit.perSecond).toFixed(3)),
      withoutWorkers: heads.page.result,
      audit: {
        blocks: auditNet.height,
        txs: auditNet.txs,
        ...strip(audits.workers),
        withoutWorkers: strip(audits.page),
      },
      errors,
    }),
  );
  if (!audits.workers.clean || !audits.page.clean || errors.length > 0) process.exitCode = 1;
} finally {
  await browser?.close().catch(() => {});
  await rm(work, { recursive: true, force: true });
}
