import { InvalidInputError, type DriftReport, type FeatureDrift } from '@mlops/core';
import type { TabularInput } from '../drift/columns';
import type { DatasetSketch } from '../sketch/dataset-sketch';
import { histogram, weightedColumns, type Histogram } from './histogram';

/** Options of {@link renderDriftReport}. */
export interface DriftReportOptions {
  /** Heading (default `Data drift report`). */
  readonly title?: string;
  /** The data the report compared, to draw a histogram per feature (rows, columns or sketches). */
  readonly reference?: TabularInput | DatasetSketch;
  readonly current?: TabularInput | DatasetSketch;
  /** Shown as the generation time (default now). */
  readonly generatedAt?: Date;
  /** Histogram bins (default 24). */
  readonly bins?: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function formatNumber(value: number | undefined): string {
  if (value === undefined) return '–';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude < 1e-4 || magnitude >= 1e6 ? value.toExponential(3) : value.toPrecision(4).replace(/\.?0+$/, '');
}

const WIDTH = 320;
const HEIGHT = 120;

function histogramSvg(feature: string, h: Histogram): string {
  const peak = Math.max(...h.reference, ...h.current, 1e-12);
  const bins = h.reference.length;
  const barWidth = WIDTH / bins;
  const bar = (share: number, i: number, cls: string, inset: number) => {
    const height = (share / peak) * (HEIGHT - 14);
    return `<rect class="${cls}" x="${(i * barWidth + inset).toFixed(1)}" y="${(HEIGHT - 14 - height).toFixed(1)}" width="${Math.max(barWidth / 2 - 1, 1).toFixed(1)}" height="${height.toFixed(1)}"><title>${cls} ${(share * 100).toFixed(1)}%</title></rect>`;
  };
  const bars =
    h.reference.map((s, i) => bar(s, i, 'reference', 0)).join('') +
    h.current.map((s, i) => bar(s, i, 'current', barWidth / 2)).join('');
  const low = formatNumber(h.edges[0]);
  const high = formatNumber(h.edges[h.edges.length - 1]);
  return (
    `<svg class="histogram" role="img" aria-label="histogram of ${escapeHtml(feature)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">` +
    `<line x1="0" y1="${HEIGHT - 14}" x2="${WIDTH}" y2="${HEIGHT - 14}" class="axis"/>${bars}` +
    `<text x="0" y="${HEIGHT - 2}" class="tick">${low}</text><text x="${WIDTH}" y="${HEIGHT - 2}" class="tick" text-anchor="end">${high}</text></svg>`
  );
}

function row(f: FeatureDrift): string {
  return (
    `<tr class="${f.drifted ? 'drifted' : 'stable'}"><td class="name">${escapeHtml(f.feature)}</td><td>${escapeHtml(f.test)}</td>` +
    `<td class="num">${formatNumber(f.statistic)}</td><td class="num">${formatNumber(f.pValue)}</td><td class="num">${formatNumber(f.threshold)}</td>` +
    `<td><span class="badge">${f.drifted ? 'drift' : 'no drift'}</span></td></tr>`
  );
}

const STYLE = `
:root{--drift:#c0392b;--ok:#2e7d32;--ref:#5c6bc0;--cur:#ef8f00;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#222}
body{margin:2rem auto;max-width:72rem;padding:0 1rem}h1{margin:0 0 .25rem}.meta{color:#666;margin:0 0 1.5rem}
.summary{display:flex;gap:1rem;flex-wrap:wrap;margin-bottom:1.5rem}.card{border:1px solid #ddd;border-radius:8px;padding:.75rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.4rem}.verdict.drift b{color:var(--drift)}.verdict.ok b{color:var(--ok)}
table{border-collapse:collapse;width:100%;margin-bottom:2rem}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eee}
td.num{text-align:right;font-variant-numeric:tabular-nums}.badge{border-radius:4px;padding:.05rem .4rem;font-size:.85rem}
tr.drifted .badge{background:#fdecea;color:var(--drift)}tr.stable .badge{background:#e8f5e9;color:var(--ok)}
.features{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:1rem}
figure{margin:0;border:1px solid #eee;border-radius:8px;padding:.5rem}figure.drifted{border-color:var(--drift)}
figcaption{font-size:.9rem;margin-bottom:.25rem}svg .reference{fill:var(--ref)}svg .current{fill:var(--cur)}
svg .axis{stroke:#999}svg .tick{font-size:10px;fill:#666}.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:-1px}
`;

/**
 * One self-contained HTML page for a drift report: a summary, a table of every feature (drifted first,
 * then by statistic), and — when the compared data is given — an inline SVG histogram per feature of
 * reference vs current. No scripts, no external requests; feature names are HTML-escaped.
 */
export function renderDriftReport(report: DriftReport, options: DriftReportOptions = {}): string {
  if (!report || !Array.isArray(report.features)) throw new InvalidInputError('renderDriftReport needs a DriftReport');
  const title = options.title ?? 'Data drift report';
  const featureNames = report.features.map((f) => f.feature);
  const order = [...report.features].sort((a, b) => Number(b.drifted) - Number(a.drifted) || b.statistic - a.statistic);
  let charts = '';
  if (options.reference && options.current) {
    const ref = weightedColumns(options.reference, featureNames, 'reference');
    const cur = weightedColumns(options.current, featureNames, 'current');
    const index = new Map(featureNames.map((name, j) => [name, j]));
    charts =
      `<h2>Distributions</h2><p class="legend">Share of rows per bin:<span style="background:var(--ref)"></span>reference<span style="background:var(--cur)"></span>current</p><div class="features">` +
      order
        .map((f) => {
          const j = index.get(f.feature)!;
          return `<figure class="${f.drifted ? 'drifted' : 'stable'}"><figcaption><b>${escapeHtml(f.feature)}</b> · ${escapeHtml(f.test)} ${formatNumber(f.statistic)}${f.drifted ? ' · drift' : ''}</figcaption>${histogramSvg(f.feature, histogram(ref[j]!, cur[j]!, options.bins))}</figure>`;
        })
        .join('') +
      `</div>`;
  }
  const verdict = report.datasetDrift ? 'drift' : 'ok';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1><p class="meta">Generated ${escapeHtml((options.generatedAt ?? new Date()).toISOString())} · ${report.referenceRows} reference rows · ${report.currentRows} current rows${report.mode === 'sketch' ? ' · computed on sketches' : ''}</p>
<div class="summary"><div class="card verdict ${verdict}">Dataset drift<b>${report.datasetDrift ? 'Yes' : 'No'}</b></div><div class="card">Drifted features<b>${report.driftedCount} / ${report.features.length}</b></div><div class="card">Drifted share<b>${(report.driftedShare * 100).toFixed(1)}%</b></div></div>
<table><thead><tr><th>Feature</th><th>Test</th><th>Statistic</th><th>p-value</th><th>Threshold</th><th>Verdict</th></tr></thead><tbody>${order.map(row).join('')}</tbody></table>
${charts}
</body></html>
`;
}
