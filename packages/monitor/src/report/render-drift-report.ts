import { InvalidInputError, type DriftReport } from '@mlops/core';
import type { TabularInput } from '../drift/columns';
import type { ColumnDrift, LevelCount } from '../drift/detect-drift';
import type { DatasetSketch } from '../sketch/dataset-sketch';
import { histogram, weightedColumns, type Histogram } from './histogram';
import { escapeHtml, formatNumber } from './html';
import { qualitySection, type ModelQuality } from './quality-section';

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
  /** The model's quality over the same period: a section with its windows (and confusion matrix, for a classifier). */
  readonly quality?: ModelQuality;
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

/** Levels drawn per chart at most; a column with more shows those with the largest shares. */
const MAX_LEVELS = 30;
const LABEL_WIDTH = 110;
const LEVEL_HEIGHT = 16;

/** Horizontal bars of each level's share of rows, reference above current, labelled with the level names. */
function levelsSvg(feature: string, levels: readonly LevelCount[]): string {
  const total = (side: 'reference' | 'current') => levels.reduce((s, l) => s + Number(l[side]), 0);
  const [refTotal, curTotal] = [total('reference'), total('current')];
  const shares = levels.map((l) => ({
    level: String(l.level),
    reference: refTotal > 0 ? Number(l.reference) / refTotal : 0,
    current: curTotal > 0 ? Number(l.current) / curTotal : 0,
  }));
  const shown =
    shares.length <= MAX_LEVELS
      ? shares
      : [...shares]
          .sort((a, b) => Math.max(b.reference, b.current) - Math.max(a.reference, a.current))
          .slice(0, MAX_LEVELS)
          .sort((a, b) => shares.indexOf(a) - shares.indexOf(b));
  const peak = Math.max(...shown.map((s) => Math.max(s.reference, s.current)), 1e-12);
  const span = WIDTH - LABEL_WIDTH - 4;
  const bar = (share: number, y: number, cls: string, level: string) =>
    `<rect class="${cls}" x="${LABEL_WIDTH}" y="${y}" width="${((share / peak) * span).toFixed(1)}" height="6"><title>${escapeHtml(level)}: ${cls} ${(share * 100).toFixed(1)}%</title></rect>`;
  const rows = shown.map((s, i) => {
    const y = i * LEVEL_HEIGHT;
    const label = s.level.length > 16 ? `${s.level.slice(0, 15)}…` : s.level;
    return (
      `<text x="${LABEL_WIDTH - 4}" y="${y + 11}" class="tick" text-anchor="end">${escapeHtml(label)}</text>` +
      bar(s.reference, y + 1, 'reference', s.level) +
      bar(s.current, y + 8, 'current', s.level)
    );
  });
  const height = shown.length * LEVEL_HEIGHT;
  const more = shares.length - shown.length;
  return (
    `<svg class="levels" role="img" aria-label="level shares of ${escapeHtml(feature)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">${rows.join('')}</svg>` +
    (more > 0 ? `<p class="meta">${more} smaller levels not shown</p>` : '')
  );
}

function row(f: ColumnDrift): string {
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
table.confusion{width:auto}table.confusion caption{text-align:left;color:#666;margin-bottom:.25rem;white-space:nowrap}td.diagonal{font-weight:bold}
`;

/**
 * One self-contained HTML page for a drift report: a summary, a table of every feature (drifted first,
 * then by statistic), a chart per feature of reference vs current — bars per level name for a column
 * with `levels` (category or boolean, from `detectDrift` with `columns`), and, when the compared data is
 * given, an inline SVG histogram for the others — and, with `quality`, the model's quality per window.
 * No scripts, no external requests; every name (features, levels, classes, models) is HTML-escaped.
 */
export function renderDriftReport(report: DriftReport, options: DriftReportOptions = {}): string {
  if (!report || !Array.isArray(report.features)) throw new InvalidInputError('renderDriftReport needs a DriftReport');
  const title = options.title ?? 'Data drift report';
  const features: readonly ColumnDrift[] = report.features;
  const featureNames = features.map((f) => f.feature);
  const order = [...features].sort((a, b) => Number(b.drifted) - Number(a.drifted) || b.statistic - a.statistic);
  const data =
    options.reference && options.current
      ? {
          ref: weightedColumns(options.reference, featureNames, 'reference'),
          cur: weightedColumns(options.current, featureNames, 'current'),
        }
      : undefined;
  const index = new Map(featureNames.map((name, j) => [name, j]));
  const figures = order.flatMap((f) => {
    const j = index.get(f.feature)!;
    const chart = Array.isArray(f.levels)
      ? levelsSvg(f.feature, f.levels)
      : data && histogramSvg(f.feature, histogram(data.ref[j]!, data.cur[j]!, options.bins));
    if (!chart) return [];
    return `<figure class="${f.drifted ? 'drifted' : 'stable'}"><figcaption><b>${escapeHtml(f.feature)}</b> · ${escapeHtml(f.test)} ${formatNumber(f.statistic)}${f.drifted ? ' · drift' : ''}</figcaption>${chart}</figure>`;
  });
  const charts =
    figures.length === 0
      ? ''
      : `<h2>Distributions</h2><p class="legend">Share of rows per bin or level:<span style="background:var(--ref)"></span>reference<span style="background:var(--cur)"></span>current</p><div class="features">${figures.join('')}</div>`;
  const quality = options.quality ? qualitySection(options.quality) : '';
  const verdict = report.datasetDrift ? 'drift' : 'ok';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1><p class="meta">Generated ${escapeHtml((options.generatedAt ?? new Date()).toISOString())} · ${report.referenceRows} reference rows · ${report.currentRows} current rows${report.mode === 'sketch' ? ' · computed on sketches' : ''}</p>
<div class="summary"><div class="card verdict ${verdict}">Dataset drift<b>${report.datasetDrift ? 'Yes' : 'No'}</b></div><div class="card">Drifted features<b>${report.driftedCount} / ${report.features.length}</b></div><div class="card">Drifted share<b>${(report.driftedShare * 100).toFixed(1)}%</b></div></div>
<table><thead><tr><th>Feature</th><th>Test</th><th>Statistic</th><th>p-value</th><th>Threshold</th><th>Verdict</th></tr></thead><tbody>${order.map(row).join('')}</tbody></table>
${charts}
${quality}
</body></html>
`;
}
