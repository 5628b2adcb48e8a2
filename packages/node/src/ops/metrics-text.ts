/** One series of a metric in Prometheus' text format: its labels and value. */
export interface MetricSeries {
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The series of `name` in a /metrics page (what benchmarks and tests read
 * back from a node; the node itself writes it with prom-client).
 */
export function metricSeries(text: string, name: string): MetricSeries[] {
  const out: MetricSeries[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(LABEL)].map((l) => [l[1], l[2]]));
    out.push({ labels: labels as Record<string, string>, value: Number(m[3]) });
  }
  return out;
}

/** The series of `name` whose labels include all of `labels`. */
export function seriesWith(
  text: string,
  name: string,
  labels: Record<string, string>,
): MetricSeries[] {
  return metricSeries(text, name).filter((s) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}
