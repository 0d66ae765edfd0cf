import { describe, expect, it } from 'vitest';
import { detectDrift } from '../drift/detect-drift';
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
