// Line charts on uPlot (served as a WebJar from the service itself), each with its numbers one click away.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { el } from './app.js';

// Colours plus dash patterns and point shapes, so series stay apart without colour too.
const STYLES = [
  { stroke: '#1f5fbf', dash: [] },
  { stroke: '#c0392b', dash: [8, 4] },
  { stroke: '#1e8449', dash: [2, 3] },
  { stroke: '#7d3c98', dash: [10, 3, 2, 3] },
  { stroke: '#b9770e', dash: [4, 4] },
];

/**
 * Draws a line chart into a new figure and returns it.
 * series: [{label, points: [[x, y], ...]}]; x values need not line up between series.
 * numbers: a node (usually a table) shown under "Numbers" below the chart; integerX: ticks on whole numbers only.
 */
export function lineChart({ title, xLabel, yLabel, series, yRange, xRange, numbers, id, integerX }) {
  const plotHost = el('div', { class: 'plot' });
  const figure = el('figure', { class: 'chart', id, 'data-series': series.length,
    'data-points': series.reduce((n, s) => n + s.points.length, 0) },
    el('figcaption', {}, title),
    plotHost,
    numbers ? el('details', { class: 'numbers' }, el('summary', {}, 'Numbers'), numbers) : null);

  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const data = [xs, ...series.map((s) => {
    const ys = new Array(xs.length).fill(null);
    for (const [x, y] of s.points) ys[index.get(x)] = y;
    return ys;
  })];

  const options = {
    width: 600,
    height: 260,
    scales: {
      x: { time: false, ...(xRange ? { range: xRange } : {}) },
      y: yRange ? { range: yRange } : {},
    },
    axes: [integerX ? { label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] } : { label: xLabel },
      { label: yLabel, size: 56 }],
    series: [{ label: xLabel }, ...series.map((s, i) => {
      const style = STYLES[i % STYLES.length];
      return {
        label: s.label, stroke: style.stroke, dash: style.dash, width: 2, spanGaps: true,
        points: { show: s.points.length <= 30, size: 6, fill: style.stroke },
        value: (u, v) => v === null || v === undefined ? '–' : v.toFixed(4),
      };
    })],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };

  // The chart is built once the figure is in the page, at the width it gets there (and follows resizes).
  requestAnimationFrame(() => {
    const width = () => Math.max(200, Math.floor(plotHost.clientWidth || 300));
    const plot = new uPlot({ ...options, width: width() }, data, plotHost);
    figure.dataset.drawn = 'true';
    new ResizeObserver(() => {
      const w = width();
      if (Math.abs(w - plot.width) > 2) plot.setSize({ width: w, height: options.height });
    }).observe(plotHost);
  });
  return figure;
}
