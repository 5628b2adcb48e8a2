// The wallet UI's numbers in a real page: how long from loading the app to
// a verified head on a chain of N blocks (default 10,000), and the auditor's
// throughput in the page. A full node is played by a libp2p WebSocket
// server answering the light protocol from a chain built beforehand (the
// light benchmark's workloads), so the time is the page's own: dialing,
// downloading and verifying every header from the genesis hash.
//   node --import tsx test/e2e-wallet-ui/page-bench.ts [--blocks 10000] [--txs 5000]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { encodeLightInfo, type LightRequest, toHex, webCryptoEd25519 } from '@weft/core';
import {
  auditChainWorkload,
  type BenchChain,
  headerChain,
} from '../../packages/light/bench/workload.js';
import { type Reply, TestServer } from '../../packages/light/test/support/libp2p-server.js';
import {
  buildWalletUi,
  startUiServer,
  type UiServer,
} from '../../packages/node/src/up/ui-server.js';
import { chromiumPath } from '../support/chromium.js';
import { launch, newHolder } from './browser.js';

const CHROMIUM = chromiumPath();
const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '10000' },
    txs: { type: 'string', default: '5000' },
  },
});

/** One honest full node: info, headers, blocks and attestations of the prepared chain. */
function serveChain(chain: BenchChain) {
  const info = encodeLightInfo({
    channel: chain.net.config.channel,
    height: chain.headers.length,
    genesisHash: chain.net.genesisHash,
  });
  return (r: LightRequest, reply: Reply) => {
    const item = (list: Uint8Array[], n: number) =>
      list[n] ? reply.frames(list[n]!) : reply.error('LIGHT_NOT_FOUND', `no ${r.type} ${n}`);
    switch (r.type) {
      case 'info':
        return reply.frames(info);
      case 'headers':
        return reply.frames(...chain.headers.slice(r.from, r.from + r.count));
      case 'block':
        return item(chain.blocks, r.number);
      case 'attestations':
        return item(chain.attestations, r.number);
      default:
        return reply.error('LIGHT_NOT_FOUND', 'not served');
    }
  };
}

async function serveUi(dir: string, chain: BenchChain, node: TestServer): Promise<UiServer> {
  return startUiServer({
    dir,
    port: 0,
    network: {
      name: 'page bench',
      channel: chain.net.config.channel,
      genesisHash: toHex(chain.net.genesisHash),
      nodes: [
        node.addr.toString().includes('/p2p/')
          ? node.addr.toString()
          : `${node.addr.toString()}/p2p/${node.id}`,
      ],
      cas: {},
    },
  });
}

const backend = await webCryptoEd25519();
if (!backend) throw new Error('this Node has no WebCrypto Ed25519');
const work = await mkdtemp(path.join(os.tmpdir(), 'weft-ui-bench-'));
const uiDir = path.join(work, 'ui');
console.error('building the UI and the chains...');
const [, headers, audited] = await Promise.all([
  buildWalletUi(uiDir),
  headerChain(Number(values.blocks), backend),
  auditChainWorkload(Number(values.txs), 100, backend),
]);
const browser = await launch(CHROMIUM);
const cleanups: (() => Promise<void>)[] = [() => browser.close()];
try {
  // Time to a verified head: from navigation start to the header showing the full height.
  const headNode = await TestServer.start('headers', serveChain(headers));
  const headUi = await serveUi(uiDir, headers, headNode);
  cleanups.push(
    () => headNode.stop(),
    () => headUi.close(),
  );
  const first = await newHolder(browser, 'head');
  await first.page.goto(headUi.url);
  const shown = `verified height ${headers.headers.length.toLocaleString('en-US')}`;
  const headMs = await (
    await first.page.waitForFunction(
      (text) =>
        document.querySelector('[data-testid="connection"]')?.textContent?.includes(text)
          ? performance.now()
          : false,
      shown,
      { timeout: 600_000, polling: 50 },
    )
  ).jsonValue();

  // The auditor in the page, over a chain of real transactions.
  const auditNode = await TestServer.start('audit', serveChain(audited));
  const auditUi = await serveUi(uiDir, audited, auditNode);
  cleanups.push(
    () => auditNode.stop(),
    () => auditUi.close(),
  );
  const second = await newHolder(browser, 'audit');
  await second.page.goto(`${auditUi.url}#/audit`);
  await second.page.getByRole('button', { name: 'Audit the chain' }).click();
  await second.page.getByTestId('audit-report').waitFor({ timeout: 600_000 });
  const rates = (await second.page.locator('.rates').allInnerTexts())[0] ?? '';
  const verdict = (await second.page.getByTestId('audit-verdict').allInnerTexts())[0];
  console.log(
    JSON.stringify({
      blocks: headers.headers.length,
      pageLoadToVerifiedHeadMs: Math.round(headMs as number),
      headersPerSecond: Math.round(headers.headers.length / ((headMs as number) / 1000)),
      audit: { blocks: audited.headers.length, txs: audited.txs, shown: rates, verdict },
      errors: [...first.errors, ...second.errors],
    }),
  );
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await rm(work, { recursive: true, force: true });
}
