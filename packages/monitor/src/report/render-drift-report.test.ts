import type { InputColumn } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { detectDrift } from '../drift/detect-drift';
import type { PredictionRecord } from '../log/prediction-log';
import { confusionMatrix } from '../performance/scores';
import { windowedMetrics, windowedRegressionMetrics } from '../performance/windows';
import { sketchDataset } from '../sketch/dataset-sketch';
import { drifted } from './__fixtures__/drifted';
import { renderDriftReport } from './render-drift-report';

describe('renderDriftReport', () => {
  const featureNames = ['a', 'b <script>alert(1)</script>', 'c'];
  const reference = drifted(1, 400, 3, 0, 0);
  const current = drifted(2, 300, 3, 2, 0.3);
  const report = detectDrift(reference, current, { featureNames });

  it('renders a self-contained page: summary, table with drifted columns first, one SVG histogram per feature', () => {
    const html = renderDriftReport(report, {
      reference,
      current,
      title: 'iris drift',
      generatedAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>iris drift</title>');
    expect(html).toContain('Generated 2026-01-01T00:00:00.000Z · 400 reference rows · 300 current rows');
    const rows = [...html.matchAll(/<tr class="(drifted|stable)"><td class="name">([^<]*)<\/td>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(rows).toEqual([
      ['drifted', expect.any(String)],
      ['drifted', expect.any(String)],
      ['stable', 'c'],
    ]);
    expect(html.match(/<svg class="histogram"/g)).toHaveLength(3);
    expect(html.match(/<rect class="reference"/g)).toHaveLength(3 * 24);
    // Names are escaped, and nothing is fetched from anywhere.
    expect(html).not.toContain('<script');
    expect(html).toContain('b &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)=|https?:\/\/|@import|url\(/);
  });

  it('draws histograms from sketches too, and renders without data as a table only', () => {
    const fromSketches = renderDriftReport(report, {
      reference: sketchDataset(reference, { featureNames }),
      current: sketchDataset(current, { featureNames }),
    });
    expect(fromSketches.match(/<svg class="histogram"/g)).toHaveLength(3);
    const tableOnly = renderDriftReport(report);
    expect(tableOnly).not.toContain('<svg');
    expect(tableOnly.match(/<tr class=/g)).toHaveLength(3);
  });

  it('stays under 2 MB for 100 features', () => {
    const names = Array.from({ length: 100 }, (_, j) => `feature_${j}`);
    const ref = drifted(3, 2000, 100, 0, 0);
    const cur = drifted(4, 2000, 100, 30, 0.2);
    const html = renderDriftReport(detectDrift(ref, cur, { featureNames: names }), { reference: ref, current: cur });
    const bytes = Buffer.byteLength(html);
    expect(bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(html.match(/<svg class="histogram"/g)).toHaveLength(100);
  });
});

describe('renderDriftReport with typed columns and model quality', () => {
  const columns: InputColumn[] = [
    { name: 'size', type: 'number', nullable: false, missingCount: 0 },
    { name: 'color', type: 'category', levels: ['red', 'green', '<b>blue</b>'], nullable: false, missingCount: 0 },
  ];
  const featureNames = columns.map((c) => c.name);
  const rows = (codes: number[]) => codes.map((code, i) => [i / codes.length, code]);
  const reference = rows([...Array(20).fill(0), ...Array(20).fill(1), ...Array(10).fill(2)]);
  const current = rows([...Array(10).fill(0), ...Array(10).fill(1), ...Array(30).fill(2)]);
  const report = detectDrift(reference, current, { featureNames, columns });
  const chart = (html: string) => /<svg class="levels"[^>]*>(.*?)<\/svg>/.exec(html)?.[1] ?? '';

  it('draws a category as bars per level name, not per code', () => {
    const html = renderDriftReport(report, { reference, current });
    expect(html.match(/<svg class="histogram"/g)).toHaveLength(1); // size only
    const levels = chart(html);
    expect([...levels.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual([
      'red',
      'green',
      '&lt;b&gt;blue&lt;/b&gt;',
    ]);
    expect([...levels.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1])).toEqual([
      'red: reference 40.0%',
      'red: current 20.0%',
      'green: reference 40.0%',
      'green: current 20.0%',
      '&lt;b&gt;blue&lt;/b&gt;: reference 20.0%',
      '&lt;b&gt;blue&lt;/b&gt;: current 60.0%',
    ]);
    expect(html).not.toContain('<b>blue</b>');
    // The level chart comes from the report alone: no data needed.
    expect(chart(renderDriftReport(report))).toBe(levels);
    expect(renderDriftReport(report).match(/<svg/g)).toHaveLength(1);
  });

  it('keeps the 30 largest of many levels, in code order', () => {
    const levels = Array.from({ length: 40 }, (_, k) => ({ level: `l${k}`, reference: k, current: k }));
    const many = { ...report, features: [{ ...report.features[1]!, levels }] };
    const html = renderDriftReport(many);
    expect([...chart(html).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual(
      Array.from({ length: 30 }, (_, k) => `l${k + 10}`),
    );
    expect(html).toContain('<p class="meta">10 smaller levels not shown</p>');
  });

  const HOUR = 3_600_000;
  const record = (i: number, prediction: number, label: number): PredictionRecord => ({
    id: `r${i}`,
    time: new Date(Date.UTC(2026, 0, 1) + i * HOUR).toISOString(),
    model: 'iris <v2>',
    version: 2,
    inputs: [i],
    prediction,
    label,
  });

  it('adds accuracy, macro-F1 and a named confusion matrix for a classifier', () => {
    const records = [record(0, 0, 0), record(1, 1, 1), record(2, 1, 2), record(3, 2, 2)];
    const classNames = ['setosa', 'versicolor', 'virginica & "co"'];
    const html = renderDriftReport(report, {
      quality: {
        task: 'classification',
        classNames,
        windows: windowedMetrics(records, { count: 2 }),
        confusion: confusionMatrix(
          records.map((r) => r.label!),
          records.map((r) => r.prediction),
          classNames.length,
        ),
      },
    });
    const windows = /<table class="windows">(.*?)<\/table>/.exec(html)![1]!;
    const cells = (table: string) =>
      [...table.matchAll(/<tr><td>(.*?)<\/tr>/g)].map((tr) =>
        [...`<td>${tr[1]}`.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]),
      );
    expect(windows).toContain('<th>Rows</th><th>Accuracy</th><th>Macro F1</th></tr>');
    expect(cells(windows)).toEqual([
      ['iris &lt;v2&gt;', '2', '2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z', '2', '1', '1'],
      ['iris &lt;v2&gt;', '2', '2026-01-01T02:00:00.000Z', '2026-01-01T03:00:00.000Z', '2', '0.5', '0.3333'],
    ]);
    const confusion = /<table class="confusion">(.*?)<\/table>/.exec(html)![1]!;
    expect([...confusion.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1])).toEqual([
      'true \\ predicted',
      'setosa',
      'versicolor',
      'virginica &amp; &quot;co&quot;',
      'setosa',
      'versicolor',
      'virginica &amp; &quot;co&quot;',
    ]);
    expect([...confusion.matchAll(/<td [^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]))).toEqual([
      1, 0, 0, 0, 1, 0, 0, 1, 1,
    ]);
    expect(() =>
      renderDriftReport(report, { quality: { task: 'classification', classNames, windows: [], confusion: [[1]] } }),
    ).toThrow('the confusion matrix must be 3 × 3, one row and column per class name');
  });

  it('adds MAE, RMSE and R² per window for a regressor', () => {
    const records = [record(0, 2.5, 3), record(1, 5, 5), record(2, 4, 2), record(3, 7, 8)];
    const html = renderDriftReport(report, {
      quality: { task: 'regression', windows: windowedRegressionMetrics(records, { count: 4 }) },
    });
    expect(html).toContain('<h2>Model quality</h2>');
    expect(html).not.toContain('class="confusion"');
    const windows = /<table class="windows">(.*?)<\/table>/.exec(html)![1]!;
    expect(windows).toContain('<th>Rows</th><th>MAE</th><th>RMSE</th><th>R²</th></tr>');
    expect(windows).toContain(
      '<td>2026-01-01T03:00:00.000Z</td><td class="num">4</td><td class="num">0.875</td><td class="num">1.146</td><td class="num">0.75</td></tr>',
    );
  });
});
