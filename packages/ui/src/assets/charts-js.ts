/**
 * The browser script that draws every `[data-chart]` element with uPlot (served by the app itself): a line chart
 * with axes, or a bare sparkline. The numbers are in the element's `data-series`; the page also shows them as text.
 */
export const CHARTS_JS = `
(() => {
  if (typeof uPlot !== 'function') return;
  for (const el of document.querySelectorAll('[data-chart]')) {
    const { x, y, label, xLabel } = JSON.parse(el.dataset.series);
    const spark = el.dataset.chart === 'sparkline';
    const width = spark ? 120 : Math.max(320, el.clientWidth || 640);
    const options = spark
      ? { width, height: 32, legend: { show: false }, cursor: { show: false }, axes: [{ show: false }, { show: false }],
          scales: { x: { time: false } }, series: [{}, { stroke: '#0b5cad', width: 1.5 }] }
      : { width, height: 240, scales: { x: { time: false } },
          axes: [{ label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] }, { label }],
          series: [{ label: xLabel }, { label, stroke: '#0b5cad', width: 2, points: { show: x.length < 60 } }] };
    new uPlot(options, [x, y], el);
  }
})();
`;
