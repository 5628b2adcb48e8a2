import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** Tick steps: blocks and transactions are whole numbers. */
const WHOLE = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6,
];

/**
 * Transactions per block over the chain, drawn with uPlot (fast enough for
 * a chain of many thousands of blocks, redrawn as the audit advances).
 */
export function TxChart({ perBlock }: { perBlock: readonly number[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  useEffect(() => {
    const el = box.current!;
    const bars = uPlot.paths.bars?.({ size: [0.9, 24] });
    const chart = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 220,
        scales: { x: { time: false } },
        axes: [
          { label: 'block', incrs: WHOLE },
          { label: 'transactions', size: 60, incrs: WHOLE },
        ],
        legend: { show: false },
        cursor: { show: true },
        series: [
          { label: 'block' },
          {
            label: 'transactions',
            stroke: '#2f6fdf',
            fill: 'rgba(47,111,223,0.35)',
            ...(bars ? { paths: bars } : {}),
            points: { show: false },
          },
        ],
      },
      [[], []],
      el,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(280, el.clientWidth), height: 220 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = undefined;
    };
  }, []);
  useEffect(() => {
    const xs = perBlock.map((_, i) => i);
    plot.current?.setData([xs, perBlock.map((n) => n ?? 0)]);
  }, [perBlock]);
  return (
    <figure class="chart">
      <div
        ref={box}
        role="img"
        aria-label={`Transactions per block for ${perBlock.length} blocks`}
        data-testid="tx-chart"
      />
      <figcaption>Transactions per block</figcaption>
    </figure>
  );
}
