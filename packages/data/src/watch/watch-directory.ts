import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, InvalidInputError, schedule, type ScheduledTask } from '@mlops/core';

/** Options of {@link watchDirectory}. */
export interface WatchDirectoryOptions {
  /** Called once per new file, in name order, one at a time (e.g. load it and `lifecycle.ingest` it with its path as `source`). */
  readonly onFile: (path: string) => Promise<unknown> | unknown;
  /** Which file names count (default: names ending in `.csv`). */
  readonly match?: (fileName: string) => boolean;
  /** Polling period (default 60,000 ms); the first look is at once. */
  readonly everyMs?: number;
  /** Clock (default the system clock; `ManualClock` in tests). */
  readonly clock?: Clock;
  /** Where errors go (a failing file is retried at the next look; the files after it are still handed over). */
  readonly onError?: (error: unknown, path?: string) => void;
}

/**
 * Polls a directory and hands each new file to `onFile` once per process. Files handled before a restart are
 * handed over again: make `onFile` idempotent — the lifecycle's `ingest(batch, { source: path })` skips rows it
 * already ingested, so a restarted watcher never retrains twice. Write files under another name and rename them
 * into the directory when complete: a file still being written may be read in part.
 */
export function watchDirectory(directory: string, options: WatchDirectoryOptions): ScheduledTask {
  if (typeof directory !== 'string' || directory === '')
    throw new InvalidInputError('watchDirectory needs a directory path');
  if (typeof options?.onFile !== 'function') throw new InvalidInputError('watchDirectory needs an onFile function');
  const match = options.match ?? ((name: string) => name.toLowerCase().endsWith('.csv'));
  const handled = new Set<string>();
  const clock = options.clock;
  const report = options.onError ?? ((error: unknown) => console.error(error));
  const look = async () => {
    for (const name of (await readdir(directory)).filter(match).sort()) {
      const path = join(directory, name);
      if (handled.has(path)) continue;
      try {
        await options.onFile(path);
        handled.add(path); // only once handled: a failure is retried at the next look
      } catch (error) {
        report(error, path); // and on to the next file: one bad file never blocks the others
      }
    }
  };
  return schedule(look, {
    everyMs: options.everyMs ?? 60_000,
    firstAt: new Date((clock ?? { now: Date.now }).now()),
    ...(clock ? { clock } : {}),
    onError: (error: unknown) => report(error),
  });
}
