// CPU time of the page under test, from Chromium's own counters (CDP
// Performance.getMetrics): the renderer's main thread (ThreadTime), and the
// whole renderer process (ProcessTime), which also runs the page's
// dedicated workers. Beside wall-clock times, they show whether work left
// the page's thread for the workers.
import type { Page } from 'playwright-core';

export interface PageCpu {
  mainThreadMs: number;
  rendererMs: number;
}

/** A reader of the page's CPU time so far (seconds in CDP, milliseconds here). */
export async function pageCpuMeter(page: Page): Promise<() => Promise<PageCpu>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    return {
      mainThreadMs: Math.round(value('ThreadTime') * 1000),
      rendererMs: Math.round(value('ProcessTime') * 1000),
    };
  };
}

/** b - a, field by field. */
export function cpuSince(a: PageCpu, b: PageCpu): PageCpu {
  return { mainThreadMs: b.mainThreadMs - a.mainThreadMs, rendererMs: b.rendererMs - a.rendererMs };
}
