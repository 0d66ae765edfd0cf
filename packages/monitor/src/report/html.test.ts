import { describe, expect, it } from 'vitest';
import { escapeHtml, formatNumber } from './html';

describe('report html helpers', () => {
  it('formats numbers in 4 significant digits without cutting whole numbers', () => {
    expect([0, 0.5, 0.33333, 1000, 100, 12.5, 1e-5, 2e6, undefined].map(formatNumber)).toEqual([
      '0',
      '0.5',
      '0.3333',
      '1000',
      '100',
      '12.5',
      '1.000e-5',
      '2.000e+6',
      '–',
    ]);
  });

  it('escapes every character that could open markup or close an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
