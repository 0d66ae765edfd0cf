import { InvalidInputError } from '../errors/errors';
import { systemClock, type Clock } from './clock';

/** One day in milliseconds, for `schedule(check, { everyMs: DAY_MS })`. */
export const DAY_MS = 86_400_000;
/** Longest delay one timer can wait (setTimeout's 32-bit limit); longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of {@link schedule}. */
export interface ScheduleOptions {
  /** Period between planned runs, in milliseconds. */
  readonly everyMs: number;
  /** First run (default: one period from now). Later runs are at firstAt + k·everyMs: no drift. */
  readonly firstAt?: Date;
  /** Clock (default the system clock; tests pass a `ManualClock`). */
  readonly clock?: Clock;
  /** Called when a run throws or rejects; the schedule goes on (default: `console.error`). */
  readonly onError?: (error: unknown, plannedAt: Date) => void;
}

/** A running schedule. */
export interface ScheduledTask {
  /** Cancels future runs (a run in progress finishes). */
  stop(): void;
  /** Runs started so far. */
  readonly runs: number;
  /** Planned runs skipped because the previous run was still going or time jumped past them. */
  readonly skipped: number;
  /** When the next run is planned, or `undefined` once stopped. */
  readonly nextRunAt: Date | undefined;
}

/** The next time of day hh:mm UTC after `now` (e.g. `firstAt: nextUtcTime(6, 0)` for a daily 06:00 check). */
export function nextUtcTime(hour: number, minute = 0, now: Date = new Date()): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new InvalidInputError(`nextUtcTime needs an hour 0–23 and a minute 0–59, got ${hour}:${minute}`);
  }
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour, minute));
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

/**
 * Runs `task` every `everyMs` milliseconds ("check accuracy daily"), at planned times that do not drift.
 * Runs never overlap: a planned time that comes while the previous run is still going, or that time
 * jumped past, is skipped and counted. Errors go to `onError` and the schedule continues.
 */
export function schedule(task: (plannedAt: Date) => unknown, options: ScheduleOptions): ScheduledTask {
  const clock = options.clock ?? systemClock;
  const every = options.everyMs;
  if (!(Number.isFinite(every) && every > 0))
    throw new InvalidInputError(`everyMs must be a positive number, got ${every}`);
  const onError =
    options.onError ??
    ((error: unknown, at: Date) => console.error(`scheduled run of ${at.toISOString()} failed:`, error));
  let next = options.firstAt ? options.firstAt.getTime() : clock.now() + every;
  if (!Number.isFinite(next)) throw new InvalidInputError('firstAt is not a valid date');
  let handle: unknown;
  let stopped = false;
  let running = false;
  let runs = 0;
  let skipped = 0;

  const arm = () => {
    if (stopped) return;
    const delay = next - clock.now();
    handle = clock.setTimeout(fire, Math.min(Math.max(delay, 0), MAX_TIMER_MS));
  };
  const fire = () => {
    if (stopped) return;
    const now = clock.now();
    if (now < next) return arm(); // a long wait re-armed in steps
    const plannedAt = new Date(next);
    const missed = Math.floor((now - next) / every);
    skipped += missed;
    next += (missed + 1) * every;
    if (running) skipped++;
    else {
      running = true;
      runs++;
      Promise.resolve()
        .then(() => task(plannedAt))
        .catch((error: unknown) => onError(error, plannedAt))
        .finally(() => {
          running = false;
        });
    }
    arm();
  };
  arm();

  return {
    stop() {
      stopped = true;
      clock.clearTimeout(handle);
    },
    get runs() {
      return runs;
    },
    get skipped() {
      return skipped;
    },
    get nextRunAt() {
      return stopped ? undefined : new Date(next);
    },
  };
}
