import { describe, expect, it } from 'vitest';
import type { PredictionRecord } from '../log/prediction-log';
import { rollingMetrics, rollingRegressionMetrics, windowedMetrics, windowedRegressionMetrics } from './windows';

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

describe('regression windows', () => {
  // Hourly predictions of a price model: labels and predictions are plain numbers.
  const pairs: [number, number][] = [
    [3, 2.5],
    [5, 5],
    [2, 4],
    [8, 7],
    [1, 1],
    [1, 1],
    [2, 3],
    [2, 1],
  ];
  const records = pairs.map(([label, prediction], i) => ({ ...record(i, 1, prediction, label), model: 'price' }));

  it('gives MAE, RMSE and R² per window of N, exact on small inputs', () => {
    // Window 1: errors 0.5, 0, −2, 1 → MAE 3.5/4, RMSE √(5.25/4); labels' mean 4.5, SS_tot 21 → R² 1 − 5.25/21.
    // Window 2: errors 0, 0, −1, 1 → MAE 0.5, RMSE √0.5; labels' mean 1.5, SS_tot 1 → R² 1 − 2/1 = −1.
    expect(windowedRegressionMetrics(records, { count: 4 })).toEqual([
      {
        model: 'price',
        version: 1,
        rows: 4,
        mae: 0.875,
        rmse: Math.sqrt(1.3125),
        r2: 0.75,
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-01T03:00:00.000Z',
      },
      expect.objectContaining({ rows: 4, mae: 0.5, rmse: Math.sqrt(0.5), r2: -1 }),
    ]);
    expect(windowedRegressionMetrics(records, { count: 4 })[1]).toMatchObject({ from: '2026-01-01T04:00:00.000Z' });
  });

  it('gives the current window per version, by count and by time', () => {
    expect(rollingRegressionMetrics(records, { count: 2 })).toEqual([
      expect.objectContaining({ model: 'price', rows: 2, mae: 1, rmse: 1, r2: 0 }),
    ]);
    const lastThreeHours = rollingRegressionMetrics(records, { ms: 3 * HOUR }, new Date(Date.UTC(2026, 0, 1, 7)));
    expect(lastThreeHours.map((m) => [m.rows, m.mae])).toEqual([[3, 2 / 3]]);
    expect(() => windowedRegressionMetrics(records, { ms: 0 })).toThrow('window ms must be > 0, got 0');
  });
});
