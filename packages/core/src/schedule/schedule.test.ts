import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { DAY_MS, nextUtcTime, schedule } from './schedule';

const start = new Date('2026-03-01T10:00:00Z');

describe('schedule', () => {
  it('runs a daily check at planned times that do not drift', async () => {
    const clock = new ManualClock(start);
    const seen: string[] = [];
    const task = schedule(
      async (at) => {
        seen.push(`${at.toISOString()} @ ${new Date(clock.now()).toISOString()}`);
      },
      { everyMs: DAY_MS, firstAt: nextUtcTime(6, 0, start), clock },
    );
    expect(task.nextRunAt?.toISOString()).toBe('2026-03-02T06:00:00.000Z');
    await clock.advance(3 * DAY_MS);
    expect(seen).toEqual([
      '2026-03-02T06:00:00.000Z @ 2026-03-02T06:00:00.000Z',
      '2026-03-03T06:00:00.000Z @ 2026-03-03T06:00:00.000Z',
      '2026-03-04T06:00:00.000Z @ 2026-03-04T06:00:00.000Z',
    ]);
    expect(task.runs).toBe(3);
    task.stop();
    expect(task.nextRunAt).toBeUndefined();
    await clock.advance(5 * DAY_MS);
    expect(task.runs).toBe(3);
    expect(clock.pending).toBe(0);
  });

  it('never overlaps runs, counts skipped ones, and keeps going after an error', async () => {
    const clock = new ManualClock(start);
    const errors: string[] = [];
    let calls = 0;
    let release: () => void = () => {};
    const task = schedule(
      (at) => {
        calls++;
        if (calls === 1) return new Promise<void>((resolve) => (release = resolve)); // a slow run
        if (calls === 2) throw new Error(`boom at ${at.toISOString()}`);
        return undefined;
      },
      { everyMs: 1000, clock, onError: (error) => errors.push((error as Error).message) },
    );
    await clock.advance(3500); // runs at 1 s; 2 s and 3 s come while it is still going
    expect([task.runs, task.skipped]).toEqual([1, 2]);
    release();
    await clock.advance(1000); // 4 s: runs and throws
    await clock.advance(1000); // 5 s: runs fine
    expect([task.runs, task.skipped]).toEqual([3, 2]);
    expect(errors).toEqual(['boom at 2026-03-01T10:00:04.000Z']);
    await clock.advance(10_000); // time jumps: every planned run still happens once per second
    expect(task.runs).toBe(13);
    task.stop();
  });

  it('checks its options', () => {
    expect(() => schedule(() => {}, { everyMs: 0 })).toThrow('everyMs must be a positive number, got 0');
    expect(() => nextUtcTime(24)).toThrow('nextUtcTime needs an hour 0–23 and a minute 0–59, got 24:0');
    expect(nextUtcTime(10, 0, start).toISOString()).toBe('2026-03-02T10:00:00.000Z'); // now exactly → tomorrow
  });
});
