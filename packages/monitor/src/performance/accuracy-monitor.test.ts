import type { AccuracyCheck } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { createAccuracyMonitor } from './accuracy-monitor';

describe('createAccuracyMonitor', () => {
  it('alerts under the threshold with the exact check, and keeps history', async () => {
    let tick = 0;
    const clock = { now: () => Date.UTC(2026, 0, 1 + tick++) };
    const alerts: AccuracyCheck[] = [];
    const monitor = createAccuracyMonitor({ clock, onAlert: (check) => void alerts.push(check) });
    const good = await monitor.check([0, 1, 1, 0], [0, 1, 1, 0]);
    const bad = await monitor.check([0, 1, 1, 0, 2], [0, 1, 0, 1, 2]);
    expect(good).toEqual({
      accuracy: 1,
      rows: 4,
      threshold: 0.85,
      alert: false,
      checkedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(bad).toEqual({
      accuracy: 0.6,
      rows: 5,
      threshold: 0.85,
      alert: true,
      checkedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(alerts).toEqual([bad]);
    expect(monitor.history).toEqual([good, bad]);
  });

  it('does not alert at exactly the threshold, and awaits async alert handlers', async () => {
    const seen: number[] = [];
    const monitor = createAccuracyMonitor({
      threshold: 0.5,
      onAlert: async (check) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(check.accuracy);
      },
    });
    expect((await monitor.check([0, 1], [0, 0])).alert).toBe(false);
    await monitor.check([0, 1, 1, 1], [0, 0, 0, 0]);
    expect(seen).toEqual([0.25]);
  });

  it('rejects bad thresholds and batches', async () => {
    expect(() => createAccuracyMonitor({ threshold: 2 })).toThrow('threshold must be in [0, 1], got 2');
    await expect(createAccuracyMonitor().check([0], [0, 1])).rejects.toThrow(
      'accuracy needs equal lengths: 1 actual vs 2 predicted',
    );
  });
});
