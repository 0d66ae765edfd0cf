import { describe, expect, it } from 'vitest';
import type { PredictionRecord } from '../log/prediction-log';
import { macroF1, rollingMetrics, windowedMetrics } from './windows';

const HOUR = 3_600_000;
function record(i: number, version: number, prediction: number, label?: number): PredictionRecord {
  return {
    id: `r${i}`,
    time: new Date(Date.UTC(2026, 0, 1) + i * HOUR).toISOString(),
    model: 'iris',
    version,
    inputs: [i],
    prediction,
    ...(label === undefined ? {} : { label }),
  };
}

describe('performance windows', () => {
  it('macroF1 matches scikit-learn f1_score(average="macro")', () => {
    expect(macroF1([0, 1, 2, 2, 1, 0, 1, 2], [0, 2, 2, 2, 1, 0, 0, 1])).toBeCloseTo(0.6222222222222222, 15);
    expect(macroF1([0, 0, 1], [2, 2, 1])).toBeCloseTo(1 / 3, 15); // zero_division = 0
    expect(() => macroF1([], [])).toThrow('macroF1 needs two equally long, non-empty lists, got 0 and 0');
  });

  // 48 hourly predictions of v1 (right until hour 36, then wrong), 10 of v2 from hour 40, unlabelled ones too.
  const records = [
    ...Array.from({ length: 48 }, (_, i) => record(i, 1, i % 3, i < 36 ? i % 3 : (i + 1) % 3)),
    ...Array.from({ length: 10 }, (_, i) => record(40 + i, 2, 1, 1)),
    record(60, 1, 0),
  ];

  it('gives the current window per model version, by count and by time', () => {
    const byCount = rollingMetrics(records, { count: 12 });
    expect(byCount.map((m) => [m.version, m.rows, m.accuracy])).toEqual([
      [1, 12, 0],
      [2, 10, 1],
    ]);
    expect(byCount[0]).toMatchObject({ from: '2026-01-02T12:00:00.000Z', to: '2026-01-02T23:00:00.000Z', f1: 0 });
    const lastDay = rollingMetrics(records, { ms: 24 * HOUR }, new Date(Date.UTC(2026, 0, 2, 23, 30)));
    expect(lastDay.map((m) => [m.version, m.rows, m.accuracy])).toEqual([
      [1, 24, 0.5],
      [2, 8, 1],
    ]);
    expect(rollingMetrics(records, { ms: HOUR }, new Date(Date.UTC(2026, 0, 5)))).toEqual([]);
  });

  it('gives consecutive windows per version (UTC days, or chunks of N)', () => {
    const daily = windowedMetrics(records, { ms: 24 * HOUR });
    expect(daily.map((m) => [m.version, m.from.slice(0, 10), m.rows, m.accuracy])).toEqual([
      [1, '2026-01-01', 24, 1],
      [1, '2026-01-02', 24, 0.5],
      [2, '2026-01-02', 8, 1],
      [2, '2026-01-03', 2, 1],
    ]);
    expect(windowedMetrics(records, { count: 20 }).map((m) => m.rows)).toEqual([20, 20, 8, 10]);
    expect(() => windowedMetrics(records, { count: 0 })).toThrow('window count must be an integer ≥ 1, got 0');
  });
});
