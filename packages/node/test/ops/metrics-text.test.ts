// Reading a /metrics page back (benchmarks and tests do): every series of a
// metric with its labels, unlabelled ones and label values with escapes.
import { assert, describe, it } from '@weft/test/harness';
import { metricSeries, seriesWith } from '../../src/ops/metrics-text.js';

const PAGE = [
  '# HELP weft_orderer_blocks_cut_total Blocks cut.',
  '# TYPE weft_orderer_blocks_cut_total counter',
  'weft_orderer_blocks_cut_total{node="o0",channel="weft",reason="count"} 3',
  'weft_orderer_blocks_cut_total{node="o0",channel="weft",reason="timeout"} 18',
  'weft_orderer_blocks_cut_total_extra{reason="count"} 99',
  'weft_up 1',
  'weft_note{text="a \\"quoted\\", comma"} 2.5',
].join('\n');

describe('ops: metrics text', () => {
  it('lists the series of one metric only, with their labels', () => {
    assert.deepEqual(metricSeries(PAGE, 'weft_orderer_blocks_cut_total'), [
      { labels: { node: 'o0', channel: 'weft', reason: 'count' }, value: 3 },
      { labels: { node: 'o0', channel: 'weft', reason: 'timeout' }, value: 18 },
    ]);
    assert.deepEqual(metricSeries(PAGE, 'weft_up'), [{ labels: {}, value: 1 }]);
    assert.deepEqual(metricSeries(PAGE, 'weft_note'), [
      { labels: { text: 'a \\"quoted\\", comma' }, value: 2.5 },
    ]);
    assert.deepEqual(metricSeries(PAGE, 'weft_absent'), []);
  });

  it('filters by labels that must all match', () => {
    const cut = (labels: Record<string, string>) =>
      seriesWith(PAGE, 'weft_orderer_blocks_cut_total', labels).map((s) => s.value);
    assert.deepEqual(cut({ reason: 'timeout' }), [18]);
    assert.deepEqual(cut({ channel: 'weft' }), [3, 18]);
    assert.deepEqual(cut({ channel: 'weft', reason: 'other' }), []);
  });
});
