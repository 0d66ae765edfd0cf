import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@mlops/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchDirectory } from './watch-directory';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-watch-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Waits (in real time: the directory is real) until `ready()` holds. */
async function until(ready: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !ready() && Date.now() < deadline; )
    await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('watchDirectory', () => {
  it('hands each new matching file over once, in name order, and retries one that failed without blocking the next', async () => {
    const clock = new ManualClock(new Date('2026-02-01T00:00:00Z'));
    const seen: string[] = [];
    const errors: string[] = [];
    let failOnce = true;
    await writeFile(join(dir, '02-tuesday.csv'), 'x');
    await writeFile(join(dir, '01-monday.csv'), 'x');
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    const watcher = watchDirectory(dir, {
      clock,
      everyMs: 1000,
      onFile: (path) => {
        const name = path.slice(dir.length + 1);
        if (name === '03-wednesday.csv' && failOnce) {
          failOnce = false;
          throw new Error('not fully written yet');
        }
        seen.push(name);
      },
      onError: (error) => errors.push((error as Error).message),
    });
    await clock.advance(0);
    await until(() => seen.length === 2);
    expect(seen).toEqual(['01-monday.csv', '02-tuesday.csv']);
    await writeFile(join(dir, '03-wednesday.csv'), 'x');
    await writeFile(join(dir, '04-thursday.csv'), 'x');
    await clock.advance(1000);
    await until(() => errors.length === 1 && seen.length === 3);
    expect(seen).toEqual(['01-monday.csv', '02-tuesday.csv', '04-thursday.csv']); // wednesday failed, thursday went on
    await clock.advance(1000);
    await until(() => seen.length === 4);
    await clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    watcher.stop();
    expect(seen).toEqual(['01-monday.csv', '02-tuesday.csv', '04-thursday.csv', '03-wednesday.csv']);
    expect(errors).toEqual(['not fully written yet']);
  });

  it('checks its arguments', () => {
    expect(() => watchDirectory('', { onFile: () => {} })).toThrow('watchDirectory needs a directory path');
    expect(() => watchDirectory(dir, {} as never)).toThrow('watchDirectory needs an onFile function');
  });
});
